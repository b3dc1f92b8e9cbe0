use super::*;

#[tokio::test]
async fn an_unknown_or_partial_error_body_still_decodes() {
    let server = answering(429, r#"{"error": "rate_limit_exceeded"}"#).await;
    let err = client(&server)
        .create_session(&minimal())
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ApiErrorKind::Other));
    assert!(err.is_retryable());
    insta::assert_snapshot!(err.to_string(), @"Proof error rate_limit_exceeded (HTTP 429 Too Many Requests): (no message) [request id req_7b1c]");
}

#[tokio::test]
async fn an_html_502_a_malformed_body_and_a_timeout_are_clean_errors() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><h1>502 Bad Gateway</h1></html>"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .create_session(&minimal())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::Status { .. })
        ),
        "{err:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "an HTML 502 is not the documented retry"
    );

    let server = answering(200, r#"{"merchant_transaction_id": "x", "widget_id": 7}"#).await;
    let err = client(&server)
        .create_session(&minimal())
        .await
        .unwrap_err();
    assert!(
        matches!(err.http().map(HttpError::kind), Some(HttpErrorKind::Decode { path, .. }) if path == "widget_id"),
        "{err:?}"
    );

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from(TOKEN),
    )
    .http_config(
        HttpConfig::new()
            .timeout(Duration::from_millis(200))
            .retry(fast_retries()),
    )
    .build()
    .unwrap();
    let err = client.create_session(&minimal()).await.unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::Timeout { .. })
        ),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_transaction_read_is_retried_after_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(TRANSACTION))
        .mount(&server)
        .await;
    let transaction = client(&server).transaction("tx/1").await.unwrap();
    assert_eq!(transaction.partner_user_id.as_deref(), Some("user-123"));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].url.path(), "/widget/transactions/tx%2F1");
}

#[tokio::test]
async fn no_token_appears_in_any_debug_or_display() {
    let server = answering(
        401,
        r#"{"error": "unauthorised", "code": "invalid_token", "message": "Invalid token"}"#,
    )
    .await;
    let client = client(&server);
    let err = client.create_session(&minimal()).await.unwrap_err();
    let session: ramp_proof::WidgetSession = serde_json::from_str(SESSION).unwrap();
    for text in [
        format!("{client:?}"),
        format!("{err:?}"),
        err.to_string(),
        format!("{session:?}"),
    ] {
        assert!(!text.contains(TOKEN), "client token in {text}");
        assert!(!text.contains("eyJhbGciOi"), "init token in {text}");
    }
    let empty = Client::builder(
        Url::parse("https://proof.example/").unwrap(),
        SecretString::from(" "),
    )
    .build()
    .unwrap_err();
    assert!(
        matches!(empty.kind(), ErrorKind::EmptySecret(_)),
        "{empty:?}"
    );
    assert_eq!(
        empty.to_string(),
        "the Proof client token is empty or whitespace only"
    );
}
