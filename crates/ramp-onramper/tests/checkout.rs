//! Checkout V2 against Onramper's contract (docs.onramper.com/docs/checkout-v2 and
//! /api-sign-requests-v2, read in December 2026), on local wiremock servers: the request
//! exactly (method, path, every header, body bytes written out here), the signature checked
//! with `ed25519-dalek` over a canonical string built here, the answer in both shapes, and
//! every local refusal sending nothing.

use ramp_core::http::HttpConfig;
use ramp_onramper::ErrorKind;
use std::net::IpAddr;

use base64::Engine as _;
use ramp_onramper::{
    CheckoutRequest, CheckoutType, Client, Decimal, Environment, Error, Platform, RetryPolicy,
    SecretString, SigningKey, Url,
};
use ramp_testkit::{answering_with, assert_headers, received, sha256_hex};
use wiremock::MockServer;

const API_KEY: &str = "pk_test_sandbox";
/// RFC 8032, test 2: the private key, and its public key.
const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7
-----END PRIVATE KEY-----
";
const PUBLIC_HEX: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const WALLET: &str = "0x977BC1915dA4f7edA9D2e49BC08356db37478538";
const ANSWER: &str = r#"{"redirectUrl":"https://buy.onramper.com/checkout?session=s1&resume=r-secret-token","sessionId":"s1"}"#;

fn user_ip() -> IpAddr {
    IpAddr::from([203, 0, 113, 9])
}

fn client(server: &MockServer) -> Client {
    Client::builder(
        Environment::Custom(Url::parse(&server.uri()).unwrap()),
        SecretString::from(API_KEY),
    )
    .signing_key(SigningKey::from_pkcs8_pem(KEY_PEM).unwrap())
    .http_config(
        HttpConfig::new().retry(
            RetryPolicy::deterministic().with_base_delay(std::time::Duration::from_millis(1)),
        ),
    )
    .build()
    .unwrap()
}

fn request() -> CheckoutRequest {
    CheckoutRequest::builder()
        .onramp("moonpay")
        .source("eur")
        .destination("eth")
        .amount(Decimal::new(10050, 2))
        .payment_method("creditcard")
        .network("ethereum")
        .wallet_address(WALLET)
        .partner_context("order-42")
        .email("user@example.com")
        .country("NL")
        .build()
        .unwrap()
}

/// The body Onramper should see, written out by hand (documented order, amount as given).
fn expected_body() -> String {
    let hash = sha256_hex(b"203.0.113.9");
    format!(
        r#"{{"onramp":"moonpay","source":"eur","destination":"eth","amount":100.50,"type":"buy","paymentMethod":"creditcard","network":"ethereum","wallet":{{"address":"{WALLET}"}},"partnerContext":"order-42","email":"user@example.com","country":"NL","endUserIpHash":"{hash}","clientIpHash":"{hash}","platform":"web"}}"#
    )
}

/// Verifies the request's V2 signature the way Onramper describes it, without the SDK.
fn assert_signed(request: &wiremock::Request) {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    let (timestamp, nonce) = (header("x-onramper-timestamp"), header("x-onramper-nonce"));
    assert_eq!(timestamp.len(), "2026-12-06T10:00:00.000Z".len());
    assert!(timestamp.ends_with('Z') && timestamp.as_bytes()[19] == b'.');
    assert_eq!(&nonce[14..15], "4", "a UUID v4: {nonce}");
    let canonical_body = serde_json_canonicalizer::to_string(
        &serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
    )
    .unwrap();
    let text = format!(
        "ONRAMPER-SIG-V2\n{timestamp}\n{nonce}\nPOST\n/checkout/v2/intent\n\n\
         authorization:{API_KEY}\ncontent-type:application/json\n{}",
        sha256_hex(canonical_body.as_bytes())
    );
    let signature = header("x-onramper-signature");
    let signature = base64::engine::general_purpose::STANDARD
        .decode(signature.strip_prefix("v2:").unwrap())
        .unwrap();
    let public: [u8; 32] = hex::decode(PUBLIC_HEX).unwrap().try_into().unwrap();
    ed25519_dalek::VerifyingKey::from_bytes(&public)
        .unwrap()
        .verify_strict(
            text.as_bytes(),
            &ed25519_dalek::Signature::from_slice(&signature).unwrap(),
        )
        .expect("the V2 signature covers this request");
}

#[tokio::test]
async fn the_checkout_is_sent_exactly_and_signed_as_documented() {
    let server = answering_with(200, ANSWER, &[]).await;
    let session = client(&server)
        .checkout(&request(), user_ip(), Platform::Web)
        .await
        .unwrap();
    assert_eq!(session.session_id, "s1");
    assert_eq!(
        session.redirect_url.expose_url().as_str(),
        "https://buy.onramper.com/checkout?session=s1&resume=r-secret-token"
    );
    let debug = format!("{session:?}");
    assert!(
        !debug.contains("resume") && debug.contains("[REDACTED]"),
        "{debug}"
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(sent.url.path(), "/checkout/v2/intent");
    assert_eq!(sent.url.query(), None);
    assert_eq!(
        String::from_utf8(sent.body.clone()).unwrap(),
        expected_body()
    );
    let header = |name: &str| sent.headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_headers(
        sent,
        &[
            ("accept", "*/*"),
            ("authorization", API_KEY),
            ("content-type", "application/json"),
            (
                "user-agent",
                concat!("ramp-onramper/", env!("CARGO_PKG_VERSION")),
            ),
            ("x-onramper-nonce", &header("x-onramper-nonce")),
            ("x-onramper-signature", &header("x-onramper-signature")),
            ("x-onramper-timestamp", &header("x-onramper-timestamp")),
        ],
    );
    assert_signed(sent);
}

#[tokio::test]
async fn every_call_has_a_fresh_nonce_and_the_answer_may_sit_in_message() {
    let wrapped = format!(r#"{{"message":{ANSWER}}}"#);
    let server = answering_with(200, &wrapped, &[]).await;
    let client = client(&server);
    for platform in [Platform::MobileIos, Platform::Other("desktop-app".into())] {
        let session = client
            .checkout(&request(), user_ip(), platform)
            .await
            .unwrap();
        assert_eq!(session.session_id, "s1");
    }
    let requests = received(&server).await;
    let nonces: Vec<_> = requests
        .iter()
        .map(|r| r.headers.get("x-onramper-nonce").unwrap().clone())
        .collect();
    assert_ne!(nonces[0], nonces[1]);
    for request in &requests {
        assert_signed(request);
    }
    let body: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(body["platform"], "desktop-app");
}

#[tokio::test]
async fn an_unreadable_answer_is_an_error_that_never_shows_the_redirect_url() {
    for body in [
        r#"{"message":{"status":"ok"}}"#,
        r#"{"redirectUrl":"https://buy.onramper.com/c?resume=r-secret-token"}"#,
        r#"{"redirectUrl":"https://buy.onramper.com/c?resume=r-secret-token","sessionId":7}"#,
        r#"{"redirectUrl":"not a url r-secret-token","sessionId":"s1"}"#,
        "r-secret-token",
    ] {
        let server = answering_with(200, body, &[]).await;
        let err = client(&server)
            .checkout(&request(), user_ip(), Platform::Web)
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::UnreadableCheckout { .. }),
            "{err:?}"
        );
        assert!(
            !format!("{err} {err:?}").contains("r-secret-token"),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn onrampers_refusals_carry_their_code_and_a_refused_post_is_not_repeated() {
    for (status, body, code) in [
        (
            401,
            r#"{"error":{"code":"SIGNATURE_INVALID","message":"Signature validation failed"}}"#,
            "SIGNATURE_INVALID",
        ),
        (
            401,
            r#"{"error":{"code":"NONCE_REUSED","message":"Nonce already used"}}"#,
            "NONCE_REUSED",
        ),
        (
            403,
            r#"{"code":"IP_BLOCKED","message":"IP blocked"}"#,
            "IP_BLOCKED",
        ),
        (503, r#"{"message":"try later"}"#, ""),
    ] {
        let server = answering_with(status, body, &[]).await;
        let err = client(&server)
            .checkout(&request(), user_ip(), Platform::Web)
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Api { .. }), "{err:?}");
        assert_eq!(
            err.api()
                .and_then(|api| api.code.as_deref())
                .unwrap_or_default(),
            code
        );
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert!(!err.to_string().contains(API_KEY));
        assert_eq!(
            received(&server).await.len(),
            1,
            "{code}: a signed POST is sent once"
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_signed_or_sent() {
    let server = answering_with(200, ANSWER, &[]).await;
    let client = client(&server);
    let typo = "0x977BC1915dA4f7edA9D2e49BC08356db37478539";
    let bad_wallet = CheckoutRequest::builder()
        .onramp("moonpay")
        .source("eur")
        .destination("eth")
        .amount(Decimal::from(100))
        .payment_method("creditcard")
        .network("ethereum")
        .wallet_address(typo)
        .partner_context("order-42")
        .build()
        .unwrap();
    fn field<T: std::fmt::Debug>(result: Result<T, Error>) -> &'static str {
        match result.map_err(Error::into_kind) {
            Err(ErrorKind::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        field(client.checkout(&bad_wallet, user_ip(), Platform::Web).await),
        "wallet.address"
    );
    for ip in ["0.0.0.0", "::"] {
        assert_eq!(
            field(
                client
                    .checkout(&request(), ip.parse().unwrap(), Platform::Web)
                    .await
            ),
            "endUserIpHash"
        );
    }
    assert_eq!(
        field(
            client
                .checkout(&request(), user_ip(), Platform::Other(" ".into()))
                .await
        ),
        "platform"
    );
    let keyless = Client::builder(
        Environment::Custom(Url::parse(&server.uri()).unwrap()),
        SecretString::from(API_KEY),
    )
    .build()
    .unwrap();
    assert_eq!(
        field(keyless.checkout(&request(), user_ip(), Platform::Web).await),
        "signing key"
    );
    assert!(received(&server).await.is_empty());

    let base = || {
        CheckoutRequest::builder()
            .onramp("moonpay")
            .source("eur")
            .destination("eth")
            .amount(Decimal::from(100))
            .payment_method("creditcard")
            .network("ethereum")
            .wallet_address(WALLET)
            .partner_context("order-42")
    };
    assert_eq!(field(base().amount(Decimal::ZERO).build()), "amount");
    assert_eq!(field(base().partner_context(" ").build()), "partnerContext");
    assert_eq!(field(base().country("nld").build()), "country");
    assert_eq!(field(base().email("nobody").build()), "email");
    assert_eq!(
        field(
            base()
                .checkout_type(CheckoutType::Other("swap".into()))
                .build()
        ),
        "type"
    );
    assert_eq!(
        field(base().supported_params(serde_json::json!([1])).build()),
        "supportedParams"
    );
}

#[test]
fn a_request_reads_from_the_documented_json_with_the_same_checks() {
    let json = format!(
        r#"{{"onramp":"moonpay","source":"eur","destination":"eth","amount":100.50,"type":"buy","paymentMethod":"creditcard","network":"ethereum","wallet":{{"address":"{WALLET}"}},"partnerContext":"order-42","email":"user@example.com","country":"NL"}}"#
    );
    let read: CheckoutRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(read, request());
    for (bad, why) in [
        (r#""endUserIpHash":"x","#, "unknown field `endUserIpHash`"),
        (r#""amount":-1,"#, "invalid `amount`"),
    ] {
        let text = json.replacen('{', &format!("{{{bad}"), 1);
        let text = if bad.contains("amount") {
            text.replace(r#""amount":100.50,"#, "")
        } else {
            text
        };
        let err = serde_json::from_str::<CheckoutRequest>(&text).unwrap_err();
        assert!(err.to_string().contains(why), "{err}");
    }
}

#[test]
fn nothing_prints_a_secret() {
    let client = Client::builder(Environment::Staging, SecretString::from(API_KEY))
        .signing_key(SigningKey::from_pkcs8_pem(KEY_PEM).unwrap())
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(API_KEY) && !debug.contains("MC4CAQAw"),
        "{debug}"
    );
    let empty = Client::builder(Environment::Staging, SecretString::from(" "))
        .signing_key(SigningKey::from_pkcs8_pem(KEY_PEM).unwrap())
        .build()
        .unwrap_err();
    assert!(matches!(empty.kind(), ErrorKind::EmptySecret(_)));
}
