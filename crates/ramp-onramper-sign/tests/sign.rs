//! sign_url, verify_url and the builder: exact bytes, distinct errors, snapshots.

use ramp_onramper_sign::{
    ErrorKind, SecretString, WidgetUrlBuilder, sign_content, sign_url, signature, verify_url,
};

const DOC_URL: &str = "https://buy.onramper.com/?apiKey=pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4&country=nl&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71&networkWallets=bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,ethereum:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2&walletAddressTags=btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,eth:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2";
const DOC_SIGNATURE: &str = "971d89d7a49c76bc96b991191cb151a1d1aab6c4aa94507b0cf836542c69750c";

/// A real Bitcoin address: the builder checks wallet addresses.
const BTC: &str = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";

fn secret() -> SecretString {
    SecretString::from("secret")
}

/// The signature recomputed here with ramp-core directly, not through the crate.
fn expected_signature(content: &str) -> String {
    ramp_core::hmac_sha256_hex(b"secret", content.as_bytes())
}

#[test]
fn the_documented_example_signs_byte_for_byte() {
    let signed = sign_url(DOC_URL, &secret()).unwrap();
    assert_eq!(signed, format!("{DOC_URL}&signature={DOC_SIGNATURE}"));
    insta::assert_snapshot!("documented_example_signed_url", signed);
    let content = sign_content(DOC_URL).unwrap();
    assert_eq!(expected_signature(&content), DOC_SIGNATURE);
    insta::assert_snapshot!("documented_example_sign_content", content);
}

#[test]
fn sign_url_replaces_an_existing_signature_and_keeps_every_other_byte() {
    let url = "https://buy.onramper.com/?apiKey=pk&signature=old&wallets=btc:1A&&country=nl#step-2";
    let signed = sign_url(url, &secret()).unwrap();
    let sig = expected_signature("wallets=btc:1A");
    assert_eq!(
        signed,
        format!(
            "https://buy.onramper.com/?apiKey=pk&wallets=btc:1A&&country=nl&signature={sig}#step-2"
        )
    );
    // Signing a signed URL again gives the same URL.
    assert_eq!(sign_url(&signed, &secret()).unwrap(), signed);
    // An encoded key is still the signature parameter.
    let resigned = sign_url(&format!("{url}&sig%6Eature=x"), &secret()).unwrap();
    assert_eq!(resigned.matches("signature").count(), 1, "{resigned}");
}

#[test]
fn sign_url_accepts_a_query_and_a_bare_sign_content() {
    let sig = expected_signature("wallets=btc:1A");
    assert_eq!(
        sign_url("?wallets=btc:1A", &secret()).unwrap(),
        format!("?wallets=btc:1A&signature={sig}")
    );
    assert_eq!(
        sign_url("wallets=btc:1A", &secret()).unwrap(),
        format!("wallets=btc:1A&signature={sig}")
    );
    assert_eq!(signature("wallets=btc:1A", &secret()).unwrap(), sig);
}

#[test]
fn verify_url_has_a_distinct_error_for_each_cause() {
    let signed = sign_url(DOC_URL, &secret()).unwrap();
    assert_eq!(verify_url(&signed, &secret()), Ok(()));
    assert_eq!(
        verify_url(DOC_URL, &secret()),
        Err(ErrorKind::MissingSignature.into())
    );
    assert_eq!(
        verify_url(&format!("{DOC_URL}&signature=abc"), &secret()),
        Err(ErrorKind::MalformedSignature.into())
    );
    assert_eq!(
        verify_url(
            &format!("{DOC_URL}&signature={}", "g".repeat(64)),
            &secret()
        ),
        Err(ErrorKind::MalformedSignature.into())
    );
    assert_eq!(
        verify_url(&format!("{signed}&signature={DOC_SIGNATURE}"), &secret()),
        Err(ErrorKind::DuplicateParameter {
            parameter: "signature".into()
        }
        .into())
    );
    assert_eq!(
        verify_url(&signed, &SecretString::from("other")),
        Err(ErrorKind::SignatureMismatch.into())
    );
    // Upper-case hex is the same signature.
    let upper = signed.replace(DOC_SIGNATURE, &DOC_SIGNATURE.to_uppercase());
    assert_eq!(verify_url(&upper, &secret()), Ok(()));
    // A changed address, a removed wallet, an added one: all refused.
    for tampered in [
        signed.replace(
            "eth:1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71",
            "eth:1AttackerAddress000000000000000000",
        ),
        signed.replace(",eth:1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71", ""),
        signed.replace("wallets=btc:", "wallets=ltc:LAttacker,btc:"),
    ] {
        assert_eq!(
            verify_url(&tampered, &secret()),
            Err(ErrorKind::SignatureMismatch.into()),
            "{tampered}"
        );
    }
    // Parameters outside the signature may change freely.
    let other_country = signed.replace("country=nl", "country=de");
    assert_eq!(verify_url(&other_country, &secret()), Ok(()));
}

#[test]
fn bad_input_is_a_clear_error_naming_the_parameter() {
    let cases = [
        "wallets=BTC:1A,btc:1B",
        "networkWallets=:0x1",
        "walletAddressTags=xrp:",
        "wallets=btc1A",
        "wallets=btc:1A,btc:1B",
        "wallets=btc:1A&wallets=eth:0x1",
        "wallets=btc:1A&wallet%73=eth:0x1",
        "wallets=btc:1A%2",
        "wallets=btc:1A%zz",
        "wallets=btc:%C3%28",
        "networkWallets",
        "wallets=",
        "wallets=btc:1A,",
        "wallets=btc:1A,,eth:0x1",
        "wallets=btc:1A%26networkWallets%3Deth:0x",
        "wallets=__proto__:1A",
        "https://buy.onramper.com/?apiKey=pk&country=nl",
        "https://buy.onramper.com/",
        "",
    ];
    let mut report = String::new();
    for input in cases {
        let err = sign_content(input).unwrap_err();
        assert_eq!(sign_url(input, &secret()).unwrap_err(), err);
        report.push_str(&format!("{input}\n  -> {err}\n"));
    }
    insta::assert_snapshot!("bad_input_errors", report);
}

#[test]
fn upper_case_ids_are_lower_cased_in_the_url_and_the_signature() {
    let url = "https://buy.onramper.com/?apiKey=pk&wallets=BTC:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,Eth:0x71C7&networkWallets=ETHEREUM:0x71C7&country=NL#top";
    assert_eq!(
        sign_content(url).unwrap(),
        "networkWallets=ethereum:0x71C7&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:0x71C7"
    );
    let signed = sign_url(url, &secret()).unwrap();
    let content = sign_content(&signed).unwrap();
    assert_eq!(
        signed,
        format!(
            "https://buy.onramper.com/?apiKey=pk&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:0x71C7\
             &networkWallets=ethereum:0x71C7&country=NL&signature={}#top",
            expected_signature(&content)
        )
    );
    assert_eq!(verify_url(&signed, &secret()), Ok(()));
    // A URL already in lower case keeps every byte.
    let lower = "https://buy.onramper.com/?wallets=btc:1A%3Ab";
    assert!(sign_url(lower, &secret()).unwrap().starts_with(lower));
}

#[test]
fn the_checkout_api_fields_are_signed_as_documented() {
    // docs.onramper.com "API - Sign requests": walletAddress and walletMemo are single
    // values; walletAddresses is an id:value list like wallets.
    let content = sign_content(
        "walletMemo=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2&walletAddress=1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    )
    .unwrap();
    assert_eq!(
        content,
        "walletAddress=1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa&walletMemo=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
    );
    assert_eq!(
        sign_content("walletAddresses=ETH:0x2,btc:1A&walletAddress=bc1q%3Ax&wallets=sol:7E")
            .unwrap(),
        "walletAddress=bc1q:x&walletAddresses=btc:1A,eth:0x2&wallets=sol:7E"
    );
    assert_eq!(
        signature(
            "walletAddress=1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            &secret()
        )
        .unwrap(),
        expected_signature("walletAddress=1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    );
    for (input, err) in [
        (
            "walletMemo=",
            ErrorKind::EmptyParameter {
                parameter: "walletMemo".into(),
            },
        ),
        (
            "walletAddress=a%3Db",
            ErrorKind::Unsignable {
                parameter: "walletAddress".into(),
                id: "walletAddress".into(),
                what: "contains '&' or '='",
            },
        ),
        (
            "walletAddress=a&walletAddress=b",
            ErrorKind::DuplicateParameter {
                parameter: "walletAddress".into(),
            },
        ),
    ] {
        assert_eq!(sign_content(input), Err(err.into()), "{input}");
    }
}

#[test]
fn a_value_with_a_colon_is_kept_whole() {
    let content =
        sign_content("wallets=bch:bitcoincash:qq5msh0gr4tqk3fmqzsmpt2f3lvfpkz3uyktr4a3dz").unwrap();
    assert_eq!(
        content,
        "wallets=bch:bitcoincash:qq5msh0gr4tqk3fmqzsmpt2f3lvfpkz3uyktr4a3dz"
    );
}

fn full_builder() -> WidgetUrlBuilder {
    WidgetUrlBuilder::new(
        "https://buy.onramper.com",
        "pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4",
    )
    .param("country", "nl")
    .param("defaultFiat", "EUR")
    .param("redirectAtCheckout", "https://shop.example/done?a=1&b=2")
    .wallet("BTC", "1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71")
    .wallet("eth", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F")
    .wallet(
        "bch",
        "bitcoincash:qq5msh0gr4tqk3fmqzsmpt2f3lvfpkz3uyktr4a3dz",
    )
    .network_wallet("Ethereum", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F")
    .wallet_address_tag("xrp", "3305384510")
}

#[test]
fn the_builder_lowercases_encodes_and_signs() {
    let url = full_builder().sign(&secret()).unwrap();
    assert_eq!(verify_url(&url, &secret()), Ok(()));
    let unsigned = full_builder().unsigned().unwrap();
    assert!(url.starts_with(&unsigned));
    let content = sign_content(&url).unwrap();
    assert_eq!(
        content,
        "networkWallets=ethereum:0x71C7656EC7ab88b098defB751B7401B5f6d8976F\
         &walletAddressTags=xrp:3305384510\
         &wallets=bch:bitcoincash:qq5msh0gr4tqk3fmqzsmpt2f3lvfpkz3uyktr4a3dz,\
         btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:0x71C7656EC7ab88b098defB751B7401B5f6d8976F"
    );
    assert!(url.ends_with(&format!("&signature={}", expected_signature(&content))));
    insta::assert_snapshot!("builder_signed_url", url);
}

#[test]
fn the_builder_refuses_what_verify_url_would_refuse() {
    let b = || WidgetUrlBuilder::new("https://buy.onramper.com", "pk");
    let cases: Vec<(&str, WidgetUrlBuilder)> = vec![
        ("no wallet", b().param("country", "nl")),
        (
            "same id twice after lower-casing",
            b().wallet("btc", BTC)
                .wallet("BTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
        ),
        ("empty id", b().wallet("", "1A")),
        ("empty address", b().network_wallet("ethereum", "")),
        (
            "wallets through param",
            b().wallet("btc", BTC).param("wallets", "eth:0x1"),
        ),
        (
            "signature through param",
            b().wallet("btc", BTC).param("signature", "00"),
        ),
        (
            "apiKey through param",
            b().wallet("btc", BTC).param("apiKey", "pk2"),
        ),
        (
            "empty api key",
            WidgetUrlBuilder::new("https://buy.onramper.com", "").wallet("btc", BTC),
        ),
        (
            "relative base",
            WidgetUrlBuilder::new("buy.onramper.com", "pk").wallet("btc", BTC),
        ),
        (
            "base without host",
            WidgetUrlBuilder::new("https://", "pk").wallet("btc", BTC),
        ),
        (
            "base with fragment",
            WidgetUrlBuilder::new("https://buy.onramper.com/#x", "pk").wallet("btc", BTC),
        ),
        (
            "base with a space",
            WidgetUrlBuilder::new("https://buy.onramper.com/ x", "pk").wallet("btc", BTC),
        ),
    ];
    let mut report = String::new();
    for (name, builder) in cases {
        let err = builder.sign(&secret()).unwrap_err();
        report.push_str(&format!("{name}\n  -> {err}\n"));
    }
    insta::assert_snapshot!("builder_errors", report);
}

#[test]
fn the_builder_checks_wallet_addresses_and_sign_url_signs_what_it_is_given() {
    let b = || WidgetUrlBuilder::new("https://buy.onramper.com", "pk");
    let cases = [
        (
            "a bad EIP-55 checksum",
            b().wallet("eth", "0x71c7656EC7ab88b098defB751B7401B5f6d8976F"),
        ),
        (
            "a mainnet builder and a testnet address",
            b().network_wallet(
                "bitcoin",
                "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            ),
        ),
        (
            "a Tron address on an EVM token",
            b().wallet("usdt_polygon", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"),
        ),
        ("a placeholder", b().wallet("sol", "your-solana-address")),
    ];
    let mut report = String::new();
    for (name, builder) in cases {
        let err = builder.sign(&secret()).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidAddress { .. }),
            "{name}: {err:?}"
        );
        report.push_str(&format!("{name}\n  -> {err}\n"));
    }
    insta::assert_snapshot!("builder_address_errors", report);
    // Unknown ids pass unless strict.
    assert!(
        b().wallet(
            "xlm",
            "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN"
        )
        .sign(&secret())
        .is_ok()
    );
    let strict = b()
        .wallet(
            "xlm",
            "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN",
        )
        .strict_addresses(true);
    assert!(matches!(
        strict.sign(&secret()).map_err(|e| e.into_kind()),
        Err(ErrorKind::InvalidAddress { .. })
    ));
    // sign_url keeps signing exactly what it is given: the documentation's own examples use
    // placeholders such as this one.
    assert!(
        sign_url(
            "https://buy.onramper.com/?wallets=eth:1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71",
            &secret()
        )
        .is_ok()
    );
}

#[path = "sign/edge_cases.rs"]
mod edge_cases;
