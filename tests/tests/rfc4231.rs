//! RFC 4231 HMAC-SHA256 vectors through `ramp-core`'s public signing functions.

use ramp_conformance::{HmacCase, VectorFile, load};

fn cases() -> Vec<HmacCase> {
    let file: VectorFile<HmacCase> = load("rfc4231").unwrap();
    assert_eq!(file.algorithm, "HMAC-SHA256");
    assert_eq!(file.cases.len(), 7, "RFC 4231 has seven test cases");
    for case in &file.cases {
        assert!(case.source.starts_with("RFC 4231"), "{}: source", case.name);
    }
    file.cases
}

#[test]
fn hmac_sha256_hex_matches_every_rfc_4231_case() {
    for case in cases() {
        let tag = ramp_core::hmac_sha256_hex(&case.key(), &case.message());
        assert_eq!(tag.len(), 64, "{}", case.name);
        match case.truncate_bits {
            Some(bits) => assert_eq!(&tag[..bits / 4], case.expected_hex, "{}", case.name),
            None => assert_eq!(tag, case.expected_hex, "{}", case.name),
        }
    }
}

#[test]
fn verify_hmac_sha256_hex_accepts_every_full_rfc_4231_tag_in_either_case() {
    for case in cases().into_iter().filter(|c| c.truncate_bits.is_none()) {
        let (key, msg) = (case.key(), case.message());
        assert!(
            ramp_core::verify_hmac_sha256_hex(&key, &msg, &case.expected_hex),
            "{}",
            case.name
        );
        assert!(
            ramp_core::verify_hmac_sha256_hex(&key, &msg, &case.expected_hex.to_uppercase()),
            "{} upper-case",
            case.name
        );
        let mut other = msg.clone();
        other.push(0);
        assert!(
            !ramp_core::verify_hmac_sha256_hex(&key, &other, &case.expected_hex),
            "{} with a changed message",
            case.name
        );
    }
}

#[test]
fn a_truncated_tag_is_not_a_valid_signature() {
    // Case 5 publishes only 128 bits: the verifier takes full 256-bit tags only, so the
    // truncated one is refused rather than compared as a prefix.
    let case = cases()
        .into_iter()
        .find(|c| c.truncate_bits.is_some())
        .unwrap();
    assert!(!ramp_core::verify_hmac_sha256_hex(
        &case.key(),
        &case.message(),
        &case.expected_hex
    ));
}

#[test]
fn raw_tags_agree_with_hex_tags() {
    for case in cases() {
        let raw = ramp_core::hmac_sha256(&case.key(), &case.message());
        assert_eq!(
            hex::encode(raw),
            ramp_core::hmac_sha256_hex(&case.key(), &case.message())
        );
        assert!(ramp_core::verify_hmac_sha256(
            &case.key(),
            &case.message(),
            &raw
        ));
    }
}
