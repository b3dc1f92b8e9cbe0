//! Webhook verification: the JWT in `data`, HS256 only, against the current and previous
//! access tokens. Tokens here are built by hand with `base64` and `hmac`-free helpers from
//! the crate under test only where noted.

use ramp_transak::ErrorKind;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ramp_transak::{
    Client, Environment, Error, EventType, OrderStatus, SecretString, Url, WebhookError, webhook,
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

fn rejection(result: Result<ramp_transak::WebhookEvent, Error>) -> WebhookError {
    match result.map_err(Error::into_kind) {
        Err(ErrorKind::Webhook(why)) => why,
        other => panic!("expected a webhook rejection, got {other:?}"),
    }
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
    let body = webhook::sign(&payload(), &current()).unwrap();
    let event = webhook::verify(&body, &[&current(), &previous()]).unwrap();
    assert_eq!(event.event, EventType::OrderCompleted);
    assert_eq!(event.order.status, OrderStatus::Completed);
    assert_eq!(
        event.order.crypto_amount.unwrap().to_string(),
        "0.041234567890123456"
    );
    insta::assert_debug_snapshot!("completed_event", event);
}

#[test]
fn a_webhook_signed_with_the_previous_token_verifies_during_the_grace_period() {
    let body = webhook::sign(&payload(), &previous()).unwrap();
    assert!(webhook::verify(&body, &[&current(), &previous()]).is_ok());
}

#[test]
fn a_webhook_signed_with_another_token_is_rejected() {
    let body = webhook::sign(&payload(), &SecretString::from("tok_someone_else")).unwrap();
    assert_eq!(
        rejection(webhook::verify(&body, &[&current(), &previous()])),
        WebhookError::Signature
    );
    assert_eq!(
        rejection(webhook::verify(&body, &[])),
        WebhookError::NoToken
    );
}

#[test]
fn alg_none_and_hs512_are_rejected_before_any_key_is_tried() {
    let body = forged(r#"{"alg":"none","typ":"JWT"}"#, &payload().to_string(), b"");
    assert_eq!(
        rejection(webhook::verify(&body, &[&current()])),
        WebhookError::Algorithm("none".into())
    );
    let body = forged(
        r#"{"alg":"HS512","typ":"JWT"}"#,
        &payload().to_string(),
        &[7; 64],
    );
    let err = webhook::verify(&body, &[&current()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"webhook rejected: the JWT algorithm "HS512" is not accepted; only HS256 is"#
    );
}

#[test]
fn a_tampered_payload_is_rejected() {
    let body = webhook::sign(&payload(), &current()).unwrap();
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
    assert_eq!(
        rejection(webhook::verify(&body, &[&current()])),
        WebhookError::Signature
    );
}

#[test]
fn malformed_bodies_are_each_their_own_error() {
    for (body, why) in [
        (&b"not json"[..], WebhookError::NoData),
        (br#"{"data": 7}"#, WebhookError::NoData),
        (br#"{"data": "only.two"}"#, WebhookError::Malformed),
        (br#"{"data": "a.b.c.d"}"#, WebhookError::Malformed),
        (br#"{"data": "!!!.e30.e30"}"#, WebhookError::Malformed),
    ] {
        assert_eq!(rejection(webhook::verify(body, &[&current()])), why);
    }
    // Correctly signed, but not the event shape.
    let body = webhook::sign(&serde_json::json!({"eventID": "ORDER_CREATED"}), &current()).unwrap();
    assert!(matches!(
        rejection(webhook::verify(&body, &[&current()])),
        WebhookError::Payload { .. }
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
    .timeout(Duration::from_secs(5))
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
    let old = webhook::sign(&payload(), &SecretString::from("tok_old")).unwrap();
    let new = webhook::sign(&payload(), &SecretString::from("tok_new")).unwrap();
    assert!(client.verify_webhook(&new).await.is_ok());
    assert!(client.verify_webhook(&old).await.is_ok());
    let stranger = webhook::sign(&payload(), &SecretString::from("tok_x")).unwrap();
    assert!(client.verify_webhook(&stranger).await.is_err());
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
    let check = |claims: serde_json::Value| {
        let body = webhook::sign(&with_claims(claims), &current()).unwrap();
        webhook::verify_at(&body, &[&current()], now, leeway)
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
        (serde_json::json!({"exp": NOW - 60}), WebhookError::Expired),
        (serde_json::json!({"exp": 0}), WebhookError::Expired),
        (
            serde_json::json!({"nbf": NOW + 61}),
            WebhookError::NotYetValid,
        ),
        (
            serde_json::json!({"iat": NOW + 3600}),
            WebhookError::IssuedInTheFuture,
        ),
        (
            serde_json::json!({"exp": "tomorrow"}),
            WebhookError::InvalidClaim("exp"),
        ),
        (
            serde_json::json!({"iat": -5}),
            WebhookError::InvalidClaim("iat"),
        ),
        (
            serde_json::json!({"nbf": 1e300}),
            WebhookError::InvalidClaim("nbf"),
        ),
    ] {
        assert_eq!(rejection(check(claims.clone())), why, "{claims}");
    }
    // The default leeway is a minute; a zero leeway is exact.
    assert_eq!(webhook::DEFAULT_LEEWAY, Duration::from_secs(60));
    let body = webhook::sign(
        &with_claims(serde_json::json!({"exp": NOW - 1})),
        &current(),
    )
    .unwrap();
    assert_eq!(
        rejection(webhook::verify_at(
            &body,
            &[&current()],
            now,
            Duration::ZERO
        )),
        WebhookError::Expired
    );
}

#[tokio::test]
async fn the_client_checks_freshness_on_its_own_clock() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"data": {"accessToken": "tok_current", "expiresAt": 4102444800}}"#,
        ))
        .mount(&server)
        .await;
    let url = Url::parse(&server.uri()).unwrap();
    let client = Client::builder(
        Environment::Custom {
            api: url.clone(),
            gateway: url,
        },
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .clock(|| 2_000_000_000)
    .webhook_leeway(Duration::from_secs(5))
    .build()
    .unwrap();
    client.access_token().await.unwrap();
    let fresh = webhook::sign(
        &with_claims(serde_json::json!({"exp": 2_000_000_000 - 4})),
        &current(),
    )
    .unwrap();
    assert!(client.verify_webhook(&fresh).await.is_ok());
    let stale = webhook::sign(
        &with_claims(serde_json::json!({"exp": 2_000_000_000 - 6})),
        &current(),
    )
    .unwrap();
    assert_eq!(
        rejection(client.verify_webhook(&stale).await),
        WebhookError::Expired
    );
}
