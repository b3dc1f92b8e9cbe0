//! `tests/vectors/kryptonim.json` through `ramp-kryptonim`: the request JSON must produce
//! exactly the body and signature Node computed.

use ramp_conformance::{KryptonimCase, VectorFile, load};
use ramp_kryptonim::{SecretString, WidgetSessionRequest, sign_body};

#[test]
fn every_kryptonim_vector_reproduces() {
    let file: VectorFile<KryptonimCase> = load("kryptonim").unwrap();
    assert!(file.cases.len() >= 6);
    for case in &file.cases {
        assert!(!case.source.is_empty(), "{}: source", case.name);
        let request: WidgetSessionRequest = serde_json::from_str(&case.request_json)
            .unwrap_or_else(|err| panic!("{}: {err}", case.name));
        let body = request.to_body();
        assert_eq!(
            String::from_utf8(body.clone()).unwrap(),
            case.body,
            "{}",
            case.name
        );
        let secret = SecretString::from(case.secret.clone());
        assert_eq!(
            sign_body(&body, &secret).unwrap(),
            case.signature,
            "{}",
            case.name
        );
        // The body read back gives the same request and the same bytes.
        let again: WidgetSessionRequest = serde_json::from_slice(&body).unwrap();
        assert_eq!(again.to_body(), body, "{}: round trip", case.name);
    }
}

#[test]
fn the_seed_example_is_byte_identical_to_json_stringify() {
    let file: VectorFile<KryptonimCase> = load("kryptonim").unwrap();
    let seed = file
        .cases
        .iter()
        .find(|c| c.name == "seed_five_fields")
        .unwrap();
    assert_eq!(
        seed.body,
        r#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}"#
    );
    assert_eq!(seed.secret, "your_signature_secret");
    assert_eq!(
        seed.signature,
        "89bb1986a2abdef1aae173026af1c04ab07b0366ea7c5c67be96c44168053fab"
    );
}
