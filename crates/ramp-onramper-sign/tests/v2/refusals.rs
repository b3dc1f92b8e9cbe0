use super::*;

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
