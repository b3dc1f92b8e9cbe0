//! Signature V2 beyond the vectors (`ramp-conformance`'s onramper_v2 test checks those):
//! keys from every source and their errors, one documented error code per refusal, nonce
//! reuse, the core-parameter rule, ambiguous characters, and property tests: sign then verify
//! holds, and changing any byte of a signed value, the timestamp or the nonce is refused.

use std::time::Duration;

use proptest::prelude::*;
use ramp_onramper_sign::v2::{
    ApiRequest, ErrorCode, NonceCache, OffsetDateTime, PublicKey, Received, SignOptions,
    SigningKey, VerifyError, parse_timestamp, sign_request_v2, sign_widget_url_v2_with,
    verify_request_v2, verify_widget_url_v2,
};
use ramp_onramper_sign::{ErrorKind, WidgetUrlBuilder};

/// RFC 8032, test 1.
const TEST_1: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
-----END PRIVATE KEY-----
";
const EC_P256: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFT4jU35hIJRQFzuy
00WdkIInJeYTJlhqVEJTdZPRjJOhRANCAATS/SRW5MeXD5IjEQ7y9kVBuIRPFv92
XB8tzgAfPl78EUtegIJiYeWtPPBq9Lwarr9EGOZmHoK4o5P5pfzQuTSQ
-----END PRIVATE KEY-----
";
const X25519: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VuBCIEIGCAyojbXkXTFWLXsc1ognoxCWCYWQTCBcux7iptOLVA
-----END PRIVATE KEY-----
";
const OTHER_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAKrZsL/E+oujOrSW+21PMyN9tzZDv8T+WpSPFij6/vZQ=
-----END PUBLIC KEY-----
";
const URL: &str = "https://buy.onramper.com/?apiKey=pk_test_x&country=nl&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71&networkWallets=ethereum:0x71C7656EC7ab88b098defB751B7401B5f6d8976F&defaultAmount=100";
const NONCE: &str = "550e8400-e29b-41d4-a716-446655440000";

fn key() -> SigningKey {
    SigningKey::from_pkcs8_pem(TEST_1).unwrap()
}

fn at(text: &str) -> OffsetDateTime {
    parse_timestamp(text).unwrap()
}

fn options() -> SignOptions {
    SignOptions::new()
        .timestamp(at("2026-11-25T08:00:00.000Z"))
        .nonce(NONCE.parse().unwrap())
}

fn signed() -> String {
    sign_widget_url_v2_with(URL, &key(), &options())
        .unwrap()
        .to_string()
}

fn code(result: Result<impl std::fmt::Debug, VerifyError>) -> String {
    result.unwrap_err().code().to_string()
}

#[test]
fn keys_load_from_pem_files_and_the_environment_and_never_print() {
    let dir = std::env::temp_dir().join(format!("ramp-v2-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("key.pem");
    std::fs::write(&file, TEST_1).unwrap();
    let from_file = SigningKey::from_pem_file(&file).unwrap();
    assert_eq!(from_file.public_key(), key().public_key());
    let missing = SigningKey::from_pem_file(dir.join("none.pem")).unwrap_err();
    assert!(
        matches!(missing.kind(), ErrorKind::KeyFile { .. }),
        "{missing}"
    );

    // A PEM in one line with `\n` escapes, as .env files hold it, read in a child process.
    let escaped = TEST_1.trim().replace('\n', "\\n");
    in_child_with_env("RAMP_TEST_ONRAMPER_V2_KEY", &escaped);
    let unset = SigningKey::from_env("RAMP_TEST_ONRAMPER_V2_UNSET").unwrap_err();
    assert_eq!(
        unset.to_string(),
        "environment variable RAMP_TEST_ONRAMPER_V2_UNSET is not set"
    );

    let generated = SigningKey::generate().unwrap();
    let pem = generated.to_pkcs8_pem().unwrap();
    assert_eq!(
        SigningKey::from_pkcs8_pem(&pem).unwrap().public_key(),
        generated.public_key()
    );
    assert_ne!(
        generated.public_key(),
        SigningKey::generate().unwrap().public_key()
    );
    for printed in [format!("{generated:?}"), format!("{:?}", key())] {
        assert!(printed.contains("[REDACTED]"), "{printed}");
        assert!(!printed.contains("MC4CAQAw"), "{printed}");
        assert!(!printed.contains("9d61b19d"), "{printed}");
    }
    assert!(!format!("{generated:?}").contains(&pem[30..60]));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `child_reads_key_from_env` in a child process with `name` set to `value`.
fn in_child_with_env(name: &str, value: &str) {
    // Edition 2024 makes set_var unsafe because other threads may read the environment;
    // the workspace forbids unsafe code, so the test goes through a child process instead.
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_reads_key_from_env", "--nocapture"])
        .env(name, value)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn child_reads_key_from_env() {
    // Run by `unsafe_set_env` with the variable set; on its own, nothing to check.
    if let Ok(text) = std::env::var("RAMP_TEST_ONRAMPER_V2_KEY") {
        assert!(!text.contains('\n'));
        let key = SigningKey::from_env("RAMP_TEST_ONRAMPER_V2_KEY").unwrap();
        assert_eq!(
            key.public_key().to_hex(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
    }
}

#[test]
fn a_malformed_or_foreign_key_is_a_typed_error_that_repeats_nothing() {
    for (pem, says) in [
        ("", "the PEM is empty"),
        ("not a key", "not a PKCS#8 PEM private key"),
        (EC_P256, "not an Ed25519 key"),
        (X25519, "not an Ed25519 key"),
        (OTHER_PUBLIC, "the PEM is a public key"),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
            "encrypted",
        ),
        (
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1h\n-----END PRIVATE KEY-----",
            "not a valid PKCS#8",
        ),
    ] {
        let err = SigningKey::from_pkcs8_pem(pem).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err.kind(), ErrorKind::InvalidKey { .. }), "{text}");
        assert!(text.contains(says), "{says:?} not in {text}");
        assert!(
            !text.contains("MIGHAgEA") && !text.contains("MC4CAQAw"),
            "{text}"
        );
    }
    assert!(PublicKey::from_spki_pem(TEST_1).is_err());
    assert!(PublicKey::from_hex("d75a").is_err());
    assert!(PublicKey::from_hex(&"zz".repeat(32)).is_err());
    assert_eq!(
        PublicKey::from_spki_pem(OTHER_PUBLIC)
            .unwrap()
            .to_spki_pem(),
        OTHER_PUBLIC
    );
}

#[test]
fn every_core_parameter_present_is_signed_and_a_request_to_leave_one_out_is_refused() {
    let url = signed();
    let verified =
        verify_widget_url_v2(&url, &key().public_key(), at("2026-11-25T08:01:00Z")).unwrap();
    assert_eq!(
        verified.signed_fields,
        ["apiKey", "defaultAmount", "networkWallets", "wallets"]
    );
    assert!(url.contains("&sigV2Fields=apiKey%2CdefaultAmount%2CnetworkWallets%2Cwallets&"));
    assert!(url.starts_with(URL), "the URL's own bytes are kept: {url}");
    let err = sign_widget_url_v2_with(URL, &key(), &options().leave_unsigned("defaultAmount"))
        .unwrap_err();
    assert_eq!(
        err,
        ErrorKind::CoreParameterUnsigned {
            parameter: "defaultAmount".into()
        }
    );
    // A non-core parameter may be left unsigned (it is by default) or signed on request.
    assert!(sign_widget_url_v2_with(URL, &key(), &options().leave_unsigned("country")).is_ok());
    let also = sign_widget_url_v2_with(URL, &key(), &options().also_sign("country")).unwrap();
    assert!(also.as_str().contains("sigV2Fields=apiKey%2Ccountry%2C"));
    assert_eq!(
        sign_widget_url_v2_with(URL, &key(), &options().also_sign("theme")).unwrap_err(),
        ErrorKind::SignedFieldMissing {
            parameter: "theme".into()
        }
    );
    // What Onramper would strip: a core parameter added after signing.
    let added = format!("{}&email=x%40y.z", signed());
    let verified =
        verify_widget_url_v2(&added, &key().public_key(), at("2026-11-25T08:01:00Z")).unwrap();
    assert_eq!(verified.stripped, ["email"]);
}

#[test]
fn bad_input_to_the_signer_is_a_typed_error() {
    let k = key();
    let sign = |url: &str, options: &SignOptions| sign_widget_url_v2_with(url, &k, options);
    assert_eq!(
        sign("https://buy.onramper.com/?wallets=btc:1A", &options()).unwrap_err(),
        ErrorKind::MissingParameter {
            parameter: "apiKey".into()
        }
    );
    assert!(matches!(
        sign("buy.onramper.com/?apiKey=pk", &options())
            .unwrap_err()
            .into_kind(),
        ErrorKind::InvalidUrl { .. }
    ));
    assert_eq!(
        sign(
            "https://buy.onramper.com/?apiKey=pk&wallets=btc:1A~b",
            &options()
        )
        .unwrap_err(),
        ErrorKind::AmbiguousEncoding {
            parameter: "wallets".into(),
            character: '~'
        }
    );
    assert!(matches!(
        sign(
            "https://buy.onramper.com/?apiKey=pk&email=a*b%40c.d",
            &options()
        )
        .unwrap_err()
        .into_kind(),
        ErrorKind::AmbiguousEncoding { character: '*', .. }
    ));
    // An unsigned parameter may hold them.
    assert!(sign("https://buy.onramper.com/?apiKey=pk&theme=~*", &options()).is_ok());
    assert_eq!(
        sign("https://buy.onramper.com/?apiKey=pk&apiKey=pk2", &options()).unwrap_err(),
        ErrorKind::DuplicateParameter {
            parameter: "apiKey".into()
        }
    );
    for (expiry, reason) in [
        (
            Duration::from_secs(30 * 60 + 1),
            "it must be at most 30 minutes after the timestamp",
        ),
        (Duration::ZERO, "it must be after the timestamp"),
    ] {
        assert_eq!(
            sign(URL, &options().expires_in(expiry)).unwrap_err(),
            ErrorKind::InvalidExpiry { reason }
        );
    }
    assert!(sign(URL, &options().expires_in(Duration::from_secs(30 * 60))).is_ok());
    assert_eq!(
        sign(
            URL,
            &options().nonce("550e8400-e29b-11d4-a716-446655440000".parse().unwrap())
        )
        .unwrap_err(),
        ErrorKind::InvalidNonce
    );
    assert!(matches!(
        sign(
            "https://buy.onramper.com/?apiKey=pk&wallets=btc:%zz",
            &options()
        )
        .unwrap_err()
        .into_kind(),
        ErrorKind::InvalidPercentEncoding { .. }
    ));
}

#[test]
fn the_builder_signs_v2_and_returns_a_url() {
    let url = WidgetUrlBuilder::new("https://buy.onramper.com", "pk_test_x")
        .param("defaultFiat", "EUR")
        .param("country", "nl")
        .wallet("BTC", "1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71")
        .network_wallet("Ethereum", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F")
        .sign_v2_with(&key(), &options())
        .unwrap();
    assert_eq!(url.scheme(), "https");
    let verified = verify_widget_url_v2(
        url.as_str(),
        &key().public_key(),
        at("2026-11-25T08:00:01Z"),
    )
    .unwrap();
    assert_eq!(
        verified.signed_fields,
        ["apiKey", "defaultFiat", "networkWallets", "wallets"]
    );
    insta::assert_snapshot!("builder_v2_url", url.as_str());
}

/// Flips one byte of `text[range]` to another printable character.
fn flip(text: &str, at: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    String::from_utf8(bytes).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_holds_and_any_changed_signed_byte_is_refused(
        address in "[A-Za-z0-9]{20,44}",
        amount in "[1-9][0-9]{0,5}",
        id in "[a-z_]{2,10}",
        seconds in 0i64..86_400 * 365,
        which in any::<prop::sample::Index>(),
    ) {
        let url = format!(
            "https://buy.onramper.com/?apiKey=pk_test_x&wallets={id}:{address}&defaultAmount={amount}&country=nl"
        );
        let timestamp = OffsetDateTime::from_unix_timestamp(1_767_225_600 + seconds).unwrap();
        let options = SignOptions::new().timestamp(timestamp);
        let signed = sign_widget_url_v2_with(&url, &key(), &options).unwrap().to_string();
        let now = timestamp + Duration::from_secs(5);
        let verified = verify_widget_url_v2(&signed, &key().public_key(), now).unwrap();
        prop_assert_eq!(verified.timestamp.unix_timestamp(), timestamp.unix_timestamp());

        // Every byte of the signed values (wallets and defaultAmount), of sigV2Timestamp's
        // value and of sigV2Nonce's value.
        let mut positions = Vec::new();
        for name in ["wallets=", "defaultAmount=", "sigV2Timestamp=", "sigV2Nonce="] {
            let start = signed.find(name).unwrap() + name.len();
            let end = signed[start..].find('&').map_or(signed.len(), |i| start + i);
            positions.extend(start..end);
        }
        let at = positions[which.index(positions.len())];
        let tampered = flip(&signed, at);
        prop_assert!(
            verify_widget_url_v2(&tampered, &key().public_key(), now).is_err(),
            "changed byte {} of {}", at, tampered
        );
    }
}

#[path = "v2/refusals.rs"]
mod refusals;
