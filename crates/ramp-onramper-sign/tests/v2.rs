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
use ramp_onramper_sign::{Error, WidgetUrlBuilder};

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
    assert!(matches!(missing, Error::KeyFile { .. }), "{missing}");

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
        assert!(matches!(err, Error::InvalidKey { .. }), "{text}");
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
        Error::CoreParameterUnsigned {
            parameter: "defaultAmount".into()
        }
    );
    // A non-core parameter may be left unsigned (it is by default) or signed on request.
    assert!(sign_widget_url_v2_with(URL, &key(), &options().leave_unsigned("country")).is_ok());
    let also = sign_widget_url_v2_with(URL, &key(), &options().also_sign("country")).unwrap();
    assert!(also.as_str().contains("sigV2Fields=apiKey%2Ccountry%2C"));
    assert_eq!(
        sign_widget_url_v2_with(URL, &key(), &options().also_sign("theme")).unwrap_err(),
        Error::SignedFieldMissing {
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
        Error::MissingParameter {
            parameter: "apiKey".into()
        }
    );
    assert!(matches!(
        sign("buy.onramper.com/?apiKey=pk", &options()).unwrap_err(),
        Error::InvalidUrl { .. }
    ));
    assert_eq!(
        sign(
            "https://buy.onramper.com/?apiKey=pk&wallets=btc:1A~b",
            &options()
        )
        .unwrap_err(),
        Error::AmbiguousEncoding {
            parameter: "wallets".into(),
            character: '~'
        }
    );
    assert!(matches!(
        sign(
            "https://buy.onramper.com/?apiKey=pk&email=a*b%40c.d",
            &options()
        )
        .unwrap_err(),
        Error::AmbiguousEncoding { character: '*', .. }
    ));
    // An unsigned parameter may hold them.
    assert!(sign("https://buy.onramper.com/?apiKey=pk&theme=~*", &options()).is_ok());
    assert_eq!(
        sign("https://buy.onramper.com/?apiKey=pk&apiKey=pk2", &options()).unwrap_err(),
        Error::DuplicateParameter {
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
            Error::InvalidExpiry { reason }
        );
    }
    assert!(sign(URL, &options().expires_in(Duration::from_secs(30 * 60))).is_ok());
    assert_eq!(
        sign(
            URL,
            &options().nonce("550e8400-e29b-11d4-a716-446655440000".parse().unwrap())
        )
        .unwrap_err(),
        Error::InvalidNonce
    );
    assert!(matches!(
        sign(
            "https://buy.onramper.com/?apiKey=pk&wallets=btc:%zz",
            &options()
        )
        .unwrap_err(),
        Error::InvalidPercentEncoding { .. }
    ));
}

#[test]
fn each_refusal_has_its_documented_code() {
    let public = key().public_key();
    let url = signed();
    let now = at("2026-11-25T08:05:00Z");
    let verify = |url: &str, now| verify_widget_url_v2(url, &public, now);
    assert!(verify(&url, now).is_ok());

    let replace = |from: &str, to: &str| url.replacen(from, to, 1);
    let without = |name: &str| {
        let start = url.find(&format!("&{name}=")).unwrap();
        let end = url[start + 1..]
            .find('&')
            .map_or(url.len(), |i| start + 1 + i);
        format!("{}{}", &url[..start], &url[end..])
    };
    let cases = [
        (without("sigV2"), "SIGNATURE_MISSING"),
        (
            replace("sigV2=v2%3A", "sigV2=v1%3A"),
            "SIGNATURE_VERSION_MISMATCH",
        ),
        (
            replace("sigV2=v2%3A", "sigV2=v2%3AAAAA"),
            "SIGNATURE_INVALID",
        ),
        (replace("btc:1Lbc", "btc:1Evi"), "SIGNATURE_INVALID"),
        (
            replace("defaultAmount=100", "defaultAmount=1000"),
            "SIGNATURE_INVALID",
        ),
        (without("sigV2Timestamp"), "TIMESTAMP_MISSING"),
        (
            replace("2026-11-25T08%3A00%3A00.000Z", "2026-11-25+08%3A00%3A00"),
            "TIMESTAMP_INVALID_FORMAT",
        ),
        (without("sigV2Nonce"), "NONCE_MISSING"),
        (
            replace(NONCE, &NONCE.to_uppercase()),
            "NONCE_INVALID_FORMAT",
        ),
        (
            replace(NONCE, "550e8400-e29b-11d4-a716-446655440000"),
            "NONCE_INVALID_FORMAT",
        ),
        (replace("apiKey=pk_test_x", "apiKey="), "API_KEY_MISSING"),
        (
            replace(
                "2026-11-25T08%3A00%3A00.000Z",
                "2026-11-25T08%3A00%3A01.000Z",
            ),
            "SIGNATURE_INVALID",
        ),
        (replace("btc:1", "btc:%zz"), "SIGNATURE_INVALID"),
    ];
    for (url, expected) in &cases {
        assert_eq!(&code(verify(url, now)), expected, "{url}");
    }
    // The window and the skew.
    assert!(verify(&url, at("2026-11-25T08:15:00Z")).is_ok());
    assert_eq!(
        code(verify(&url, at("2026-11-25T08:15:00.001Z"))),
        "TIMESTAMP_EXPIRED"
    );
    assert!(verify(&url, at("2026-11-25T07:59:30Z")).is_ok());
    assert_eq!(
        code(verify(&url, at("2026-11-25T07:59:29.999Z"))),
        "TIMESTAMP_FUTURE"
    );
    let err = verify(&url, at("2026-11-25T09:00:00Z")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "TIMESTAMP_EXPIRED: the signature is 3600 s old, more than the 900 s allowed"
    );
    assert_eq!(err.code().http_status(), 401);

    // sigV2Expiry: valid until then, up to 30 minutes.
    let with_expiry = sign_widget_url_v2_with(
        URL,
        &key(),
        &options().expires_in(Duration::from_secs(25 * 60)),
    )
    .unwrap()
    .to_string();
    assert!(verify(&with_expiry, at("2026-11-25T08:24:00Z")).is_ok());
    assert_eq!(
        code(verify(&with_expiry, at("2026-11-25T08:25:01Z"))),
        "WIDGET_EXPIRED"
    );
    let stretched = with_expiry.replace("2026-11-25T08%3A25", "2026-11-25T08%3A45");
    assert_eq!(
        code(verify(&stretched, at("2026-11-25T08:01:00Z"))),
        "WIDGET_EXPIRED"
    );

    // The right key only.
    let other = SigningKey::generate().unwrap().public_key();
    assert_eq!(
        code(verify_widget_url_v2(&url, &other, now)),
        ErrorCode::SignatureInvalid.to_string()
    );
}

#[test]
fn a_nonce_verifies_once() {
    let cache = NonceCache::new();
    let now = at("2026-11-25T08:01:00Z");
    let verified = verify_widget_url_v2(&signed(), &key().public_key(), now).unwrap();
    cache
        .check(verified.nonce, verified.timestamp, now)
        .unwrap();
    let again = verify_widget_url_v2(&signed(), &key().public_key(), now).unwrap();
    assert_eq!(
        cache.check(again.nonce, again.timestamp, now),
        Err(VerifyError::NonceReused)
    );
    assert_eq!(VerifyError::NonceReused.code(), ErrorCode::NonceReused);
    // Past the longest life of a signature the nonce may be forgotten.
    let much_later = at("2026-11-25T09:00:00Z");
    for i in 0..2000u32 {
        let nonce = ramp_onramper_sign::v2::Uuid::from_u128(
            0x550e8400_e29b_41d4_a716_000000000000 | u128::from(i),
        );
        cache.check(nonce, much_later, much_later).unwrap();
    }
    assert!(cache.len() <= 2001);
}

#[test]
fn api_requests_refuse_each_change() {
    let key = key();
    let body = br#"{"sourceAmount":100,"wallet":"bc1q"}"#;
    let request = ApiRequest::new("POST", "/checkout/intent", "pk_test_x")
        .query("a=1")
        .content_type("application/json")
        .body(body);
    let headers = sign_request_v2(&request, &key, &options()).unwrap();
    let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        [
            "Authorization",
            "x-onramper-signature",
            "x-onramper-timestamp",
            "x-onramper-nonce"
        ]
    );
    assert!(!format!("{headers:?}").contains("pk_test_x"));
    let received = Received::new(
        Some(&headers.signature),
        Some(&headers.timestamp),
        Some(&headers.nonce),
    );
    let now = at("2026-11-25T08:00:10Z");
    let public = key.public_key();
    assert!(verify_request_v2(&request, &received, &public, now).is_ok());
    // The same JSON written differently hashes the same (RFC 8785).
    let spaced = br#"{ "wallet": "bc1q", "sourceAmount": 1e2 }"#;
    assert!(verify_request_v2(&request.body(spaced), &received, &public, now).is_ok());
    for changed in [
        request.body(br#"{"sourceAmount":101,"wallet":"bc1q"}"#),
        request.query("a=2"),
        request.content_type("text/plain"),
        ApiRequest::new("PUT", "/checkout/intent", "pk_test_x")
            .query("a=1")
            .content_type("application/json")
            .body(body),
        ApiRequest::new("POST", "/checkout/intents", "pk_test_x")
            .query("a=1")
            .content_type("application/json")
            .body(body),
        ApiRequest::new("POST", "/checkout/intent", "pk_test_y")
            .query("a=1")
            .content_type("application/json")
            .body(body),
    ] {
        assert_eq!(
            code(verify_request_v2(&changed, &received, &public, now)),
            "SIGNATURE_INVALID",
            "{changed:?}"
        );
    }
    let missing = [
        (
            Received::new(None, Some(&headers.timestamp), Some(&headers.nonce)),
            "SIGNATURE_MISSING",
        ),
        (
            Received::new(Some(&headers.signature), None, Some(&headers.nonce)),
            "TIMESTAMP_MISSING",
        ),
        (
            Received::new(Some(&headers.signature), Some(&headers.timestamp), None),
            "NONCE_MISSING",
        ),
    ];
    for (received, expected) in missing {
        assert_eq!(
            code(verify_request_v2(&request, &received, &public, now)),
            expected
        );
    }
    assert_eq!(
        code(verify_request_v2(
            &ApiRequest::new("POST", "/checkout/intent", " "),
            &received,
            &public,
            now
        )),
        "API_KEY_MISSING"
    );
    // Bad requests cannot be signed.
    for bad in [
        ApiRequest::new("P OST", "/x", "pk"),
        ApiRequest::new("POST", "x", "pk"),
        ApiRequest::new("POST", "/x?y", "pk"),
        ApiRequest::new("POST", "/x", ""),
        ApiRequest::new("POST", "/x", "pk")
            .content_type("application/json")
            .body(b"{"),
        ApiRequest::new("GET", "/x", "pk").query("q=%zz"),
        ApiRequest::new("GET", "/x", "pk").query("q=a~b"),
    ] {
        assert!(sign_request_v2(&bad, &key, &options()).is_err(), "{bad:?}");
    }
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
