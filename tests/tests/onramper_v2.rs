//! `tests/vectors/onramper_v2.json` through `ramp-onramper-sign`: keys, RFC 8785, widget URLs
//! and API requests signed with Node.js (`tests/vectors/scripts/onramper.mjs`) must come out
//! of the crate byte for byte, and verify.

use std::time::Duration;

use ramp_conformance::load_as;
use ramp_onramper_sign::v2::{
    ApiRequest, PublicKey, Received, SignOptions, SigningKey, canonical_json, parse_timestamp,
    request_canonical, sign_request_v2, sign_widget_url_v2_with, verify_request_v2,
    verify_widget_url_v2, widget_canonical,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Vectors {
    description: String,
    algorithm: String,
    keys: Vec<Key>,
    jcs_numbers: Vec<JcsNumber>,
    jcs_documents: Vec<JcsDocument>,
    widget: Vec<Widget>,
    requests: Vec<Request>,
}

#[derive(Deserialize)]
struct Key {
    name: String,
    private_pem: String,
    public_pem: String,
    public_hex: String,
}

#[derive(Deserialize)]
struct JcsNumber {
    ieee754: String,
    json: String,
    canonical: String,
}

#[derive(Deserialize)]
struct JcsDocument {
    name: String,
    json: String,
    canonical: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Widget {
    name: String,
    source: String,
    key: String,
    url: String,
    timestamp: String,
    nonce: String,
    #[serde(default)]
    expiry: Option<String>,
    #[serde(default)]
    also_sign: Vec<String>,
    fields: Vec<String>,
    canonical: String,
    signature: String,
    signed_url: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Request {
    name: String,
    source: String,
    key: String,
    method: String,
    path: String,
    query: String,
    authorization: String,
    #[serde(default)]
    content_type: Option<String>,
    body: String,
    timestamp: String,
    nonce: String,
    canonical: String,
    signature: String,
}

fn vectors() -> Vectors {
    load_as("onramper_v2").unwrap()
}

fn key(vectors: &Vectors, name: &str) -> SigningKey {
    let key = vectors.keys.iter().find(|k| k.name == name).unwrap();
    SigningKey::from_pkcs8_pem(&key.private_pem).unwrap()
}

#[test]
fn the_rfc_8032_keys_load_and_export_as_node_writes_them() {
    let vectors = vectors();
    assert_eq!(vectors.keys.len(), 3);
    for k in &vectors.keys {
        let signing = SigningKey::from_pkcs8_pem(&k.private_pem).unwrap();
        let public = signing.public_key();
        assert_eq!(public.to_hex(), k.public_hex, "{}", k.name);
        assert_eq!(public.to_spki_pem(), k.public_pem, "{}", k.name);
        assert_eq!(
            signing.to_pkcs8_pem().unwrap().as_str(),
            k.private_pem,
            "{}",
            k.name
        );
        assert_eq!(PublicKey::from_spki_pem(&k.public_pem).unwrap(), public);
        assert_eq!(PublicKey::from_hex(&k.public_hex).unwrap(), public);
    }
}

#[test]
fn rfc_8785_numbers_and_documents_canonicalize_as_the_rfc_says() {
    let vectors = vectors();
    assert_eq!(vectors.jcs_numbers.len(), 24, "RFC 8785 Appendix B");
    for case in &vectors.jcs_numbers {
        assert_eq!(
            canonical_json(case.json.as_bytes()).unwrap(),
            case.canonical,
            "{} ({})",
            case.ieee754,
            case.json
        );
    }
    for case in &vectors.jcs_documents {
        assert_eq!(
            canonical_json(case.json.as_bytes()).unwrap(),
            case.canonical,
            "{}",
            case.name
        );
    }
}

fn options(timestamp: &str, nonce: &str) -> SignOptions {
    SignOptions::new()
        .timestamp(parse_timestamp(timestamp).unwrap())
        .nonce(nonce.parse().unwrap())
}

#[test]
fn widget_urls_sign_byte_for_byte_and_verify() {
    let vectors = vectors();
    for case in &vectors.widget {
        let mut options = options(&case.timestamp, &case.nonce);
        if let Some(expiry) = &case.expiry {
            options = options.expires_at(parse_timestamp(expiry).unwrap());
        }
        for field in &case.also_sign {
            options = options.also_sign(field);
        }
        let key = key(&vectors, &case.key);
        let canonical = widget_canonical(&case.url, &options).unwrap();
        assert_eq!(canonical.text, case.canonical, "{}", case.name);
        assert_eq!(canonical.fields, case.fields, "{}", case.name);
        let signed = sign_widget_url_v2_with(&case.url, &key, &options).unwrap();
        assert_eq!(signed.as_str(), case.signed_url, "{}", case.name);
        let now = parse_timestamp(&case.timestamp).unwrap() + Duration::from_secs(60);
        let verified = verify_widget_url_v2(&case.signed_url, &key.public_key(), now)
            .unwrap_or_else(|err| panic!("{}: {err}", case.name));
        assert_eq!(verified.signed_fields, case.fields, "{}", case.name);
        assert!(verified.stripped.is_empty(), "{}", case.name);
    }
}

#[test]
fn api_requests_sign_byte_for_byte_and_verify() {
    let vectors = vectors();
    for case in &vectors.requests {
        let mut request = ApiRequest::new(&case.method, &case.path, &case.authorization)
            .query(&case.query)
            .body(case.body.as_bytes());
        if let Some(content_type) = &case.content_type {
            request = request.content_type(content_type);
        }
        let options = options(&case.timestamp, &case.nonce);
        let key = key(&vectors, &case.key);
        assert_eq!(
            request_canonical(&request, &options).unwrap().text,
            case.canonical,
            "{}",
            case.name
        );
        let headers = sign_request_v2(&request, &key, &options).unwrap();
        assert_eq!(headers.signature, case.signature, "{}", case.name);
        assert_eq!(headers.timestamp, case.timestamp);
        assert_eq!(headers.nonce, case.nonce);
        assert_eq!(headers.authorization, case.authorization.trim());
        let received = Received::new(
            Some(&case.signature),
            Some(&case.timestamp),
            Some(&case.nonce),
        );
        let now = parse_timestamp(&case.timestamp).unwrap() + Duration::from_secs(1);
        verify_request_v2(&request, &received, &key.public_key(), now)
            .unwrap_or_else(|err| panic!("{}: {err}", case.name));
    }
}
