//! The client against Koinal's documented contract, on a local wiremock server per test.
//!
//! Every request is checked for its method, path, full header set and exact body; the `Hash`
//! header is decoded here with `base64` and its signature recomputed with `hmac`/`sha2`
//! directly, independently of the crate.

use ramp_core::http::HttpConfig;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine as _;
use ramp_koinal::{
    Client, Error, ErrorKind, HttpError, HttpErrorKind, OrderRequest, OrderStatus, QuoteRequest,
    SecretString, Url,
};
use ramp_testkit::{answering, assert_headers, dec, fast_retries, hmac_sha256_hex};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MERCHANT: u64 = 204817;
const SECRET: &str = "k0inal_s3cret_9f8e7d6c5b4a";
const NOW: u64 = 1_795_420_800;
const TOKEN: &str = "83771cad9663db92693bc57579182678";

const QUOTE: &str = r#"{
    "data": {
        "cryptocurrency_amount": 0.10034116,
        "cryptocurrency": "BTC",
        "currency_amount": 1000,
        "currency": "USD",
        "token": "83771cad9663db92693bc57579182678"
    },
    "code": "00",
    "message": "APPROVED",
    "status": "APPROVED"
}"#;

const ORDER: &str = r#"{"data": {"order_id": "12", "checkout_url": "https://checkout.koinal.example/orders/12?t=abc"}, "code": "00", "message": "APPROVED", "status": "APPROVED"}"#;

const STATUS: &str = r#"{
    "data": {
        "order_id": 12,
        "status": "PAYMENT_WAITING",
        "total_amount": "1000.00",
        "currency_code": "USD",
        "cryptocurrency_amount": "0.100341160000000001",
        "cryptocurrency_code": "BTC",
        "blockchain_tx_id": null,
        "timestamp": 1795420801
    },
    "code": "00",
    "message": "APPROVED",
    "status": "APPROVED"
}"#;

/// The `Hash` header Koinal expects for `reference` at `NOW`, built without the crate.
fn independent_hash_json(reference: &str) -> String {
    let signature = hmac_sha256_hex(
        SECRET.as_bytes(),
        format!("{MERCHANT}{reference}{NOW}{SECRET}").as_bytes(),
    );
    format!(
        r#"{{"merchant_code":{MERCHANT},"customer_reference":"{reference}","timestamp":"{NOW}","signature":"{signature}"}}"#
    )
}

fn client(server: &MockServer) -> Client {
    Client::builder(
        Url::parse(&server.uri()).unwrap(),
        MERCHANT,
        SecretString::from(SECRET),
    )
    .clock(|| NOW)
    .http_config(HttpConfig::new().retry(fast_retries()))
    .build()
    .unwrap()
}

fn btc_for_1000_usd() -> QuoteRequest {
    QuoteRequest::builder()
        .cryptocurrency("BTC")
        .currency("USD")
        .currency_amount(dec("1000"))
        .build()
        .unwrap()
}

/// The one request the server saw, against the contract: method, path, every header, body.
async fn the_request(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    authorization: Option<&str>,
) -> String {
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "exactly one request");
    let request = &received[0];
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), None);
    // The Hash value is decoded and checked by the caller, against an independent build.
    let hash = ramp_testkit::header(request, "hash").expect("a Hash header");
    let mut expected = vec![
        ("accept", "*/*"),
        ("hash", hash.as_str()),
        (
            "user-agent",
            concat!("ramp-koinal/", env!("CARGO_PKG_VERSION")),
        ),
    ];
    if let Some(authorization) = authorization {
        expected.push(("authorization", authorization));
    }
    let length;
    match body {
        Some(body) => {
            assert_eq!(String::from_utf8(request.body.clone()).unwrap(), body);
            length = body.len().to_string();
            expected.push(("content-type", "application/json"));
            expected.push(("content-length", length.as_str()));
        }
        None => assert!(request.body.is_empty()),
    }
    assert_headers(request, &expected);
    let json = base64::engine::general_purpose::STANDARD
        .decode(&hash)
        .unwrap();
    String::from_utf8(json).unwrap()
}

#[tokio::test]
async fn a_quote_carries_a_fresh_hash_and_decodes_both_amounts_exactly() {
    let server = answering(201, QUOTE).await;
    let quote = client(&server)
        .quote("User1", &btc_for_1000_usd())
        .await
        .unwrap();
    let hash = the_request(
        &server,
        "POST",
        "/quotes",
        Some(r#"{"cryptocurrency":"BTC","currency_amount":1000,"currency":"USD"}"#),
        None,
    )
    .await;
    assert_eq!(hash, independent_hash_json("User1"));
    insta::assert_snapshot!("decoded_hash", hash);
    assert_eq!(quote.token, TOKEN);
    assert_eq!(quote.cryptocurrency_amount.to_string(), "0.10034116");
    insta::assert_snapshot!("quote", serde_json::to_string_pretty(&quote).unwrap());
}

#[tokio::test]
async fn a_quote_for_a_crypto_amount_sends_cryptocurrency_amount() {
    let server = answering(201, QUOTE).await;
    let request = QuoteRequest::builder()
        .cryptocurrency("BTC")
        .currency("USD")
        .cryptocurrency_amount(dec("0.10034116"))
        .build()
        .unwrap();
    client(&server).quote("User1", &request).await.unwrap();
    let hash = the_request(
        &server,
        "POST",
        "/quotes",
        Some(r#"{"cryptocurrency_amount":0.10034116,"cryptocurrency":"BTC","currency":"USD"}"#),
        None,
    )
    .await;
    assert_eq!(hash, independent_hash_json("User1"));
}

#[tokio::test]
async fn an_order_carries_the_quote_token_as_authorization_and_in_the_body() {
    let server = answering(201, ORDER).await;
    let request = OrderRequest::builder(TOKEN, "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe")
        .destination_tag("3090137051")
        .ip_address("2001:db8::68".parse().unwrap())
        .build()
        .unwrap();
    let order = client(&server)
        .create_order("User-42", &request)
        .await
        .unwrap();
    let body = r#"{"token":"83771cad9663db92693bc57579182678","wallet_address":"rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe","destination_tag":"3090137051","ip_address":"2001:db8::68"}"#;
    let hash = the_request(&server, "POST", "/orders", Some(body), Some(TOKEN)).await;
    assert_eq!(hash, independent_hash_json("User-42"));
    insta::assert_snapshot!("order_body", body);
    assert_eq!(order.order_id, "12");
    assert_eq!(
        order.checkout_url.as_str(),
        "https://checkout.koinal.example/orders/12?t=abc"
    );
}

#[tokio::test]
async fn order_status_is_a_get_with_the_hash_and_exact_amounts() {
    let server = answering(200, STATUS).await;
    let status = client(&server).order_status("User1", "12").await.unwrap();
    let hash = the_request(&server, "GET", "/orders/12/status", None, None).await;
    assert_eq!(hash, independent_hash_json("User1"));
    assert_eq!(status.status, OrderStatus::PaymentWaiting);
    assert_eq!(
        status.cryptocurrency_amount.to_string(),
        "0.100341160000000001"
    );
    assert_eq!(status.blockchain_tx_id, None);
    insta::assert_debug_snapshot!("order_status", status);
}

#[tokio::test]
async fn an_order_id_from_user_input_cannot_escape_its_path_segment() {
    let server = answering(200, STATUS).await;
    client(&server)
        .order_status("User1", "12/../../admin?x=1")
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].url.path(),
        "/orders/12%2F..%2F..%2Fadmin%3Fx=1/status"
    );
}

#[tokio::test]
async fn a_code_other_than_00_is_an_api_error_even_with_http_201() {
    let server = answering(
        201,
        r#"{"data": null, "code": "51", "message": "Insufficient limit", "status": "DECLINED"}"#,
    )
    .await;
    let err = client(&server)
        .quote("User1", &btc_for_1000_usd())
        .await
        .unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.code.as_deref() == Some("51")),
        "{err:?}"
    );
    insta::assert_snapshot!(err.to_string(), @"Koinal error 51 (HTTP 201 Created): Insufficient limit");
}

#[tokio::test]
async fn an_http_error_with_the_envelope_is_an_api_error_and_an_order_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(500).set_body_string(
            r#"{"code": "96", "message": "System malfunction", "status": "ERROR"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let request = OrderRequest::builder(TOKEN, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
        .build()
        .unwrap();
    let err = client(&server)
        .create_order("User1", &request)
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    insta::assert_snapshot!(err.to_string(), @"Koinal error 96 (HTTP 500 Internal Server Error): System malfunction");
}

#[tokio::test]
async fn a_4xx_without_the_envelope_is_a_clean_status_error() {
    let server = answering(401, "Unauthorized").await;
    let err = client(&server)
        .order_status("User1", "12")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::Status { .. })
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    insta::assert_snapshot!(err.to_string().replace(&server.uri(), "http://server"), @"GET http://server/orders/12/status: HTTP 401 Unauthorized: Unauthorized");
}

#[tokio::test]
async fn a_status_read_is_retried_after_an_html_503() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><body>Service Unavailable</body></html>"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(STATUS))
        .mount(&server)
        .await;
    let status = client(&server).order_status("User1", "12").await.unwrap();
    assert_eq!(status.order_id, "12");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn malformed_bodies_are_decode_errors_naming_the_path() {
    let server = answering(
        201,
        r#"{"data": {"token": "t", "cryptocurrency_amount": "lots", "cryptocurrency": "BTC", "currency_amount": 1000, "currency": "USD"}, "code": "00"}"#,
    )
    .await;
    let err = client(&server)
        .quote("User1", &btc_for_1000_usd())
        .await
        .unwrap_err();
    assert!(
        matches!(err.http().map(HttpError::kind), Some(HttpErrorKind::Decode { path, .. }) if path == "data.cryptocurrency_amount"),
        "{err:?}"
    );

    let server = answering(201, r#"{"code": "00", "data": {"order_id": "12"}}"#).await;
    let request = OrderRequest::builder(TOKEN, "w").build().unwrap();
    let err = client(&server)
        .create_order("User1", &request)
        .await
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"POST /orders: could not decode the response at `data`: missing field `checkout_url` at line 1 column 41 (HTTP 201 Created)");

    let server = answering(200, "<html>maintenance</html>").await;
    let err = client(&server)
        .order_status("User1", "12")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::NotJson { .. })
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_timeout_is_a_typed_error_and_an_order_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(5)))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(
        Url::parse(&server.uri()).unwrap(),
        MERCHANT,
        SecretString::from(SECRET),
    )
    .http_config(
        HttpConfig::new()
            .timeout(Duration::from_millis(200))
            .retry(fast_retries()),
    )
    .build()
    .unwrap();
    let request = OrderRequest::builder(TOKEN, "w").build().unwrap();
    let err = client.create_order("User1", &request).await.unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::Timeout {
                connecting: false,
                ..
            })
        ),
        "{err:?}"
    );
}

#[path = "contract/refusals_and_secrets.rs"]
mod refusals_and_secrets;
