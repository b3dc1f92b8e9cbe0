//! `tests/vectors/onramper.json` through `ramp-onramper-sign`.

use ramp_conformance::{OnramperCase, VectorFile, load};
use ramp_onramper_sign::{
    Error, ErrorKind, SecretString, sign_content, sign_url, signature, verify_url,
};

fn error_name(err: &Error) -> &'static str {
    match err.kind() {
        ErrorKind::NothingToSign => "nothing_to_sign",
        ErrorKind::DuplicateParameter { .. } => "duplicate_parameter",
        ErrorKind::InvalidPercentEncoding { .. } => "invalid_percent_encoding",
        ErrorKind::NotUtf8 { .. } => "not_utf8",
        ErrorKind::EmptyParameter { .. } => "empty_parameter",
        ErrorKind::EmptyPair { .. } => "empty_pair",
        ErrorKind::MissingColon { .. } => "missing_colon",
        ErrorKind::EmptyId { .. } => "empty_id",
        ErrorKind::EmptyValue { .. } => "empty_value",
        ErrorKind::DuplicateId { .. } => "duplicate_id",
        _ => "other",
    }
}

#[test]
fn every_onramper_vector_reproduces() {
    let file: VectorFile<OnramperCase> = load("onramper").unwrap();
    assert!(file.cases.len() >= 15);
    let mut checked = 0;
    for case in &file.cases {
        assert!(!case.source.is_empty(), "{}: source", case.name);
        if let Some(expected) = &case.error {
            let err = sign_content(&case.url).unwrap_err();
            assert_eq!(error_name(&err), expected, "{}: {err}", case.name);
            let any = SecretString::from("k");
            assert_eq!(sign_url(&case.url, &any).unwrap_err(), err, "{}", case.name);
            checked += 1;
            continue;
        }
        let secret = SecretString::from(case.secret.clone().unwrap());
        let content = sign_content(&case.url).unwrap();
        assert_eq!(Some(&content), case.sign_content.as_ref(), "{}", case.name);
        let sig = signature(&case.url, &secret).unwrap();
        assert_eq!(Some(&sig), case.signature.as_ref(), "{}", case.name);
        let signed = sign_url(&case.url, &secret).unwrap();
        assert!(
            signed.contains(&format!("signature={sig}")),
            "{}",
            case.name
        );
        assert_eq!(verify_url(&signed, &secret), Ok(()), "{}", case.name);
        checked += 1;
    }
    assert_eq!(checked, file.cases.len());
}

#[test]
fn the_seed_example_gives_the_published_signature() {
    let file: VectorFile<OnramperCase> = load("onramper").unwrap();
    let seed = &file.cases[0];
    assert_eq!(seed.name, "seed example URL");
    assert_eq!(
        seed.signature.as_deref(),
        Some("971d89d7a49c76bc96b991191cb151a1d1aab6c4aa94507b0cf836542c69750c")
    );
    let content = sign_content(&seed.url).unwrap();
    assert!(content.starts_with("networkWallets=bitcoin:"));
    assert!(content.contains("&walletAddressTags=btc:"));
    assert!(content.contains("&wallets=btc:"));
}
