//! Callback verification: each way a callback can be wrong is its own error, and nothing is
//! parsed before the signature holds. Expected signatures are computed here with `hmac` and
//! `sha2` directly.

use ramp_core::webhook::{Event, HeaderMap, Verify, WebhookError, header_map};
use ramp_koinal::webhook::test_util;
use ramp_koinal::{
    CallbackScheme, ErrorKind, OrderStatus, SecretString, WebhookEvent, WebhookVerifier,
};
use ramp_testkit::{hmac_sha256_hex, sha256_hex};

const SECRET: &str = "11qq22ww";
const BODY: &[u8] = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.100341160000000001,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","blockchain_tx_id":"4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b","fee":{"amount":"0.0001"}}"#;
const MISMATCH: WebhookError = WebhookError::BadSignature(
    "the signature does not match the body (a changed body or signature, or the wrong callback \
     secret)",
);

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn hmac_signature(body: &[u8]) -> String {
    hmac_sha256_hex(SECRET.as_bytes(), &[body, SECRET.as_bytes()].concat())
}

fn sha256_signature(body: &[u8]) -> String {
    sha256_hex(&[body, SECRET.as_bytes()].concat())
}

fn signed(signature: &str) -> HeaderMap {
    header_map("Signature", signature).unwrap()
}

fn verify_with(
    body: &[u8],
    signature: &str,
    scheme: CallbackScheme,
) -> Result<WebhookEvent, WebhookError> {
    WebhookVerifier::new(secret(), scheme)
        .unwrap()
        .verify(body, &signed(signature))
}

fn verify(body: &[u8], signature: &str) -> Result<WebhookEvent, WebhookError> {
    verify_with(body, signature, CallbackScheme::default())
}

#[test]
fn a_valid_callback_verifies_under_the_default_scheme_and_parses_exactly() {
    let signature = hmac_signature(BODY);
    let delivery = test_util::signed_webhook(BODY, &secret(), CallbackScheme::HmacBodyPlusSecret);
    assert_eq!(delivery.headers["signature"], signature.as_str());
    assert_eq!(delivery.body, BODY);
    let received = verify(BODY, &signature).unwrap();
    assert_eq!(received.status, OrderStatus::Completed);
    assert_eq!(received.crypto_amount.to_string(), "0.100341160000000001");
    assert_eq!(
        (
            received.order_id(),
            received.provider_status(),
            received.is_terminal()
        ),
        ("12", "COMPLETED", true)
    );
    assert_eq!(received.dedup_key(), "12:COMPLETED");
    assert_eq!(
        received.wallet_address(),
        Some("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    );
    insta::assert_debug_snapshot!("callback", received);
    // Upper-case hex and surrounding whitespace in the header are accepted.
    let shouted = format!(" {} ", signature.to_uppercase());
    assert!(verify(BODY, &shouted).is_ok());
}

#[test]
fn a_valid_callback_verifies_under_the_sha256_scheme_when_chosen() {
    let signature = sha256_signature(BODY);
    assert_eq!(
        test_util::signature(BODY, &secret(), CallbackScheme::Sha256BodyPlusSecret),
        signature
    );
    let received = verify_with(BODY, &signature, CallbackScheme::Sha256BodyPlusSecret).unwrap();
    assert_eq!(received.order_id, "12");
}

#[test]
fn a_flipped_body_byte_is_a_mismatch() {
    let signature = hmac_signature(BODY);
    let mut body = BODY.to_vec();
    body[20] ^= 1;
    assert_eq!(verify(&body, &signature), Err(MISMATCH));
}

#[test]
fn a_flipped_signature_digit_is_a_mismatch() {
    let mut signature = hmac_signature(BODY).into_bytes();
    signature[0] = if signature[0] == b'0' { b'1' } else { b'0' };
    let signature = String::from_utf8(signature).unwrap();
    assert_eq!(verify(BODY, &signature), Err(MISMATCH));
}

#[test]
fn the_wrong_secret_is_a_mismatch() {
    let signature = hmac_signature(BODY);
    let wrong = WebhookVerifier::new(
        SecretString::from("not-the-secret"),
        CallbackScheme::default(),
    )
    .unwrap();
    assert_eq!(wrong.verify(BODY, &signed(&signature)), Err(MISMATCH));
}

#[test]
fn an_absent_or_empty_header_is_missing() {
    let verifier = WebhookVerifier::new(secret(), CallbackScheme::default()).unwrap();
    assert_eq!(
        verifier.verify(BODY, &HeaderMap::new()),
        Err(WebhookError::MissingHeader("Signature"))
    );
    for header in ["", "   "] {
        assert_eq!(
            verify(BODY, header),
            Err(WebhookError::MissingHeader("Signature")),
            "{header:?}"
        );
    }
}

#[test]
fn a_non_hex_or_short_header_is_malformed() {
    let signature = hmac_signature(BODY);
    for header in [
        signature[..63].to_string(),
        format!("{}0", signature),
        format!("{}z", &signature[..63]),
        "sha256=abc".to_string(),
    ] {
        assert_eq!(
            verify(BODY, &header),
            Err(WebhookError::BadSignature(
                "the Signature header is not 64 hex digits"
            )),
            "{header}"
        );
    }
}

#[test]
fn the_other_schemes_signature_is_refused_and_named() {
    let err = verify(BODY, &sha256_signature(BODY)).unwrap_err();
    assert_eq!(
        err,
        WebhookError::BadSignature(
            "the signature matches CallbackScheme::Sha256BodyPlusSecret, not the configured \
             scheme; verify this account's callbacks with that one"
        )
    );
    let err = verify_with(
        BODY,
        &hmac_signature(BODY),
        CallbackScheme::Sha256BodyPlusSecret,
    )
    .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"webhook refused: bad signature: the signature matches CallbackScheme::HmacBodyPlusSecret, not the configured scheme; verify this account's callbacks with that one");
}

#[test]
fn a_correctly_signed_body_that_is_not_the_callback_is_its_own_error() {
    for (body, path) in [
        (&b"order 12 completed"[..], "."),
        (br#"{"order_id":12,"status":"COMPLETED"}"#, "."),
        (
            br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":"lots","cryptocurrency_code":"BTC","address":"a"}"#,
            "crypto_amount",
        ),
    ] {
        match verify(body, &hmac_signature(body)) {
            Err(WebhookError::Malformed(err)) => assert_eq!(err.path, path),
            other => panic!("{other:?}"),
        }
    }
    let body = b"order 12 completed";
    let err = verify(body, &hmac_signature(body)).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"webhook refused: signed, but the body could not be read at `.`: expected value at line 1 column 1");
}

#[test]
fn a_blank_secret_is_refused_when_the_verifier_is_built() {
    for blank in ["", " ", "\t"] {
        let err =
            WebhookVerifier::new(SecretString::from(blank), CallbackScheme::default()).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "the Koinal callback secret is empty or whitespace only"
        );
    }
    let verifier = WebhookVerifier::new(secret(), CallbackScheme::default()).unwrap();
    assert!(!format!("{verifier:?}").contains(SECRET));
}
