use super::*;
use ramp_proof::{ApiErrorKind, Client, Decimal, SessionRequest};

fn request(currency: &str) -> SessionRequest {
    SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency(currency)
        .amount(Decimal::from(100))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_session_is_created_and_read_and_a_bad_token_or_body_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = |token: &str, origin: &str| {
        Client::builder(url(&sandbox.proof_url()), secret(token))
            .origin(origin)
            .build()
            .unwrap()
    };
    let good = client(c::PROOF_CLIENT_TOKEN, c::PROOF_ORIGIN);
    let session = good.create_session(&request("USDT")).await.unwrap();
    assert_eq!(
        session.widget_config()["fixNetwork"],
        serde_json::json!(["TRC20"])
    );
    let tx = good
        .transaction(&session.merchant_transaction_id)
        .await
        .unwrap();
    assert_eq!(tx.crypto_amount, Some(Decimal::from(100)));

    let kind = |result: Result<ramp_proof::WidgetSession, ramp_proof::Error>| {
        result.unwrap_err().api_kind()
    };
    assert_eq!(
        kind(
            client("wrong", c::PROOF_ORIGIN)
                .create_session(&request("USDT"))
                .await
        ),
        Some(ApiErrorKind::InvalidToken)
    );
    assert_eq!(
        kind(
            client(c::PROOF_CLIENT_TOKEN, "https://evil.example")
                .create_session(&request("USDT"))
                .await
        ),
        Some(ApiErrorKind::ForbiddenOrigin)
    );
    assert_eq!(
        kind(good.create_session(&request("DOGE")).await),
        Some(ApiErrorKind::CurrencyNotAllowed)
    );
}
