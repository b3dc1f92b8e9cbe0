//! The properties every reader of untrusted bytes must keep, as functions of raw input: each
//! panics when a property breaks, and does nothing else.
//!
//! The same functions run in two places: under libFuzzer (`fuzz/`, `cargo xtask fuzz`), on
//! inputs it mutates from the test vectors, and under proptest in the stable test suite
//! (`tests/tests/properties.rs`), so CI checks them on every change. The properties are:
//!
//! - nothing panics, whatever the input;
//! - a signature made for an input verifies, and a mutated one is refused;
//! - `parse(format(x)) == x` where the type has both.

use std::time::Duration;

use ramp_core::SecretString;

mod webhooks;
pub use webhooks::{koinal_callback, onramper_webhook, proof_webhook, transak_webhook};

/// The key every property signs and verifies with.
pub const KEY: &str = "fuzz-secret-k3y";

fn key() -> SecretString {
    SecretString::from(KEY)
}

/// Flips one hex digit of `signature` (at `at`, modulo its length) to another hex digit.
fn mutate_hex(signature: &str, at: usize) -> String {
    let mut bytes = signature.as_bytes().to_vec();
    if bytes.is_empty() {
        return "0".into();
    }
    let i = at % bytes.len();
    bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
    String::from_utf8(bytes).unwrap_or_default()
}

/// A position derived from the input, so mutations vary with it.
fn position(data: &[u8]) -> usize {
    data.iter().fold(0usize, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(*b as usize)
    })
}

/// Where the 64 hex digits of the `signature=` that `sign_url` appended start: the last one
/// before the fragment (which may hold anything, `signature=` included).
fn v1_signature_at(signed: &str) -> Option<usize> {
    let head = signed.split('#').next().unwrap_or(signed);
    let at = head.rfind("signature=")? + "signature=".len();
    (head.len() >= at + 64).then_some(at)
}

/// Onramper V1: `sign_content`, `sign_url` and `verify_url` on any text. A URL that signs
/// verifies, keeps its sign content, and is refused with a changed signature or key.
pub fn onramper_sign_url(data: &[u8]) {
    use ramp_onramper_sign::{ErrorKind, sign_content, sign_url, verify_url};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let content = sign_content(text);
    let Ok(signed) = sign_url(text, &key()) else {
        return;
    };
    assert_eq!(
        verify_url(&signed, &key()),
        Ok(()),
        "{text:?} -> {signed:?}"
    );
    assert_eq!(sign_content(&signed), content, "{text:?}");
    assert_eq!(
        sign_url(&signed, &key()).as_ref(),
        Ok(&signed),
        "re-signing is stable"
    );
    assert_eq!(
        verify_url(&signed, &SecretString::from("another key")),
        Err(ErrorKind::SignatureMismatch.into())
    );
    if let Some(at) = v1_signature_at(&signed) {
        let tampered = format!(
            "{}{}{}",
            &signed[..at],
            mutate_hex(&signed[at..at + 64], position(data)),
            &signed[at + 64..]
        );
        assert_eq!(
            verify_url(&tampered, &key()),
            Err(ErrorKind::SignatureMismatch.into())
        );
    }
}

/// Onramper V1: `verify_url` on any text never panics, and accepts only what it signed.
pub fn onramper_verify_url(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if ramp_onramper_sign::verify_url(text, &key()).is_ok() {
        // A random input cannot carry a valid HMAC: only one signed with KEY can.
        let signed = ramp_onramper_sign::sign_url(text, &key());
        assert!(signed.is_ok(), "verified but cannot be signed: {text:?}");
    }
}

/// Onramper Signature V2: any text never panics the widget verifier or signer; a URL that
/// signs verifies, and with one byte of its signature changed does not; any body signs as an
/// API request (JSON or not) and verifies.
pub fn onramper_v2(data: &[u8]) {
    use ramp_onramper_sign::v2::{self, ApiRequest, OffsetDateTime, Received, SignOptions};
    let key = v2_key();
    let public = key.public_key();
    let Ok(at) = OffsetDateTime::from_unix_timestamp(1_795_420_800) else {
        return;
    };
    let later = at + Duration::from_secs(1);
    let options = SignOptions::new()
        .timestamp(at)
        .nonce(v2::Uuid::from_u128(0x550e8400_e29b_41d4_a716_446655440000));
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = v2::verify_widget_url_v2(text, &public, later);
        if let Ok(url) = v2::sign_widget_url_v2_with(text, &key, &options) {
            let verified = v2::verify_widget_url_v2(url.as_str(), &public, later);
            assert!(verified.is_ok(), "{text:?} -> {url}: {verified:?}");
            let signed = url.as_str();
            // The signature the signer appended: the last one before the fragment.
            let head = signed.split('#').next().unwrap_or(signed);
            if let Some(at) = head.rfind("sigV2=v2%3A") {
                let at = at + "sigV2=v2%3A".len() + position(data) % 20;
                if let Some(c) = signed.get(at..at + 1) {
                    let swapped = if c == "A" { "B" } else { "A" };
                    let tampered = format!("{}{swapped}{}", &signed[..at], &signed[at + 1..]);
                    assert!(
                        v2::verify_widget_url_v2(&tampered, &public, later).is_err(),
                        "{tampered}"
                    );
                }
            }
        }
    }
    for content_type in ["application/json", "text/plain"] {
        let request = ApiRequest::new("POST", "/checkout/intent", "pk_test_fuzz")
            .content_type(content_type)
            .body(data);
        let Ok(headers) = v2::sign_request_v2(&request, &key, &options) else {
            continue;
        };
        let received = Received::new(
            Some(&headers.signature),
            Some(&headers.timestamp),
            Some(&headers.nonce),
        );
        assert!(v2::verify_request_v2(&request, &received, &public, later).is_ok());
    }
}

/// The V2 key the properties sign with (RFC 8032, test 1).
fn v2_key() -> ramp_onramper_sign::v2::SigningKey {
    const PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
-----END PRIVATE KEY-----";
    match ramp_onramper_sign::v2::SigningKey::from_pkcs8_pem(PEM) {
        Ok(key) => key,
        Err(err) => panic!("the test key does not load: {err}"),
    }
}

/// Kryptonim redirects: any URL never panics; what is read from one is read again from a
/// URL written with it.
pub fn kryptonim_redirect(data: &[u8]) {
    use ramp_kryptonim::{Redirect, Url};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(url) = Url::parse(text) else {
        return;
    };
    let Ok(redirect) = Redirect::from_url(&url) else {
        return;
    };
    let mut written = Url::parse("https://yoursite.com/success").unwrap_or(url);
    written.set_query(None);
    written
        .query_pairs_mut()
        .append_pair("sessionId", &redirect.session_id)
        .append_pair("status", redirect.status.as_str());
    assert_eq!(Redirect::from_url(&written).ok(), Some(redirect));
}

/// Kryptonim requests: any JSON never panics; a request that deserializes (and so passed
/// every rule) gives a body that deserializes to a request with the same bytes, and from
/// then on to the same request.
pub fn kryptonim_request(data: &[u8]) {
    use ramp_kryptonim::WidgetSessionRequest;
    let Ok(request) = serde_json::from_slice::<WidgetSessionRequest>(data) else {
        return;
    };
    let body = request.to_body();
    let again: WidgetSessionRequest = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)));
    // The bytes are stable, and after one round so is the value. (The first value may differ
    // only in how a metadata number is held: `0.0` is sent as JavaScript writes it, `0`.)
    assert_eq!(again.to_body(), body);
    let third: WidgetSessionRequest =
        serde_json::from_slice(&again.to_body()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(third, again);
}

/// ramp-core base64: encoding round-trips any bytes, and any text that decodes is the
/// canonical encoding of what it decodes to.
pub fn core_base64(data: &[u8]) {
    let encoded = ramp_core::base64_encode(data);
    assert_eq!(
        ramp_core::base64_decode(&encoded).ok().as_deref(),
        Some(data)
    );
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(decoded) = ramp_core::base64_decode(text)
    {
        assert_eq!(ramp_core::base64_encode(&decoded), text);
    }
}

/// ramp-core hex signatures: any text is accepted exactly when it is the signature in either
/// case, and nothing panics.
pub fn core_hex(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let expected = ramp_core::hmac_sha256_hex(KEY.as_bytes(), data);
    assert_eq!(
        ramp_core::verify_hmac_sha256_hex(KEY.as_bytes(), data, &text),
        text.eq_ignore_ascii_case(&expected)
    );
    let digest = ramp_core::sha256_hex(data);
    assert_eq!(
        ramp_core::verify_sha256_hex(data, &text),
        text.eq_ignore_ascii_case(&digest)
    );
    assert!(ramp_core::verify_hmac_sha256_hex(
        KEY.as_bytes(),
        data,
        &expected
    ));
    assert!(!ramp_core::verify_hmac_sha256_hex(
        KEY.as_bytes(),
        data,
        &mutate_hex(&expected, position(data))
    ));
}

/// ramp-core decimals: any text never panics, and an exact decimal prints as text that
/// parses to the same digits; in JSON, as a number or a string, it reads the same.
pub fn core_decimal(data: &[u8]) {
    use ramp_core::decimal::parse_exact;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(value) = parse_exact(text) {
        let printed = value.to_string();
        let again = parse_exact(&printed);
        assert_eq!(
            again.map(|d| d.to_string()),
            Some(printed.clone()),
            "{text:?}"
        );
        #[derive(serde::Deserialize)]
        struct Amount {
            #[serde(deserialize_with = "ramp_core::decimal::deserialize_exact")]
            amount: ramp_core::decimal::Decimal,
        }
        for json in [
            format!(r#"{{"amount":{printed}}}"#),
            format!(r#"{{"amount":"{printed}"}}"#),
        ] {
            let read: Amount =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
            assert_eq!(read.amount.to_string(), printed);
        }
    }
    let _ = ramp_core::http::from_json_slice::<serde_json::Value>(data);
}

/// A property: panics when it breaks for this input.
pub type Property = fn(&[u8]);

/// Every property, by the name of its fuzz target.
pub const ALL: &[(&str, Property)] = &[
    ("onramper_sign_url", onramper_sign_url),
    ("onramper_verify_url", onramper_verify_url),
    ("onramper_v2", onramper_v2),
    ("onramper_webhook", onramper_webhook),
    ("koinal_callback", koinal_callback),
    ("transak_webhook", transak_webhook),
    ("proof_webhook", proof_webhook),
    ("kryptonim_redirect", kryptonim_redirect),
    ("kryptonim_request", kryptonim_request),
    ("core_base64", core_base64),
    ("core_hex", core_hex),
    ("core_decimal", core_decimal),
];
