//! The sandbox's Onramper Checkout V2 and quotes, through `ramp-onramper`, and refusals with
//! Onramper's codes for requests the SDK would never send (signed with
//! `ramp-onramper-sign` by hand): a reused nonce, a bad signature, a missing or malformed
//! `endUserIpHash`.

use std::net::IpAddr;

use ramp_core::SecretString;
use ramp_core::http::reqwest;
use ramp_onramper::{
    CheckoutRequest, Client, Decimal, Environment, Platform, QuoteRequest, SigningKey, Url,
};
use ramp_onramper_sign::v2::{ApiRequest, SignOptions, sign_request_v2};
use ramp_sandbox::{Sandbox, credentials as c};
use serde_json::Value;

fn key() -> SigningKey {
    SigningKey::from_pkcs8_pem(c::ONRAMPER_V2_PRIVATE_KEY_PEM).unwrap()
}

fn client(sandbox: &Sandbox) -> Client {
    Client::builder(
        Environment::Custom(Url::parse(&sandbox.onramper_api_url()).unwrap()),
        SecretString::from(c::ONRAMPER_API_KEY),
    )
    .signing_key(key())
    .build()
    .unwrap()
}

fn request() -> CheckoutRequest {
    CheckoutRequest::builder()
        .onramp("sandbox-a")
        .source("eur")
        .destination("eth")
        .amount(Decimal::from(100))
        .payment_method("creditcard")
        .network("ethereum")
        .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
        .partner_context("order-42")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_checkout_and_quotes_go_through_the_sdk() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let session = client
        .checkout(&request(), IpAddr::from([203, 0, 113, 9]), Platform::Web)
        .await
        .unwrap();
    assert_eq!(session.session_id.len(), 26);
    assert!(
        session
            .redirect_url
            .expose_url()
            .as_str()
            .contains("/onramper/checkout/")
    );

    let quotes = client
        .quotes(
            &QuoteRequest::builder()
                .source("eur")
                .destination("eth")
                .amount(Decimal::new(3000, 2))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(quotes.len(), 2);
    assert_eq!(quotes[0].ramp, "sandbox-a");
    assert_eq!(quotes[0].transaction_fee.unwrap().to_string(), "0.60");
    assert_eq!(quotes[0].payout.unwrap().to_string(), "0.0098");
    assert_eq!(quotes[1].payout, None);
    assert_eq!(quotes[1].errors[0].min_amount, Some(Decimal::from(50)));
}

/// Sends `body` to the checkout, V2-signed with `nonce`, or with a signature broken on purpose.
async fn send(sandbox: &Sandbox, body: &str, nonce: &str, break_it: bool) -> (u16, Value) {
    let request = ApiRequest::new("POST", "/checkout/v2/intent", c::ONRAMPER_API_KEY)
        .content_type("application/json")
        .body(body.as_bytes());
    let options = SignOptions::new().nonce(nonce.parse().unwrap());
    let headers = sign_request_v2(&request, &key(), &options).unwrap();
    let mut call = reqwest::Client::new()
        .post(format!("{}checkout/v2/intent", sandbox.onramper_api_url()))
        .header("content-type", "application/json")
        .body(body.to_owned());
    for (name, value) in headers.iter() {
        let value = if break_it && name == "x-onramper-signature" {
            // One bit of the signature flipped: always another signature.
            use base64::Engine as _;
            let engine = base64::engine::general_purpose::STANDARD;
            let mut bytes = engine.decode(value.trim_start_matches("v2:")).unwrap();
            bytes[0] ^= 1;
            format!("v2:{}", engine.encode(bytes))
        } else {
            value.to_owned()
        };
        call = call.header(name, value);
    }
    let response = call.send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn replays_bad_signatures_and_bad_ip_hashes_get_onrampers_codes() {
    let sandbox = Sandbox::start().await.unwrap();
    let hash = ramp_onramper_sign::end_user_ip_hash(IpAddr::from([203, 0, 113, 9])).unwrap();
    let body = |ip: &str| {
        format!(
            r#"{{"onramp":"sandbox-a","source":"eur","destination":"eth","amount":100,"type":"buy","paymentMethod":"creditcard","network":"ethereum","wallet":{{"address":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}},"partnerContext":"order-42"{ip},"platform":"web"}}"#
        )
    };
    let good = body(&format!(r#","endUserIpHash":"{hash}""#));
    let code = |answer: &Value| {
        answer["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };

    let nonce = "0b6e1a3c-5d2f-4e8a-9b7c-1d2e3f4a5b6c";
    assert_eq!(send(&sandbox, &good, nonce, false).await.0, 200);
    let (status, answer) = send(&sandbox, &good, nonce, false).await;
    assert_eq!((status, code(&answer).as_str()), (401, "NONCE_REUSED"));

    let (status, answer) = send(
        &sandbox,
        &good,
        "1b6e1a3c-5d2f-4e8a-9b7c-1d2e3f4a5b6c",
        true,
    )
    .await;
    assert_eq!((status, code(&answer).as_str()), (401, "SIGNATURE_INVALID"));

    // The older name alone is accepted; a missing, malformed or contradicting hash is not.
    let alias = body(&format!(r#","clientIpHash":"{hash}""#));
    assert_eq!(
        send(
            &sandbox,
            &alias,
            "2b6e1a3c-5d2f-4e8a-9b7c-1d2e3f4a5b6c",
            false
        )
        .await
        .0,
        200
    );
    let other = ramp_onramper_sign::end_user_ip_hash(IpAddr::from([198, 51, 100, 1])).unwrap();
    for (i, bad) in [
        String::new(),
        r#","endUserIpHash":"203.0.113.9""#.to_owned(),
        format!(r#","endUserIpHash":"{}""#, hash.to_uppercase()),
        format!(r#","endUserIpHash":"{hash}","clientIpHash":"{other}""#),
    ]
    .iter()
    .enumerate()
    {
        let nonce = format!("3b6e1a3c-5d2f-4e8a-9b7c-1d2e3f4a5b6{i}");
        let (status, answer) = send(&sandbox, &body(bad), &nonce, false).await;
        assert_eq!(
            (status, code(&answer).as_str()),
            (400, "INVALID_END_USER_IP_HASH"),
            "{bad}"
        );
    }
}
