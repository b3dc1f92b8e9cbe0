//! `tests/vectors/koinal.json` through `ramp-koinal`: hashes and callback signatures computed
//! with Node must reproduce byte for byte.

use ramp_conformance::{KoinalVectors, load_as};
use ramp_core::webhook::header_map;
use ramp_koinal::{
    AuthHash, CallbackScheme, SecretString, Verify, WebhookError, WebhookVerifier, webhook,
};

fn vectors() -> KoinalVectors {
    load_as("koinal").unwrap()
}

#[test]
fn every_authorization_hash_reproduces() {
    let file = vectors();
    assert!(file.hashes.len() >= 5);
    for case in &file.hashes {
        assert!(!case.source.is_empty(), "{}: source", case.name);
        let secret = SecretString::from(case.secret.clone());
        let hash = AuthHash::new(
            case.merchant_code,
            &case.customer_reference,
            &case.timestamp,
            &secret,
        )
        .unwrap();
        assert_eq!(hash.signature(), case.signature, "{}", case.name);
        assert_eq!(hash.to_json(), case.json, "{}", case.name);
        assert_eq!(hash.to_header_value(), case.header, "{}", case.name);
        let decoded = AuthHash::decode(&case.header).unwrap();
        assert_eq!(decoded, hash, "{}", case.name);
        decoded
            .verify(&secret)
            .unwrap_or_else(|err| panic!("{}: {err}", case.name));
    }
}

#[test]
fn the_seed_example_is_reproduced_exactly() {
    let file = vectors();
    let seed = file
        .hashes
        .iter()
        .find(|c| c.name == "seed_example")
        .unwrap();
    assert_eq!(
        (
            seed.merchant_code,
            seed.customer_reference.as_str(),
            seed.timestamp.as_str(),
            seed.secret.as_str()
        ),
        (1000, "User1", "1000", "11qq22ww")
    );
    assert_eq!(
        seed.signature,
        "6642fb1bf6084d3bfa0deb83f8fe71d1c7a7301195022932a103b1d9731a056b"
    );
    assert_eq!(
        seed.header,
        "eyJtZXJjaGFudF9jb2RlIjoxMDAwLCJjdXN0b21lcl9yZWZlcmVuY2UiOiJVc2VyMSIsInRpbWVzdGFtcCI6IjEwMDAiLCJzaWduYXR1cmUiOiI2NjQyZmIxYmY2MDg0ZDNiZmEwZGViODNmOGZlNzFkMWM3YTczMDExOTUwMjI5MzJhMTAzYjFkOTczMWEwNTZiIn0="
    );
}

#[test]
fn every_callback_signature_reproduces_under_its_scheme_only() {
    let file = vectors();
    assert!(file.callbacks.len() >= 2);
    for case in &file.callbacks {
        let secret = SecretString::from(case.secret.clone());
        let body = case.body.as_bytes();
        for (scheme, signature) in [
            (
                CallbackScheme::HmacBodyPlusSecret,
                &case.hmac_body_plus_secret,
            ),
            (
                CallbackScheme::Sha256BodyPlusSecret,
                &case.sha256_body_plus_secret,
            ),
        ] {
            assert_eq!(
                &webhook::test_util::signature(body, &secret, scheme),
                signature,
                "{}",
                case.name
            );
            WebhookVerifier::new(secret.clone(), scheme)
                .unwrap()
                .verify(body, &header_map("Signature", signature).unwrap())
                .unwrap_or_else(|err| panic!("{} {scheme:?}: {err}", case.name));
        }
        let err = WebhookVerifier::new(secret, CallbackScheme::HmacBodyPlusSecret)
            .unwrap()
            .verify(
                body,
                &header_map("Signature", &case.sha256_body_plus_secret).unwrap(),
            )
            .unwrap_err();
        assert_eq!(
            err,
            WebhookError::BadSignature(
                "the signature matches CallbackScheme::Sha256BodyPlusSecret, not the configured \
                 scheme; verify this account's callbacks with that one"
            ),
            "{}",
            case.name
        );
    }
}
