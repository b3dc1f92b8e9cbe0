use super::*;

#[test]
fn characters_that_look_like_separators_are_encoded_by_the_builder() {
    let url = WidgetUrlBuilder::new("https://buy.onramper.com/?mode=buy", "pk")
        .wallet("xlm", "GA5Z+ 7&x=y,z#w%")
        .sign(&secret());
    // '&' and '=' cannot be signed unambiguously: refused, not silently changed.
    assert!(
        matches!(
            url.as_ref().map_err(|e| e.kind()),
            Err(ErrorKind::Unsignable { .. })
        ),
        "{url:?}"
    );
    let url = WidgetUrlBuilder::new("https://buy.onramper.com/?mode=buy", "pk")
        .wallet("xlm", "GA5Z+ 7#w%")
        .wallet_address_tag("xlm", "memo text")
        .sign(&secret())
        .unwrap();
    assert!(url.starts_with("https://buy.onramper.com/?mode=buy&apiKey=pk&wallets=xlm:GA5Z%2B%207%23w%25&walletAddressTags=xlm:memo%20text&signature="), "{url}");
    assert_eq!(
        sign_content(&url).unwrap(),
        "walletAddressTags=xlm:memo text&wallets=xlm:GA5Z+ 7#w%"
    );
    assert_eq!(verify_url(&url, &secret()), Ok(()));
}

#[test]
fn nothing_prints_the_secret() {
    let secret = SecretString::from("onramper-signing-secret-value");
    let builder = full_builder();
    let signed = builder.sign(&secret).unwrap();
    let errors = [
        verify_url(&signed, &SecretString::from("x")).unwrap_err(),
        verify_url(DOC_URL, &secret).unwrap_err(),
        sign_url("wallets=BTC:1,btc:2", &secret).unwrap_err(),
    ];
    let mut printed = vec![format!("{secret:?}"), format!("{builder:?}"), signed];
    for e in &errors {
        printed.push(format!("{e:?}"));
        printed.push(e.to_string());
    }
    for text in printed {
        assert!(!text.contains("onramper-signing-secret-value"), "{text}");
    }
}

#[test]
fn input_over_the_size_limit_is_refused_before_it_is_read() {
    use ramp_onramper_sign::MAX_INPUT_BYTES;
    // Many valid pairs, so the limit (not a parse error) is what refuses them.
    let mut url = String::from("https://buy.onramper.com/?apiKey=pk&wallets=");
    let mut i = 0;
    while url.len() <= MAX_INPUT_BYTES {
        url.push_str(&format!("c{i}:a{i},"));
        i += 1;
    }
    url.pop();
    let too_long = ErrorKind::TooLong {
        length: url.len(),
        limit: MAX_INPUT_BYTES,
    };
    assert_eq!(sign_content(&url), Err(too_long.clone().into()));
    assert_eq!(sign_url(&url, &secret()), Err(too_long.clone().into()));
    let forged = format!("{url}&signature={DOC_SIGNATURE}");
    assert!(matches!(
        verify_url(&forged, &secret()).map_err(|e| e.into_kind()),
        Err(ErrorKind::TooLong { .. })
    ));

    // Just under the limit, tens of thousands of pairs sign and verify (linear work; the
    // growth is measured by `cargo xtask bench`, not timed here).
    let cut = url[..MAX_INPUT_BYTES - 80].rfind(',').unwrap();
    let under = &url[..cut];
    let signed = sign_url(under, &secret()).unwrap();
    assert_eq!(verify_url(&signed, &secret()), Ok(()));
    assert!(i > 100_000, "{i} pairs");
}

#[test]
fn a_repeated_id_among_many_is_found() {
    let mut wallets: Vec<String> = (0..50_000).map(|i| format!("c{i}:a{i}")).collect();
    wallets.push("c49999:again".into());
    let url = format!("wallets={}", wallets.join(","));
    assert_eq!(
        sign_content(&url),
        Err(ErrorKind::DuplicateId {
            parameter: "wallets".into(),
            id: "c49999".into()
        }
        .into())
    );
}

#[test]
fn a_question_mark_inside_the_query_is_part_of_the_query() {
    // Found by the fuzzer: signing had looked for a `?` again in the query it had already
    // cut out of the URL, and signed what came after the second one.
    for url in [
        "https://buy.onramper.com/?wallets=btc:1A&redirect=https://shop.example/?a=1",
        "https://buy.onramper.com/?wallets=sol:7EcDh&next=x/?wallets=btc:1B",
    ] {
        let signed = sign_url(url, &secret()).unwrap();
        assert_eq!(verify_url(&signed, &secret()), Ok(()), "{signed}");
        assert_eq!(sign_content(&signed).unwrap(), sign_content(url).unwrap());
    }
    assert_eq!(
        sign_content("https://buy.onramper.com/?wallets=sol:7EcDh&next=x/?wallets=btc:1B").unwrap(),
        "wallets=sol:7EcDh"
    );
}

/// Regression, found by `cargo xtask fuzz`: an id that lower-cases to `__proto__` was signed,
/// and `verify_url` then refused the URL it had just signed. It is refused at once, as
/// `__proto__` written in lower case always was, and signing never yields a URL its own
/// verifier refuses.
#[test]
fn an_id_that_lowercases_to_the_reserved_id_is_refused_at_once() {
    for id in ["__pRoto__", "__PROTO__", "__proto__"] {
        let url = format!(
            "https://buy.onramper.com/?apiKey=pk&wallets=eth:0x977BC1915dA4f7edA9D2e49BC08356db37478538,{id}:x"
        );
        let err = sign_url(&url, &secret()).unwrap_err();
        assert!(
            matches!(&err.kind(), ErrorKind::Unsignable { id: got, .. } if got == id),
            "{id}: {err:?}"
        );
        assert!(sign_content(&url).is_err(), "{id}");
    }
    // Ids that only look alike still sign, and verify.
    for id in ["__proto_", "_proto__", "proto"] {
        let url = format!("https://buy.onramper.com/?apiKey=pk&wallets={id}:x");
        let signed = sign_url(&url, &secret()).unwrap();
        verify_url(&signed, &secret()).unwrap();
    }
}
