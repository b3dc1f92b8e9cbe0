//! Callback verification: each way a callback can be wrong is its own error, and nothing is
//! parsed before the signature holds. Expected signatures are computed here with `hmac` and
//! `sha2` directly.

use ramp_koinal::{
    CallbackScheme, Error, ErrorKind, OrderState, SecretString, SignatureError, callback,
};
use ramp_testkit::{hmac_sha256_hex, sha256_hex};

const SECRET: &str = "11qq22ww";
const BODY: &[u8] = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.100341160000000001,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","blockchain_tx_id":"4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b","fee":{"amount":"0.0001"}}"#;

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn hmac_signature(body: &[u8]) -> String {
    hmac_sha256_hex(SECRET.as_bytes(), &[body, SECRET.as_bytes()].concat())
}

fn sha256_signature(body: &[u8]) -> String {
    sha256_hex(&[body, SECRET.as_bytes()].concat())
}

fn signature_error(result: Result<ramp_koinal::Callback, Error>) -> SignatureError {
    match result.map_err(Error::into_kind) {
        Err(ErrorKind::Signature(err)) => err,
        other => panic!("expected a signature error, got {other:?}"),
    }
}

#[test]
fn a_valid_callback_verifies_under_the_default_scheme_and_parses_exactly() {
    let signature = hmac_signature(BODY);
    assert_eq!(
        callback::sign(BODY, &secret(), CallbackScheme::HmacBodyPlusSecret).unwrap(),
        signature
    );
    let received = callback::verify(BODY, &signature, &secret()).unwrap();
    assert_eq!(received.status, OrderState::Other("COMPLETED".into()));
    assert_eq!(received.crypto_amount.to_string(), "0.100341160000000001");
    insta::assert_debug_snapshot!("callback", received);
    // Upper-case hex and surrounding whitespace in the header are accepted.
    let shouted = format!(" {} ", signature.to_uppercase());
    assert!(callback::verify(BODY, &shouted, &secret()).is_ok());
}

#[test]
fn a_valid_callback_verifies_under_the_sha256_scheme_when_chosen() {
    let signature = sha256_signature(BODY);
    assert_eq!(
        callback::sign(BODY, &secret(), CallbackScheme::Sha256BodyPlusSecret).unwrap(),
        signature
    );
    let received = callback::verify_with(
        BODY,
        &signature,
        &secret(),
        CallbackScheme::Sha256BodyPlusSecret,
    )
    .unwrap();
    assert_eq!(received.order_id, "12");
}

#[test]
fn a_flipped_body_byte_is_a_mismatch() {
    let signature = hmac_signature(BODY);
    let mut body = BODY.to_vec();
    let at = body.iter().position(|&b| b == b'8').unwrap();
    body[at] = b'9';
    assert_eq!(
        signature_error(callback::verify(&body, &signature, &secret())),
        SignatureError::Mismatch
    );
}

#[test]
fn a_flipped_signature_digit_is_a_mismatch() {
    let mut signature = hmac_signature(BODY).into_bytes();
    signature[10] = if signature[10] == b'0' { b'1' } else { b'0' };
    let signature = String::from_utf8(signature).unwrap();
    assert_eq!(
        signature_error(callback::verify(BODY, &signature, &secret())),
        SignatureError::Mismatch
    );
}

#[test]
fn the_wrong_secret_is_a_mismatch() {
    let signature = hmac_signature(BODY);
    let wrong = SecretString::from("11qq22wx");
    assert_eq!(
        signature_error(callback::verify(BODY, &signature, &wrong)),
        SignatureError::Mismatch
    );
}

#[test]
fn an_empty_header_is_missing() {
    for header in ["", "   "] {
        assert_eq!(
            signature_error(callback::verify(BODY, header, &secret())),
            SignatureError::Missing
        );
    }
}

#[test]
fn a_non_hex_or_short_header_is_malformed() {
    let signature = hmac_signature(BODY);
    for header in [
        "not-hex".to_owned(),
        signature[..63].to_owned(),
        format!("{}0", signature),
        format!("{}g", &signature[..63]),
        format!("sha256={signature}"),
    ] {
        assert_eq!(
            signature_error(callback::verify(BODY, &header, &secret())),
            SignatureError::Malformed,
            "{header}"
        );
    }
}

#[test]
fn the_other_schemes_signature_is_refused_and_named() {
    let err = callback::verify(BODY, &sha256_signature(BODY), &secret()).unwrap_err();
    assert_eq!(
        signature_error(Err(err)),
        SignatureError::OtherScheme {
            configured: CallbackScheme::HmacBodyPlusSecret,
            matches: CallbackScheme::Sha256BodyPlusSecret,
        }
    );
    let err = callback::verify_with(
        BODY,
        &hmac_signature(BODY),
        &secret(),
        CallbackScheme::Sha256BodyPlusSecret,
    )
    .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"callback signature rejected: the signature matches HmacBodyPlusSecret, not the configured Sha256BodyPlusSecret; verify this account's callbacks with CallbackScheme::HmacBodyPlusSecret");
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
        let err = callback::verify(body, &hmac_signature(body), &secret()).unwrap_err();
        match err.kind() {
            ErrorKind::InvalidCallback { path: at, .. } => assert_eq!(at, path, "{err}"),
            other => panic!("{other:?}"),
        }
    }
    let body = b"order 12 completed";
    let err = callback::verify(body, &hmac_signature(body), &secret()).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"callback body could not be read at `.`: expected value at line 1 column 1");
}
