use super::*;
use ramp_kryptonim::{Client, Decimal, WidgetSessionRequest};

fn request(network: &str) -> WidgetSessionRequest {
    WidgetSessionRequest::builder()
        .fiat_amount(Decimal::from_str("15.50").unwrap())
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network(network)
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_signed_session_is_accepted_and_a_bad_signature_or_body_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = |signature_secret: &str| {
        Client::builder(
            url(&sandbox.kryptonim_url()),
            secret(c::KRYPTONIM_API_KEY),
            secret(signature_secret),
        )
        .build()
        .unwrap()
    };
    let session = client(c::KRYPTONIM_SIGNATURE_SECRET)
        .create_widget_session(&request("polygon"))
        .await
        .unwrap();
    assert_eq!(session.session_id.len(), 32);
    assert!(!session.is_expired());

    let err = client("wrong-secret")
        .create_widget_session(&request("polygon"))
        .await
        .unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.code.as_deref() == Some("UNAUTHORIZED")),
        "{err}"
    );

    let err = client(c::KRYPTONIM_SIGNATURE_SECRET)
        .create_widget_session(&request("dogecoin"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Kryptonim error INVALID_REQUEST (HTTP 400 Bad Request): Unsupported network"
    );
}
