//! The client against Kryptonim's documented contract, on a local wiremock server per test.
//!
//! Every request is checked for its method, path, full header set and exact body bytes, and
//! its signature is recomputed here with `hmac`/`sha2` directly, independently of the crate.

use ramp_core::http::HttpConfig;
use std::time::Duration;

use ramp_kryptonim::{
    Client, ErrorKind, HttpError, HttpErrorKind, PaymentMethod, QuoteRequest, RetryPolicy,
    SecretString, UnlockedField, Url, WidgetSessionRequest,
};
use ramp_testkit::{answering, assert_headers, dec, fast_retries, hmac_sha256_hex};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "kry_test_key_4f9a0c1d2e3b";
const SECRET: &str = "your_signature_secret";
const ADDRESS: &str = "0x977BC1915dA4f7edA9D2e49BC08356db37478538";

const SESSION: &str = r#"{
  "sessionId": "7c303babX3jp7c4942904a262a0c1b94",
  "widgetUrl": "https://buy.kryptonim.com/exchange?gdata=MWXEGqPRPfprP2WtH9edvlhNnBwyRWVpVXiJIJbPQtIgcWxGfSvjoEJxf7YgHnKKMcQ8RdXUaP0tmXnReQ7VoY%2FVvHNctK7KrIdPJ6h6lW3MV1y%2BSXS%2BNWqJFJlIWQJ23JpqPNbh23PJ%2FBjuYTcyvzUgsd3i%2BChohw%2F9JB6EC9pR9LTUK87WOwOQlcnGh04s8n9xVWs9ZKeWHyC5fjV7v%2BNyDQNiNfTwScmps9pHsQ4%2FrQZkHpQwTKw7IgQ53TrbNIq7q4CfnpVjx1mZAyJAKfs3wEJAAXFsh6dC2DbbWF83F8kN1%2B2nMF8%2B%2BQwYuIwneRRj%2BOYhWtTbqUpV%2F7cmMxswnD7yESOuC7zrJGEdWdZKNUF9Y3iPOo50L2EkLmAGe6amRPDUUFa6qWIWpcWBMy2EPy%2FfV1IjqOWCqvV2HQPeo46MR5r%2FA3PlpoquzKzIcSIcX8W%2BXvLb6hz1ivHmxJhYXlrWg6Ws6aZg6z1upA94UGVGi1QxTOpcX1ADMTM1ky3oTlsOHUjqFMxhuEsKqThG5X02mgZ%2F%2FPRr1AtNaNNUiCQGOcxUj0X6%2FaKievFK%2BbGycFiQYaCS9QmVbcLIdwCNy6hB1ZQ43jbc8c9c9OzZo2%2Bya24ICLpAhX3qnGLPWtmb%2B4tPcr8OaS1rMStBt0LhIrPpHat9zyC6lgbA7OgaMZAApJsgvIsjHq%2BYnJOWUsuX3OjzSfJ%2BQ7Vt19a3VZeACb9enVBJZLziozPe2k0UrYz620aWo8BWOf8y%2B7FYTuTRcjYd%2B75e%2Bo86bozuvWQ%2BViQ02BwC%2BI6E1ZCAZnGJrUODCAIbGfPXzAiOvEcTpa0nPe3PKWqu%2FJlx1Coim3wdE87tSbee0fTH2kAcfcZrXJWKh%2BKO2qC981Yr4fFg6%2FsdZowKJiActzHHHgQ0fiu%2FcFn5qxZsBfhMDDxIIdGQgYBB6WsLJKV8KYLDz7mJBQZOJBFv2tgQCSFoo7TYmOlhnfxEFZ3EbGlSKZ1MAKK7HQKlI9M3A7jrG82mubGkat0q4fvHsJyvRufUiQj5sD96J3tGo%2BUAxJPuSG71SnGdpg%2FSuhYxlwf%2FfAl8LhMgB22I07tF%2BN5tlAiQ3GzKzj27K2vZ%2FHsNXPzDgIGWSOifby5STQiRnZ%2F6ZcJ%2Br1h6%2Bbh1rzPzuBMh2%2BASAiYC9TT2ecKovr2CAOerv62cpLCJVTpu4W7Ud9Zpa2vJFSRyS53obL%2FZmfIMoFc20swzsFLH%2BggVYFxeaWgeRVeU%2BL1xQLAs5MqKfHwPbFDQsiA%2Fc92TrjAqAYyp10nibq2C5YztlKh1f76FNl%2FlUC6XOGZ0Ghy8IMjyNNX%2Bzi5hPWCbQj%2BV%2BqV9sKAK5s5I38UBOw%3D%3D&m=XxxXXx0&address=0x977BC1915dA4f7edA9D2e49BC08356db37478538",
  "expiresAt": "2025-11-13T08:18:47.447527Z"
}"#;

/// hex(HMAC-SHA256(SECRET, body)), computed without the crate under test.
fn independent_signature(body: &[u8]) -> String {
    hmac_sha256_hex(SECRET.as_bytes(), body)
}

fn client(server: &MockServer) -> Client {
    Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from(API_KEY),
        SecretString::from(SECRET),
    )
    .http_config(HttpConfig::new().retry(fast_retries()))
    .build()
    .unwrap()
}

fn five_fields() -> WidgetSessionRequest {
    WidgetSessionRequest::builder()
        .fiat_amount(dec("15"))
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address(ADDRESS)
        .build()
        .unwrap()
}

/// The only request the server saw, checked against the documented contract: method, path,
/// exactly the expected headers, the exact body.
async fn the_request(server: &MockServer, path: &str, signed: bool, body: &str) {
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "exactly one request");
    let request = &received[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), None);
    assert_eq!(String::from_utf8(request.body.clone()).unwrap(), body);

    let length = body.len().to_string();
    let signature = independent_signature(body.as_bytes());
    let mut expected = vec![
        ("accept", "*/*"),
        ("content-length", length.as_str()),
        ("content-type", "application/json"),
        (
            "user-agent",
            concat!("ramp-kryptonim/", env!("CARGO_PKG_VERSION")),
        ),
        ("x-api-key", API_KEY),
    ];
    if signed {
        expected.push(("x-request-signature", signature.as_str()));
    }
    assert_headers(request, &expected);
}

#[tokio::test]
async fn the_seed_example_is_sent_byte_for_byte_and_signed_over_those_bytes() {
    let server = answering(201, SESSION).await;
    let session = client(&server)
        .create_widget_session(&five_fields())
        .await
        .unwrap();
    let body = r#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}"#;
    the_request(&server, "/v1/widget-sessions", true, body).await;
    // The seed's own JavaScript, run under Node, gives this signature for this body.
    assert_eq!(
        independent_signature(body.as_bytes()),
        "89bb1986a2abdef1aae173026af1c04ab07b0366ea7c5c67be96c44168053fab"
    );
    insta::assert_snapshot!(
        "seed_session",
        serde_json::to_string_pretty(&session).unwrap()
    );
}

#[tokio::test]
async fn every_optional_field_is_sent_in_the_documented_order() {
    let server = answering(201, SESSION).await;
    let request = WidgetSessionRequest::builder()
        .fiat_amount(dec("15"))
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address(ADDRESS)
        .email("user@example.com")
        .payment_method(PaymentMethod::GooglePay)
        .unlocked_fields([UnlockedField::FiatAmount, UnlockedField::Email])
        .metadata("yourfield", "loremipsum")
        .metadata("someotherfield", 1234)
        .external_partner_id("partnerId123")
        .success_url(Url::parse("https://yoursite.com/success").unwrap())
        .failure_url(Url::parse("https://yoursite.com/failure").unwrap())
        .ip_address("127.0.0.1".parse().unwrap())
        .build()
        .unwrap();
    client(&server)
        .create_widget_session(&request)
        .await
        .unwrap();
    // Written out here, not taken from the SDK's own `to_body()`: the documentation's field
    // order, JavaScript's number layout, metadata in the order it was added.
    let body = r#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538","email":"user@example.com","paymentMethod":"google_pay","unlockedFields":["fiatAmount","email"],"metadata":{"yourfield":"loremipsum","someotherfield":1234,"_externalPartnerId":"partnerId123"},"successUrl":"https://yoursite.com/success","failureUrl":"https://yoursite.com/failure","ipAddress":"127.0.0.1"}"#;
    the_request(&server, "/v1/widget-sessions", true, body).await;
    assert_eq!(request.to_body(), body.as_bytes());
}

#[tokio::test]
async fn a_crypto_amount_is_sent_digit_for_digit_and_one_javascript_cannot_hold_is_refused() {
    let server = answering(201, SESSION).await;
    let request = |amount: &str| {
        WidgetSessionRequest::builder()
            .crypto_amount(dec(amount))
            .fiat_currency("EUR")
            .crypto_currency("USDC")
            .network("polygon")
            .destination_address(ADDRESS)
            .metadata("ratio", 0.25)
            .ip_address("::ffff:192.0.2.1".parse().unwrap())
            .build()
    };
    client(&server)
        .create_widget_session(&request("0.12345678").unwrap())
        .await
        .unwrap();
    the_request(
        &server,
        "/v1/widget-sessions",
        true,
        r#"{"cryptoAmount":0.12345678,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538","metadata":{"ratio":0.25},"ipAddress":"::ffff:192.0.2.1"}"#,
    )
    .await;
    // 18 decimals: JSON.parse would read 0.12345678901234568, another amount.
    let err = request("0.123456789012345678").unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Validation {
                field: "cryptoAmount",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn unsupported_network_is_a_typed_api_error() {
    let server = answering(
        400,
        r#"{"code": "INVALID_REQUEST", "message": "Unsupported network"}"#,
    )
    .await;
    let err = client(&server)
        .create_widget_session(&five_fields())
        .await
        .unwrap_err();
    let Some(api) = err.api() else {
        panic!("{err:?}")
    };
    assert_eq!(
        (
            api.status.as_u16(),
            api.code.as_deref().unwrap(),
            api.message.as_str()
        ),
        (400, "INVALID_REQUEST", "Unsupported network")
    );
    assert!(!err.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    insta::assert_snapshot!(err.to_string(), @"Kryptonim error INVALID_REQUEST (HTTP 400 Bad Request): Unsupported network");
}

#[tokio::test]
async fn unauthorized_says_what_to_check_and_is_not_retried() {
    let server = answering(
        401,
        r#"{"code": "UNAUTHORIZED", "message": "Unauthorized request"}"#,
    )
    .await;
    let err = client(&server)
        .create_widget_session(&five_fields())
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().code.as_deref(), Some("UNAUTHORIZED"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    insta::assert_snapshot!(err.to_string(), @"Kryptonim error UNAUTHORIZED (HTTP 401 Unauthorized): Unauthorized request (check that the X-API-Key and X-Request-Signature headers are sent, that the signature secret is the one Kryptonim issued for this environment, and that the body was not changed after it was signed)");
}

#[tokio::test]
async fn an_html_502_from_a_proxy_is_a_clean_error_and_a_session_is_not_created_twice() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/widget-sessions"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string("<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .create_widget_session(&five_fields())
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(matches!(err.kind(), ErrorKind::Http(_)), "{err:?}");
    insta::assert_snapshot!(err.to_string().replace(&server.uri(), "http://server"), @"POST http://server/v1/widget-sessions: HTTP 502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head> <body>nginx</body> </html>");
}

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_naming_the_field() {
    let server = answering(
        201,
        r#"{"sessionId": "s1", "widgetUrl": "not a url", "expiresAt": "2025-11-13T08:18:47Z"}"#,
    )
    .await;
    let err = client(&server)
        .create_widget_session(&five_fields())
        .await
        .unwrap_err();
    let Some(HttpErrorKind::Decode { path, .. }) = err.http().map(HttpError::kind) else {
        panic!("{err:?}")
    };
    assert_eq!(path, "widgetUrl");

    let server = answering(201, r#"{"sessionId": "s1", "#).await;
    let err = client(&server)
        .create_widget_session(&five_fields())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::Decode { .. })
        ),
        "{err:?}"
    );
    insta::assert_snapshot!(err.to_string(), @"POST /v1/widget-sessions: could not decode the response at `.`: EOF while parsing a value at line 1 column 20 (HTTP 201 Created)");
}

#[tokio::test]
async fn a_timeout_is_a_typed_error_and_the_session_request_is_not_repeated() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(5)))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from(API_KEY),
        SecretString::from(SECRET),
    )
    .http_config(
        HttpConfig::new()
            .timeout(Duration::from_millis(200))
            .retry(fast_retries()),
    )
    .build()
    .unwrap();
    let err = client
        .create_widget_session(&five_fields())
        .await
        .unwrap_err();
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
    assert!(err.is_retryable());
}

const QUOTES: &str = r#"[
  {"estimateID": "est_1", "quoteID": "q_1", "conversionPrice": "0.93120000", "marketConversionPrice": "0.92500000",
   "fiatCurrency": "EUR", "cryptoCurrency": "USDC", "paymentMethod": "card", "fiatAmount": "100.00",
   "cryptoAmount": "107.388316151202749140", "isBuyOrSell": "BUY", "fee": "1.99"},
  {"estimateID": "est_2", "quoteID": "q_2", "conversionPrice": "0.94", "marketConversionPrice": "0.925",
   "fiatCurrency": "EUR", "cryptoCurrency": "USDC", "paymentMethod": "sepa_instant", "fiatAmount": "100",
   "cryptoAmount": "106.382978723404255319", "isBuyOrSell": "BUY"}
]"#;

#[tokio::test]
async fn quotes_are_sent_unsigned_as_documented_and_decoded_exactly() {
    let server = answering(200, QUOTES).await;
    let request = QuoteRequest::builder()
        .fiat_currency("EUR")
        .fiat_amount(dec("100.00"))
        .token("USDC")
        .chain(137)
        .country_code("PL")
        .payment_method(PaymentMethod::Card)
        .build()
        .unwrap();
    let quotes = client(&server).quotes(&request).await.unwrap();
    the_request(
        &server,
        "/v1/quotes",
        false,
        r#"{"side":"BUY","fiatCurrency":"EUR","amount":"100.00","tokenAddress":"USDC","chainId":137,"countryCode":"PL","paymentMethod":"card"}"#,
    )
    .await;
    assert_eq!(
        quotes[0].crypto_amount.to_string(),
        "107.388316151202749140"
    );
    assert_eq!(
        quotes[1].payment_method,
        PaymentMethod::Other("sepa_instant".into())
    );
    insta::assert_debug_snapshot!("quotes", quotes);
}

#[tokio::test]
async fn a_crypto_quote_sends_converted_amount() {
    let server = answering(200, "[]").await;
    let request = QuoteRequest::builder()
        .fiat_currency("USD")
        .crypto_amount(dec("0.000000000000000001"))
        .token("0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359")
        .chain("polygon")
        .build()
        .unwrap();
    assert!(client(&server).quotes(&request).await.unwrap().is_empty());
    the_request(
        &server,
        "/v1/quotes",
        false,
        r#"{"side":"BUY","fiatCurrency":"USD","convertedAmount":"0.000000000000000001","tokenAddress":"0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359","chainId":"polygon"}"#,
    )
    .await;
}

#[path = "contract/retries_and_secrets.rs"]
mod retries_and_secrets;
