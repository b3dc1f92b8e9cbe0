//! `endUserIpHash` in a V2-signed widget URL (docs.onramper.com, Widget: Sign a URL (V2)):
//! the hash of the IP's text, listed in `sigV2Fields`, and covered by a signature that is
//! checked here with `ed25519-dalek` over a canonical string written out by hand, not by the
//! crate's verifier.

use std::net::IpAddr;

use base64::Engine as _;
use ramp_onramper_sign::v2::{SignOptions, SigningKey, parse_timestamp, verify_widget_url_v2};
use ramp_onramper_sign::{ErrorKind, WidgetUrlBuilder};

/// RFC 8032, test 1: the private key, and its public key.
const TEST_1: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
-----END PRIVATE KEY-----
";
const TEST_1_PUBLIC: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const NONCE: &str = "550e8400-e29b-41d4-a716-446655440000";
const TIMESTAMP: &str = "2026-11-25T08:00:00.000Z";
const WALLET: &str = "1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71";

fn builder() -> WidgetUrlBuilder {
    WidgetUrlBuilder::new("https://buy.onramper.com", "pk_test_x").wallet("BTC", WALLET)
}

fn options() -> SignOptions {
    SignOptions::new()
        .timestamp(parse_timestamp(TIMESTAMP).unwrap())
        .nonce(NONCE.parse().unwrap())
}

#[test]
fn the_hash_is_signed_and_verifies_independently() {
    let ip: IpAddr = "203.0.113.9".parse().unwrap();
    let key = SigningKey::from_pkcs8_pem(TEST_1).unwrap();
    let url = builder()
        .end_user_ip(ip)
        .sign_v2_with(&key, &options())
        .unwrap();
    let hash = ramp_testkit::sha256_hex(b"203.0.113.9");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("endUserIpHash"), hash);
    assert_eq!(get("sigV2Fields"), "apiKey,endUserIpHash,wallets");

    let canonical = format!(
        "ONRAMPER-SIG-V2\n{TIMESTAMP}\n{NONCE}\nGET\n/\n\
         apiKey=pk_test_x&endUserIpHash={hash}&wallets=btc%3A{WALLET}\n\n{}",
        ramp_testkit::sha256_hex(b"")
    );
    let signature = get("sigV2");
    let signature = base64::engine::general_purpose::STANDARD
        .decode(signature.strip_prefix("v2:").unwrap())
        .unwrap();
    let public: [u8; 32] = hex::decode(TEST_1_PUBLIC).unwrap().try_into().unwrap();
    let public = ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap();
    let signature = ed25519_dalek::Signature::from_slice(&signature).unwrap();
    public
        .verify_strict(canonical.as_bytes(), &signature)
        .expect("the signature covers endUserIpHash");

    // The crate's verifier agrees, and lists the field as signed.
    let now = parse_timestamp(TIMESTAMP).unwrap();
    let verified = verify_widget_url_v2(url.as_str(), &key.public_key(), now).unwrap();
    assert!(verified.signed_fields.iter().any(|f| f == "endUserIpHash"));
    // Changing the hash breaks the signature.
    let forged = url
        .as_str()
        .replace(&hash, &ramp_testkit::sha256_hex(b"198.51.100.1"));
    assert!(verify_widget_url_v2(&forged, &key.public_key(), now).is_err());
}

#[test]
fn an_unspecified_ip_or_a_hand_set_hash_is_refused() {
    let key = SigningKey::from_pkcs8_pem(TEST_1).unwrap();
    for ip in ["0.0.0.0", "::"] {
        let err = builder()
            .end_user_ip(ip.parse().unwrap())
            .sign_v2_with(&key, &options())
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::UnspecifiedIp), "{err:?}");
    }
    let v1 = builder()
        .end_user_ip("203.0.113.9".parse().unwrap())
        .sign(&ramp_onramper_sign::SecretString::from("secret"))
        .unwrap_err();
    assert!(
        matches!(v1.kind(), ErrorKind::InvalidRequest { .. }),
        "{v1:?}"
    );
    let err = builder()
        .param("endUserIpHash", "abc")
        .sign_v2_with(&key, &options())
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::ReservedParameter { .. }),
        "{err:?}"
    );
}
