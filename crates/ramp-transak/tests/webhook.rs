//! Webhook verification: the JWT in `data`, HS256 only, against the current and previous
//! access tokens. Forged and tampered tokens are built by hand with `base64`; valid ones with
//! the crate's test helper, whose output `the_test_helper_signs_as_transak_does` checks by hand.

use ramp_core::http::HttpConfig;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ramp_core::json::JsonError;
use ramp_transak::webhook::{self, test_util};
use ramp_transak::{
    Client, Environment, Error, ErrorKind, Event, EventType, HeaderMap, OrderStatus, SecretString,
    Url, Verify, WebhookError, WebhookEvent, WebhookVerifier,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn payload() -> serde_json::Value {
    serde_json::json!({
        "eventID": "ORDER_COMPLETED",
        "webhookData": {
            "id": "4c5d6e7f-order",
            "status": "COMPLETED",
            "walletAddress": "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            "fiatCurrency": "EUR",
            "cryptoCurrency": "ETH",
            "fiatAmount": 150.5,
            "cryptoAmount": "0.041234567890123456",
            "isBuyOrSell": "BUY",
            "createdAt": "2026-11-23T10:00:00.000Z",
            "partnerOrderId": "order-42",
            "conversionPrice": 3650.12
        }
    })
}

fn current() -> SecretString {
    SecretString::from("tok_current")
}

fn previous() -> SecretString {
    SecretString::from("tok_previous")
}

fn rejection(result: Result<WebhookEvent, Error>) -> WebhookError {
    match result.map_err(Error::into_kind) {
        Err(ErrorKind::Webhook(why)) => why,
        other => panic!("expected a webhook rejection, got {other:?}"),
    }
}

fn sign(payload: &serde_json::Value, token: &SecretString) -> Vec<u8> {
    test_util::signed_webhook(payload, token).body
}

fn verifier(tokens: &[SecretString]) -> WebhookVerifier {
    let mut verifier = WebhookVerifier::new(tokens[0].clone()).unwrap();
    for previous in &tokens[1..] {
        verifier = verifier.with_previous(previous.clone()).unwrap();
    }
    verifier
}

fn verify(body: &[u8], tokens: &[SecretString]) -> Result<WebhookEvent, WebhookError> {
    verifier(tokens).verify(body, &HeaderMap::new())
}

fn verify_at(
    body: &[u8],
    tokens: &[SecretString],
    now: SystemTime,
    leeway: Duration,
) -> Result<WebhookEvent, WebhookError> {
    verifier(tokens)
        .leeway(leeway)
        .at(now)
        .verify(body, &HeaderMap::new())
}

const MISMATCH: WebhookError =
    WebhookError::BadSignature("the JWT signature matches none of the given access tokens");
const NOT_A_JWT: WebhookError = WebhookError::BadSignature("`data` is not a well-formed JWT");
const NO_DATA: WebhookError =
    WebhookError::BadSignature("the body is not JSON with a string `data` field");

#[test]
fn the_test_helper_signs_as_transak_does() {
    let delivery = test_util::signed_webhook(&payload(), &current());
    let body: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
    let jwt = body["data"].as_str().unwrap();
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let (header, claims) = signed.split_once('.').unwrap();
    assert_eq!(
        URL_SAFE_NO_PAD.decode(header).unwrap(),
        br#"{"alg":"HS256","typ":"JWT"}"#
    );
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    assert_eq!(claims, payload());
    assert_eq!(
        URL_SAFE_NO_PAD.decode(signature).unwrap(),
        hex::decode(ramp_testkit::hmac_sha256_hex(
            b"tok_current",
            signed.as_bytes()
        ))
        .unwrap()
    );
    assert_eq!(delivery.headers["content-type"], "application/json");
}

/// A JWT body with the given header and payload JSON and an arbitrary signature.
fn forged(header: &str, payload: &str, signature: &[u8]) -> Vec<u8> {
    let jwt = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(signature)
    );
    serde_json::json!({ "data": jwt }).to_string().into_bytes()
}

#[test]
fn a_webhook_signed_with_the_current_token_verifies() {
    let body = sign(&payload(), &current());
    let event = verify(&body, &[current(), previous()]).unwrap();
    assert_eq!(event.event, EventType::OrderCompleted);
    assert_eq!(
        (
            event.order_id(),
            event.provider_status(),
            event.is_terminal()
        ),
        ("4c5d6e7f-order", "COMPLETED", true)
    );
    assert_eq!(event.dedup_key(), "4c5d6e7f-order:COMPLETED");
    assert_eq!(
        event.wallet_address(),
        Some("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
    );
    assert_eq!(event.order.status, OrderStatus::Completed);
    assert_eq!(
        event.order.crypto_amount.unwrap().to_string(),
        "0.041234567890123456"
    );
    insta::assert_debug_snapshot!("completed_event", event);
}

#[test]
fn a_webhook_signed_with_the_previous_token_verifies_during_the_grace_period() {
    let body = sign(&payload(), &previous());
    assert!(verify(&body, &[current(), previous()]).is_ok());
}

#[test]
fn a_webhook_signed_with_another_token_is_rejected() {
    let body = sign(&payload(), &SecretString::from("tok_someone_else"));
    assert_eq!(verify(&body, &[current(), previous()]), Err(MISMATCH));
    // A blank token is refused when the verifier is built, never tried.
    for blank in ["", " "] {
        let err = WebhookVerifier::new(SecretString::from(blank)).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
        let err = verifier(&[current()])
            .with_previous(SecretString::from(blank))
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
    }
    assert!(!format!("{:?}", verifier(&[current()])).contains("tok_current"));
}

#[test]
fn alg_none_and_hs512_are_rejected_before_any_key_is_tried() {
    let body = forged(r#"{"alg":"none","typ":"JWT"}"#, &payload().to_string(), b"");
    let alg = WebhookError::BadSignature("the JWT algorithm is not HS256, the only one accepted");
    assert_eq!(verify(&body, &[current()]), Err(alg));
    let body = forged(
        r#"{"alg":"HS512","typ":"JWT"}"#,
        &payload().to_string(),
        &[7; 64],
    );
    let err = verify(&body, &[current()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "webhook refused: bad signature: the JWT algorithm is not HS256, the only one accepted"
    );
}

#[test]
fn a_tampered_payload_is_rejected() {
    let body = sign(&payload(), &current());
    let text = String::from_utf8(body).unwrap();
    let jwt = serde_json::from_str::<serde_json::Value>(&text).unwrap()["data"]
        .as_str()
        .unwrap()
        .to_owned();
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut tampered = payload();
    tampered["webhookData"]["walletAddress"] = "0xATTACKER".into();
    let forged_jwt = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(tampered.to_string()),
        parts[2]
    );
    let body = serde_json::json!({ "data": forged_jwt })
        .to_string()
        .into_bytes();
    assert_eq!(verify(&body, &[current()]), Err(MISMATCH));
}

#[test]
fn malformed_bodies_are_each_their_own_error() {
    for (body, why) in [
        (&b"not json"[..], NO_DATA),
        (br#"{"data": 7}"#, NO_DATA),
        (br#"{"data": "only.two"}"#, NOT_A_JWT),
        (br#"{"data": "a.b.c.d"}"#, NOT_A_JWT),
        (br#"{"data": "!!!.e30.e30"}"#, NOT_A_JWT),
    ] {
        assert_eq!(verify(body, &[current()]), Err(why));
    }
    // Correctly signed, but not the event shape.
    let body = sign(&serde_json::json!({"eventID": "ORDER_CREATED"}), &current());
    assert!(matches!(
        verify(&body, &[current()]),
        Err(WebhookError::Malformed(_))
    ));
}

#[tokio::test]
async fn the_client_verifies_with_the_token_it_replaced() {
    let api = MockServer::start().await;
    let gateway = MockServer::start().await;
    for (n, token) in ["tok_old", "tok_new"].into_iter().enumerate() {
        Mock::given(method("POST"))
            .and(path("/partners/api/v2/refresh-token"))
            .respond_with(ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"data": {{"accessToken": "{token}", "expiresAt": 4102444800}}}}"#
            )))
            .up_to_n_times(1)
            .with_priority(u8::try_from(n + 1).unwrap())
            .mount(&api)
            .await;
    }
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            r#"{"error": {"statusCode": 401, "message": "expired", "errorCode": 1}}"#,
        ))
        .up_to_n_times(1)
        .mount(&gateway)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"data": {"widgetUrl": "https://global-stg.transak.com?sessionId=s"}}"#,
        ))
        .mount(&gateway)
        .await;
    let client = Client::builder(
        Environment::Custom {
            api: Url::parse(&api.uri()).unwrap(),
            gateway: Url::parse(&gateway.uri()).unwrap(),
        },
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .referrer_domain("yourdomain.com")
    .http_config(HttpConfig::new().timeout(Duration::from_secs(5)))
    .build()
    .unwrap();
    // Warm with tok_old, then a 401 replaces it with tok_new.
    client.access_token().await.unwrap();
    client
        .create_widget_url(
            &ramp_transak::WidgetParams::default(),
            std::net::IpAddr::from([203, 0, 113, 9]),
        )
        .await
        .unwrap();
    let old = sign(&payload(), &SecretString::from("tok_old"));
    let new = sign(&payload(), &SecretString::from("tok_new"));
    let headers = HeaderMap::new();
    assert!(client.verify_webhook(&new, &headers).await.is_ok());
    assert!(client.verify_webhook(&old, &headers).await.is_ok());
    let stranger = sign(&payload(), &SecretString::from("tok_x"));
    assert_eq!(
        rejection(client.verify_webhook(&stranger, &headers).await),
        MISMATCH
    );
}

/// The payload with the given time claims added.
fn with_claims(claims: serde_json::Value) -> serde_json::Value {
    let mut payload = payload();
    for (name, value) in claims.as_object().unwrap() {
        payload[name] = value.clone();
    }
    payload
}

#[test]
fn exp_nbf_and_iat_are_enforced_with_the_leeway() {
    use std::time::UNIX_EPOCH;
    const NOW: u64 = 1_795_420_800;
    let now = UNIX_EPOCH + Duration::from_secs(NOW);
    let leeway = Duration::from_secs(60);
    const EXPIRED: WebhookError = WebhookError::Expired("the JWT has expired (exp)");
    let bad_claim = |name: &str| {
        WebhookError::malformed(JsonError::at(name, "not a time in seconds since the epoch"))
    };
    let check = |claims: serde_json::Value| {
        let body = sign(&with_claims(claims), &current());
        verify_at(&body, &[current()], now, leeway)
    };
    // Within the leeway on every side.
    for ok in [
        serde_json::json!({"exp": NOW + 300, "iat": NOW - 10, "nbf": NOW - 10}),
        serde_json::json!({"exp": NOW - 59}),
        serde_json::json!({"nbf": NOW + 60, "iat": NOW + 60}),
        serde_json::json!({"exp": (NOW + 1) as f64 + 0.5}),
        serde_json::json!({}),
    ] {
        assert!(check(ok.clone()).is_ok(), "{ok}");
    }
    for (claims, why) in [
        (serde_json::json!({"exp": NOW - 60}), EXPIRED),
        (serde_json::json!({"exp": 0}), EXPIRED),
        (
            serde_json::json!({"nbf": NOW + 61}),
            WebhookError::Expired("the JWT is not valid yet (nbf)"),
        ),
        (
            serde_json::json!({"iat": NOW + 3600}),
            WebhookError::Expired("the JWT was issued in the future (iat)"),
        ),
        (serde_json::json!({"exp": "tomorrow"}), bad_claim("exp")),
        (serde_json::json!({"iat": -5}), bad_claim("iat")),
        (serde_json::json!({"nbf": 1e300}), bad_claim("nbf")),
    ] {
        assert_eq!(check(claims.clone()), Err(why), "{claims}");
    }
    // The default leeway is a minute; a zero leeway is exact.
    assert_eq!(webhook::DEFAULT_LEEWAY, Duration::from_secs(60));
    let body = sign(
        &with_claims(serde_json::json!({"exp": NOW - 1})),
        &current(),
    );
    assert_eq!(
        verify_at(&body, &[current()], now, Duration::ZERO),
        Err(EXPIRED)
    );
}

#[path = "webhook/client.rs"]
mod client;
