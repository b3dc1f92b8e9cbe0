use super::*;

#[tokio::test]
async fn a_minimal_session_request_is_exactly_as_documented() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    let widget = hosts
        .client()
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    assert_eq!(
        widget.url.as_str(),
        "https://global-stg.transak.com/?sessionId=7f1c9a2e-0d3b-4c5e-8f6a-1b2c3d4e5f60"
    );
    let received = hosts.gateway.received_requests().await.unwrap();
    let session = &received[0];
    assert_eq!(session.method.as_str(), "POST");
    assert_eq!(session.url.path(), "/api/v2/auth/session");
    assert_eq!(
        String::from_utf8(session.body.clone()).unwrap(),
        format!(r#"{{"widgetParams":{{"apiKey":"{API_KEY}","referrerDomain":"yourdomain.com"}}}}"#)
    );
    assert_eq!(session.headers.get("access-token").unwrap(), "tok_1");
    assert_eq!(
        session.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(session.headers.get("x-api-key").unwrap(), API_KEY);
    assert_eq!(session.headers.get("x-user-ip").unwrap(), "203.0.113.9");
    assert_eq!(
        header_names(session),
        names(&[
            "accept",
            "access-token",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-api-key",
            "x-user-ip"
        ])
    );
}

#[tokio::test]
async fn a_cached_token_is_reused_across_calls() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    let client = hosts.client();
    for _ in 0..3 {
        client
            .create_widget_url(&WidgetParams::default(), USER_IP)
            .await
            .unwrap();
    }
    assert_eq!(hosts.token_requests().await, 1);
    assert_eq!(hosts.session_tokens().await, ["tok_1", "tok_1", "tok_1"]);
}

#[tokio::test]
async fn the_token_is_refreshed_shortly_before_it_expires() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    let clock = Arc::new(AtomicU64::new(NOW));
    let now = Arc::clone(&clock);
    let client = hosts
        .builder()
        .clock(move || now.load(Ordering::SeqCst))
        .build()
        .unwrap();
    client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    // Six minutes before expiry: still used. Four minutes before (inside the 5-minute
    // margin): replaced.
    clock.store(NOW + WEEK - 6 * 60, Ordering::SeqCst);
    client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    clock.store(NOW + WEEK - 4 * 60, Ordering::SeqCst);
    client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    assert_eq!(hosts.token_requests().await, 2);
    assert_eq!(hosts.session_tokens().await, ["tok_1", "tok_1", "tok_2"]);
}

#[tokio::test]
async fn a_hundred_concurrent_calls_on_a_cold_client_make_one_token_request() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::from_millis(200)).await;
    hosts.widget_answers(200, WIDGET).await;
    let client = hosts.client();
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .create_widget_url(&WidgetParams::default(), USER_IP)
                    .await
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(hosts.token_requests().await, 1);
    let tokens = hosts.session_tokens().await;
    assert_eq!(tokens.len(), 100);
    assert!(tokens.iter().all(|t| t == "tok_1"));
}

#[tokio::test]
async fn a_401_on_a_cached_token_refreshes_once_and_retries_once() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    let client = hosts.client();
    // Warm the cache with tok_1.
    hosts.widget_answers(200, WIDGET).await;
    client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    hosts.gateway.reset().await;
    // Transak invalidated tok_1 (another holder refreshed): 401 once, then fine.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            r#"{"error": {"statusCode": 401, "message": "Invalid access token", "errorCode": 1001}}"#,
        ))
        .up_to_n_times(1)
        .mount(&hosts.gateway)
        .await;
    hosts.widget_answers(200, WIDGET).await;
    client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    assert_eq!(hosts.token_requests().await, 2);
    assert_eq!(hosts.session_tokens().await, ["tok_1", "tok_2"]);
}

#[tokio::test]
async fn a_401_on_a_fresh_token_is_returned_not_looped() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts
        .widget_answers(
            401,
            r#"{"error": {"statusCode": 401, "message": "Unauthorized", "errorCode": 1001}}"#,
        )
        .await;
    let err = hosts
        .client()
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"Transak error 1001 (HTTP 401 Unauthorized): Unauthorized");
    assert_eq!(hosts.token_requests().await, 1);
    assert_eq!(hosts.session_tokens().await.len(), 1);
}

#[tokio::test]
async fn a_failing_refresh_is_one_clear_error_shared_by_every_waiting_call() {
    let hosts = Hosts::start().await;
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_delay(Duration::from_millis(100))
                .set_body_string(r#"{"error": {"statusCode": 429, "message": "Too many requests", "errorCode": 4290}}"#),
        )
        .mount(&hosts.api)
        .await;
    let client = hosts.client();
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .create_widget_url(&WidgetParams::default(), USER_IP)
                    .await
            })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::TokenRefresh(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "could not get a Transak partner access token: Transak error 4290 (HTTP 429 Too Many Requests): Too many requests"
        );
    }
    assert_eq!(hosts.token_requests().await, 1);
    assert!(hosts.gateway.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn expires_at_in_milliseconds_is_understood() {
    let hosts = Hosts::start().await;
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"data": {{"accessToken": "tok_ms", "expiresAt": {}}}}}"#,
            (NOW + WEEK) * 1000
        )))
        .mount(&hosts.api)
        .await;
    hosts.widget_answers(200, WIDGET).await;
    let client = hosts.client();
    let token = client.access_token().await.unwrap();
    assert_eq!(
        token.expires_at(),
        std::time::UNIX_EPOCH + Duration::from_secs(NOW + WEEK)
    );
}

#[tokio::test]
async fn clients_sharing_a_store_share_one_token() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts.widget_answers(200, WIDGET).await;
    let store = Arc::new(MemoryTokenStore::default());
    struct Shared(Arc<MemoryTokenStore>);
    impl ramp_transak::TokenStore for Shared {
        fn load(
            &self,
        ) -> ramp_transak::BoxFuture<
            '_,
            Result<Option<ramp_transak::AccessToken>, ramp_transak::StoreError>,
        > {
            self.0.load()
        }
        fn save(
            &self,
            token: ramp_transak::AccessToken,
        ) -> ramp_transak::BoxFuture<'_, Result<(), ramp_transak::StoreError>> {
            self.0.save(token)
        }
    }
    let first = hosts
        .builder()
        .token_store(Shared(Arc::clone(&store)))
        .build()
        .unwrap();
    let second = hosts
        .builder()
        .token_store(Shared(Arc::clone(&store)))
        .build()
        .unwrap();
    first
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    second
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap();
    assert_eq!(hosts.token_requests().await, 1);
    assert_eq!(hosts.session_tokens().await, ["tok_1", "tok_1"]);
}

#[tokio::test]
async fn a_fixed_token_is_used_as_is_and_never_refreshed() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts
        .widget_answers(
            401,
            r#"{"error": {"statusCode": 401, "message": "Invalid access token", "errorCode": 1001}}"#,
        )
        .await;
    let client = hosts
        .builder()
        .access_token(SecretString::from("tok_fixed"))
        .build()
        .unwrap();
    let err = client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.code.as_deref() == Some("1001")),
        "{err:?}"
    );
    assert_eq!(hosts.token_requests().await, 0);
    assert_eq!(hosts.session_tokens().await, ["tok_fixed"]);
}

#[tokio::test]
async fn the_documented_400_and_other_bodies_are_clean_errors() {
    let hosts = Hosts::start().await;
    hosts.issue_tokens(Duration::ZERO).await;
    hosts
        .widget_answers(
            400,
            r#"{"error": {"statusCode": 400, "message": "Invalid widgetParams: fiatCurrency", "errorCode": 2001}}"#,
        )
        .await;
    let client = hosts.client();
    let err = client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"Transak error 2001 (HTTP 400 Bad Request): Invalid widgetParams: fiatCurrency");
    assert_eq!(
        hosts.session_tokens().await.len(),
        1,
        "a 400 is not retried"
    );
    assert!(
        err.api().is_some_and(|api| api.request_id.is_none()),
        "{err:?}"
    );

    // The request id, when the response has one.
    hosts.gateway.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-request-id", "req-7f3a")
                .set_body_string(
                    r#"{"error": {"statusCode": 400, "message": "Bad", "errorCode": 2001}}"#,
                ),
        )
        .mount(&hosts.gateway)
        .await;
    let err = client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    assert!(
        err.api()
            .is_some_and(|api| api.request_id.as_deref() == Some("req-7f3a")),
        "{err:?}"
    );

    hosts.gateway.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><body>502 Bad Gateway</body></html>"),
        )
        .mount(&hosts.gateway)
        .await;
    let err = client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.http().map(HttpError::kind),
            Some(HttpErrorKind::Status { .. })
        ),
        "{err:?}"
    );

    hosts.gateway.reset().await;
    hosts
        .widget_answers(200, r#"{"data": {"widgetUrl": 42}}"#)
        .await;
    let err = client
        .create_widget_url(&WidgetParams::default(), USER_IP)
        .await
        .unwrap_err();
    assert!(
        matches!(err.http().map(HttpError::kind), Some(HttpErrorKind::Decode { path, .. }) if path == "data.widgetUrl"),
        "{err:?}"
    );
}

#[path = "tokens_and_refusals/refusals.rs"]
mod refusals;
