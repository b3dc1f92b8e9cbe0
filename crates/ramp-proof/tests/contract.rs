//! The client against Proof's documented contract, on a local wiremock server per test:
//! method, path, Bearer, Origin, content type and exact body; every documented error row;
//! the one documented retry.

use ramp_core::http::HttpConfig;
use ramp_proof::{ErrorKind, HttpErrorKind};
use std::str::FromStr;
use std::time::Duration;

use ramp_proof::{
    ApiErrorKind, Client, Decimal, HttpError, OrderStatus, SecretString, SessionRequest,
    TransactionType, Url,
};
use ramp_testkit::{answering_with, assert_headers, fast_retries};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pk_live_client_token_8c1f0e2d9b";
const ORIGIN: &str = "https://app.example.com";

/// The seed's example response.
const SESSION: &str = r#"{
  "merchant_transaction_id": "550e8400-e29b-41d4-a716-446655440000",
  "widget_id": "fb359d09-fff6-4b1f-906c-b9062b135065",
  "address": "TRx1a2b3c4d5e6f...",
  "signature": "v2:a1b2c3d4e5f6...",
  "init_token": "eyJhbGciOi...",
  "init_token_type": "sdk_partner_authorization",
  "currency": "USDT",
  "currencies": ["USDT"],
  "fix_currency": true,
  "network": "TRC20",
  "networks": ["TRC20", "ERC20"],
  "fix_network": ["TRC20"],
  "amount": "100",
  "fix_amount": true,
  "fiat_currency": "EUR",
  "fiat_currencies": ["EUR", "USD"],
  "fix_fiat_currency": false,
  "fix_fiat_amount": true,
  "type": "buy",
  "lang": "en",
  "theme": "light",
  "redirect_url": "https://app.example.com/done"
}"#;

const TRANSACTION: &str = r#"{
  "merchant_transaction_id": "550e8400-e29b-41d4-a716-446655440000",
  "partner_user_id": "user-123",
  "type": "buy",
  "status": "completed",
  "currency": "USDT",
  "network": "TRC20",
  "crypto_amount": "100",
  "fiat_currency": "EUR",
  "fiat_amount": "92.570000000000000001",
  "created_at": "2026-11-23T10:00:00Z",
  "updated_at": "2026-11-23T10:04:10Z"
}"#;

fn client(server: &MockServer) -> Client {
    Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from(TOKEN),
    )
    .origin(ORIGIN)
    .http_config(HttpConfig::new().retry(fast_retries()))
    .build()
    .unwrap()
}

/// Every request answered with `status` and `body`, and Proof's request id header.
async fn answering(status: u16, body: &str) -> MockServer {
    answering_with(status, body, &[("x-request-id", "req_7b1c")]).await
}

fn minimal() -> SessionRequest {
    SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::from_str("99.50").unwrap())
        .build()
        .unwrap()
}

/// Every request the server saw, each checked against the contract.
async fn the_requests(server: &MockServer, method: &str, path: &str, body: Option<&str>) -> usize {
    let received = server.received_requests().await.unwrap();
    for request in &received {
        assert_eq!(request.method.as_str(), method);
        assert_eq!(request.url.path(), path);
        let bearer = format!("Bearer {TOKEN}");
        let mut expected = vec![
            ("accept", "*/*"),
            ("authorization", bearer.as_str()),
            ("origin", ORIGIN),
            (
                "user-agent",
                concat!("ramp-proof/", env!("CARGO_PKG_VERSION")),
            ),
        ];
        match body {
            Some(body) => {
                assert_eq!(String::from_utf8(request.body.clone()).unwrap(), body);
                expected.push(("content-type", "application/json"));
            }
            None => assert!(request.body.is_empty()),
        }
        assert_headers(request, &expected);
    }
    received.len()
}

#[tokio::test]
async fn a_minimal_session_request_is_sent_as_documented() {
    let server = answering(200, SESSION).await;
    client(&server).create_session(&minimal()).await.unwrap();
    let sent = the_requests(
        &server,
        "POST",
        "/widget/session",
        Some(r#"{"partner_user_id":"user-123","user_email":"user@example.com","network":"TRC20","currency":"USDT","amount":"99.50"}"#),
    )
    .await;
    assert_eq!(sent, 1);
}

#[tokio::test]
async fn a_full_session_request_is_sent_as_documented_and_the_response_parsed() {
    let server = answering(200, SESSION).await;
    let request = SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::from(100))
        .transaction_type(TransactionType::Buy)
        .redirect_url(Url::parse("https://app.example.com/done").unwrap())
        .client_ip("203.0.113.42".parse().unwrap())
        // The seed's "TRx1a2b3c4d5e6f…" is a placeholder, not a Tron address; the SDK checks
        // addresses before sending, so a real one stands here.
        .address("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL")
        .build()
        .unwrap();
    let session = client(&server).create_session(&request).await.unwrap();
    // Written out here, not taken from the SDK's `to_body()`: the documented snake_case
    // fields, the amount as a decimal string.
    let body = r#"{"partner_user_id":"user-123","user_email":"user@example.com","network":"TRC20","currency":"USDT","amount":"100","type":"buy","redirect_url":"https://app.example.com/done","client_ip":"203.0.113.42","address":"TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"}"#;
    assert_eq!(
        the_requests(&server, "POST", "/widget/session", Some(body)).await,
        1
    );
    insta::assert_snapshot!("full_session_request", body);
    assert_eq!(
        session.fix_network.as_deref(),
        Some(&["TRC20".to_owned()][..])
    );
    insta::assert_snapshot!(
        "seed_session",
        serde_json::to_string_pretty(&session).unwrap()
    );
}

#[tokio::test]
async fn widget_config_is_the_camel_case_object_with_every_value_unchanged() {
    let mut with_unknown: serde_json::Value = serde_json::from_str(SESSION).unwrap();
    with_unknown["kyc_level"] = serde_json::json!("basic");
    with_unknown["new_flags"] = serde_json::json!({"a_b": 1});
    let server = answering(200, &with_unknown.to_string()).await;
    let session = client(&server).create_session(&minimal()).await.unwrap();
    let expected = serde_json::json!({
        "merchantTransactionId": "550e8400-e29b-41d4-a716-446655440000",
        "widgetId": "fb359d09-fff6-4b1f-906c-b9062b135065",
        "address": "TRx1a2b3c4d5e6f...",
        "signature": "v2:a1b2c3d4e5f6...",
        "initToken": "eyJhbGciOi...",
        "initTokenType": "sdk_partner_authorization",
        "currency": "USDT",
        "currencies": ["USDT"],
        "fixCurrency": true,
        "network": "TRC20",
        "networks": ["TRC20", "ERC20"],
        "fixNetwork": ["TRC20"],
        "amount": "100",
        "fixAmount": true,
        "fiatCurrency": "EUR",
        "fiatCurrencies": ["EUR", "USD"],
        "fixFiatCurrency": false,
        "fixFiatAmount": true,
        "type": "buy",
        "lang": "en",
        "theme": "light",
        "redirectUrl": "https://app.example.com/done",
        "kycLevel": "basic",
        "newFlags": {"a_b": 1}
    });
    assert_eq!(session.widget_config(), expected);
}

#[tokio::test]
async fn a_502_provider_error_is_retried_with_byte_identical_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/widget/session"))
        .respond_with(ResponseTemplate::new(502).set_body_string(
            r#"{"error": "upstream_error", "code": "provider_error", "message": "KYC provider timeout"}"#,
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/widget/session"))
        .respond_with(ResponseTemplate::new(200).set_body_string(SESSION))
        .mount(&server)
        .await;
    let session = client(&server).create_session(&minimal()).await.unwrap();
    assert_eq!(session.widget_id, "fb359d09-fff6-4b1f-906c-b9062b135065");
    let body = r#"{"partner_user_id":"user-123","user_email":"user@example.com","network":"TRC20","currency":"USDT","amount":"99.50"}"#;
    assert_eq!(
        the_requests(&server, "POST", "/widget/session", Some(body)).await,
        2
    );
}

#[tokio::test]
async fn a_502_provider_error_that_persists_stops_at_the_attempt_limit() {
    let server = answering(
        502,
        r#"{"error": "upstream_error", "code": "provider_error", "message": "KYC provider timeout"}"#,
    )
    .await;
    let err = client(&server)
        .create_session(&minimal())
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ApiErrorKind::ProviderError));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// Every documented row: status, body, the typed case, and the message shown.
#[tokio::test]
async fn every_documented_error_row_decodes_to_its_case_and_is_not_retried_on_4xx() {
    let rows = [
        (
            400,
            "invalid_request",
            "validation_error",
            ApiErrorKind::ValidationError,
        ),
        (
            400,
            "invalid_request",
            "currency_not_allowed",
            ApiErrorKind::CurrencyNotAllowed,
        ),
        (
            400,
            "wallet_not_supported",
            "WALLET_NOT_SUPPORTED",
            ApiErrorKind::WalletNotSupported,
        ),
        (
            400,
            "invalid_request",
            "decode_error",
            ApiErrorKind::DecodeError,
        ),
        (
            400,
            "invalid_request",
            "missing_param",
            ApiErrorKind::MissingParam,
        ),
        (
            401,
            "unauthorised",
            "invalid_token",
            ApiErrorKind::InvalidToken,
        ),
        (
            401,
            "unauthorised",
            "missing_token",
            ApiErrorKind::MissingToken,
        ),
        (
            403,
            "forbidden",
            "forbidden_origin",
            ApiErrorKind::ForbiddenOrigin,
        ),
        (404, "not_found", "not_found", ApiErrorKind::NotFound),
        (
            500,
            "publish_failed",
            "kafka_unavailable",
            ApiErrorKind::PublishFailed,
        ),
        (
            409,
            "session_already_used",
            "session_already_used",
            ApiErrorKind::Other,
        ),
        (422, "kyc_required", "kyc_required", ApiErrorKind::Other),
    ];
    let mut shown = Vec::new();
    for (status, error, code, kind) in rows {
        let server = answering(
            status,
            &format!(r#"{{"error": "{error}", "code": "{code}", "message": "{code} happened"}}"#),
        )
        .await;
        let err = client(&server)
            .create_session(&minimal())
            .await
            .unwrap_err();
        assert_eq!(err.api_kind(), Some(kind), "{error}/{code}");
        assert_eq!(err.request_id(), Some("req_7b1c"));
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{code} retried"
        );
        shown.push(err.to_string());
    }
    insta::assert_snapshot!("documented_errors", shown.join("\n"));
}

#[tokio::test]
async fn forbidden_origin_without_an_origin_says_to_set_one() {
    let server = answering(
        403,
        r#"{"error": "forbidden", "code": "forbidden_origin", "message": "Origin not allowed"}"#,
    )
    .await;
    let client = Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from(TOKEN),
    )
    .build()
    .unwrap();
    let err = client.create_session(&minimal()).await.unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"Proof error forbidden/forbidden_origin (HTTP 403 Forbidden): Origin not allowed [request id req_7b1c] (this server's IP is not on your allowlist, or no Origin header was sent; register the IP with Proof, and set ClientBuilder::origin to a registered origin)");
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("origin").is_none());
}

#[tokio::test]
async fn a_transaction_is_a_get_with_exact_amounts() {
    let server = answering(200, TRANSACTION).await;
    let transaction = client(&server)
        .transaction("550e8400-e29b-41d4-a716-446655440000")
        .await
        .unwrap();
    assert_eq!(
        the_requests(
            &server,
            "GET",
            "/widget/transactions/550e8400-e29b-41d4-a716-446655440000",
            None
        )
        .await,
        1
    );
    assert_eq!(transaction.status, OrderStatus::Completed);
    assert!(transaction.status.is_terminal());
    assert_eq!(
        transaction.fiat_amount.unwrap().to_string(),
        "92.570000000000000001"
    );
    insta::assert_debug_snapshot!("transaction", transaction);
}

#[path = "contract/failures_and_secrets.rs"]
mod failures_and_secrets;
