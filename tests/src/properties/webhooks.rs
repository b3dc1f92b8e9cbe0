//! The webhook verifiers' properties: any headers on any body never panic; a delivery signed
//! with the provider's test helper verifies or is refused for its content only, never its
//! signature; a changed signature is refused; a verified event round-trips through JSON.

use std::time::{Duration, UNIX_EPOCH};

use ramp_core::webhook::{HeaderMap, Verify, WebhookError, header_map};

use super::{key, mutate_hex, position};

/// Headers made from the first bytes of the input: a signature header with any text.
fn headers_from(name: &str, data: &[u8]) -> (HeaderMap, usize) {
    let split = data.len().min(64);
    let text = String::from_utf8_lossy(&data[..split]);
    (header_map(name, &text).unwrap_or_default(), split)
}

/// Onramper webhooks.
pub fn onramper_webhook(data: &[u8]) {
    use ramp_onramper_sign::webhook::{SIGNATURE_HEADER, WebhookVerifier, test_util};
    let Ok(verifier) = WebhookVerifier::new(key()) else {
        panic!("a real key was refused");
    };
    let (headers, split) = headers_from(SIGNATURE_HEADER, data);
    let _ = verifier.verify(&data[split..], &headers);
    let delivery = test_util::signed_webhook(data, &key());
    match verifier.verify(&delivery.body, &delivery.headers) {
        Ok(event) => {
            let json = serde_json::to_vec(&event).unwrap_or_default();
            let again = test_util::signed_webhook(&json, &key());
            assert_eq!(
                verifier.verify(&again.body, &again.headers).ok(),
                Some(event)
            );
        }
        Err(WebhookError::Malformed(_)) => {}
        Err(other) => panic!("a correctly signed webhook was refused: {other}"),
    }
    let signature = delivery.headers[SIGNATURE_HEADER]
        .to_str()
        .unwrap_or_default();
    let tampered = mutate_hex(signature, position(data));
    let headers = header_map(SIGNATURE_HEADER, &tampered).unwrap_or_default();
    assert!(matches!(
        verifier.verify(data, &headers),
        Err(WebhookError::BadSignature(_))
    ));
}

/// Koinal callbacks, under either scheme.
pub fn koinal_callback(data: &[u8]) {
    use ramp_koinal::webhook::{SIGNATURE_HEADER, test_util};
    use ramp_koinal::{CallbackScheme, WebhookVerifier};
    let (headers, split) = headers_from(SIGNATURE_HEADER, data);
    for scheme in [
        CallbackScheme::HmacBodyPlusSecret,
        CallbackScheme::Sha256BodyPlusSecret,
    ] {
        let Ok(verifier) = WebhookVerifier::new(key(), scheme) else {
            panic!("a real key was refused");
        };
        let _ = verifier.verify(&data[split..], &headers);
        let delivery = test_util::signed_webhook(data, &key(), scheme);
        match verifier.verify(&delivery.body, &delivery.headers) {
            Ok(parsed) => {
                let json = serde_json::to_vec(&parsed).unwrap_or_default();
                let again: ramp_koinal::WebhookEvent =
                    serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{e}: {json:?}"));
                assert_eq!(again, parsed);
            }
            Err(WebhookError::Malformed(_)) => {}
            Err(other) => panic!("a correctly signed body was refused: {other}"),
        }
        let tampered = mutate_hex(&test_util::signature(data, &key(), scheme), position(data));
        let headers = header_map(SIGNATURE_HEADER, &tampered).unwrap_or_default();
        assert!(matches!(
            verifier.verify(data, &headers),
            Err(WebhookError::BadSignature(_))
        ));
    }
}

/// Transak webhooks: any JSON value signed as a webhook is refused only for its content or
/// time, never for its signature, unless the signature is changed.
pub fn transak_webhook(data: &[u8]) {
    use ramp_transak::webhook::{WebhookVerifier, test_util};
    let now = UNIX_EPOCH + Duration::from_secs(1_795_420_800);
    let Ok(verifier) = WebhookVerifier::new(key()) else {
        panic!("a real key was refused");
    };
    let verifier = verifier.leeway(Duration::from_secs(60)).at(now);
    let none = HeaderMap::new();
    let _ = verifier.verify(data, &none);
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let body = test_util::signed_webhook(&payload, &key()).body;
    match verifier.verify(&body, &none) {
        Ok(event) => {
            // Through bytes, not `serde_json::Value`: a Value holds numbers as doubles.
            let json = serde_json::to_vec(&event).unwrap_or_default();
            let again: ramp_transak::WebhookEvent =
                serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again, event);
        }
        Err(WebhookError::BadSignature(why)) => {
            panic!("a correctly signed webhook was refused for its signature: {why}")
        }
        Err(_) => {}
    }
    // Change one character of the signature (the JWT's last part).
    let text = String::from_utf8_lossy(&body).into_owned();
    if let Some(dot) = text.rfind('.') {
        let at = dot + 1 + position(data) % 40;
        if let Some(c) = text.get(at..at + 1) {
            let swapped = if c == "A" { "B" } else { "A" };
            let tampered = format!("{}{swapped}{}", &text[..at], &text[at + 1..]);
            assert!(
                verifier.verify(tampered.as_bytes(), &none).is_err(),
                "a changed signature verified"
            );
        }
    }
}

/// Proof webhooks: any body never panics; what a parsed hint claims round-trips through JSON.
pub fn proof_webhook(data: &[u8]) {
    if let Ok(hint) = ramp_proof::webhook::parse(data) {
        let json = serde_json::to_vec(&hint).unwrap_or_default();
        let again = ramp_proof::webhook::parse(&json)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&json)));
        assert_eq!(again, hint);
    }
}
