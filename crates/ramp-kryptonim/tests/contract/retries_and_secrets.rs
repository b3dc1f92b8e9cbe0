use super::*;

#[tokio::test]
async fn quotes_change_nothing_so_a_503_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/quotes"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/quotes"))
        .respond_with(ResponseTemplate::new(200).set_body_string(QUOTES))
        .mount(&server)
        .await;
    let request = QuoteRequest::builder()
        .fiat_currency("EUR")
        .fiat_amount(dec("100"))
        .token("USDC")
        .chain("polygon")
        .build()
        .unwrap();
    let quotes = client(&server).quotes(&request).await.unwrap();
    assert_eq!(quotes.len(), 2);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.body == received[0].body));
}

#[tokio::test]
async fn no_credential_appears_in_any_debug_or_display() {
    let server = answering(
        401,
        r#"{"code": "UNAUTHORIZED", "message": "Unauthorized request"}"#,
    )
    .await;
    let client = client(&server);
    let api_error = client
        .create_widget_session(&five_fields())
        .await
        .unwrap_err();
    let dead = Client::builder(
        Url::parse("http://127.0.0.1:9/").unwrap(),
        SecretString::from(API_KEY),
        SecretString::from(SECRET),
    )
    .http_config(HttpConfig::new().retry(RetryPolicy::none()))
    .build()
    .unwrap();
    let transport_error = dead
        .quotes(
            &QuoteRequest::builder()
                .fiat_currency("EUR")
                .fiat_amount(dec("1"))
                .token("USDC")
                .chain("polygon")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    let texts = [
        format!("{client:?}"),
        format!("{dead:?}"),
        format!("{api_error:?}"),
        api_error.to_string(),
        format!("{transport_error:?}"),
        transport_error.to_string(),
        format!("{:?}", five_fields()),
    ];
    for text in &texts {
        assert!(!text.contains(API_KEY), "API key in {text}");
        assert!(!text.contains(SECRET), "signature secret in {text}");
    }
    assert!(texts[0].contains("[REDACTED]"), "{}", texts[0]);
}

#[tokio::test]
async fn an_empty_or_blank_credential_is_refused() {
    let url = Url::parse("https://kryptonim.example/").unwrap();
    for (key, secret, what) in [
        ("", SECRET, "API key"),
        (" ", SECRET, "API key"),
        (API_KEY, "", "signature secret"),
        (API_KEY, "\t\n", "signature secret"),
    ] {
        let err = Client::builder(
            url.clone(),
            SecretString::from(key),
            SecretString::from(secret),
        )
        .build()
        .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::EmptySecret(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("the Kryptonim {what} is empty or whitespace only")
        );
    }
    let err = Client::builder(
        url,
        SecretString::from("bad\nkey"),
        SecretString::from(SECRET),
    )
    .build()
    .unwrap_err();
    assert!(!err.to_string().contains("bad\nkey"), "{err}");
}
