use super::*;

#[tokio::test]
async fn traces_name_method_path_status_and_attempt_but_no_header_or_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("response-body-text"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("response-body-text"))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = builder(&server, "/api")
        .sensitive_header("authorization", &SecretString::from(SECRET))
        .retry(fast_retries(2))
        .build()
        .unwrap();
    let request = Request::post("orders")
        .idempotent(true)
        .query("token", "query-secret-text")
        .json_body(b"request-body-text".to_vec());
    client.send(request).await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "ramp.http{method=POST path=/api/orders",
        "attempt=1",
        "status=503",
        "attempt=2",
        "status=200",
        "latency_ms=",
        "retrying",
    ] {
        assert!(log.contains(expected), "{expected:?} missing from:\n{log}");
    }
    for secret in [
        SECRET,
        "query-secret-text",
        "request-body-text",
        "response-body-text",
        "authorization",
    ] {
        assert!(!log.contains(secret), "{secret:?} traced:\n{log}");
    }
}

#[tokio::test]
async fn a_refused_connection_says_so_once_and_keeps_the_source() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = one_attempt(&format!("http://127.0.0.1:{port}/"));
    let err = client
        .send(Request::post("v1/widget-sessions"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err.kind(),
            ErrorKind::Connect {
                cause: ramp_core::http::Cause::Refused,
                ..
            }
        ),
        "{err:?}"
    );
    insta::assert_snapshot!(err.to_string(), @"POST /v1/widget-sessions: could not connect: connection refused (nothing listens on that host and port)");
    // The transport error is the source, not repeated in the message.
    let chain = sources(&err);
    assert_eq!(
        chain.first().map(String::as_str),
        Some("error sending request")
    );
    for source in &chain {
        assert!(!err.to_string().contains(source.as_str()), "{source}");
    }
}

#[tokio::test]
async fn a_tls_handshake_failure_and_a_connection_closed_mid_answer_are_named() {
    let plain = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
    let client = one_attempt(&format!("https://{plain}/"));
    let err = client.send(Request::get("status")).await.unwrap_err();
    assert!(
        matches!(
            &err.kind(),
            ErrorKind::Connect {
                cause: ramp_core::http::Cause::Tls,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("GET /status: could not connect: the TLS handshake failed"),
        "{err}"
    );

    let closed = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nabc");
    let client = one_attempt(&format!("http://{closed}/"));
    let err = client.send(Request::get("status")).await.unwrap_err();
    assert!(
        matches!(
            &err.kind(),
            ErrorKind::Transport {
                cause: ramp_core::http::Cause::Closed,
                ..
            }
        ),
        "{err:?}"
    );
    insta::assert_snapshot!(err.to_string(), @"GET /status: the connection failed during the call: the server closed the connection before the response was complete");
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_dns_error() {
    use ramp_core::http::reqwest;

    /// A resolver that knows no name, so no lookup leaves this machine.
    struct NoNames;
    impl reqwest::dns::Resolve for NoNames {
        fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
            Box::pin(async {
                Err::<reqwest::dns::Addrs, _>(std::io::Error::other("no such host").into())
            })
        }
    }
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(std::sync::Arc::new(NoNames))
        .build()
        .unwrap();
    let base = Url::parse("http://api.provider.invalid/").unwrap();
    let client = HttpClient::builder(base, "t/1")
        .client(http)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.send(Request::get("status")).await.unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"GET /status: could not connect: the host name could not be resolved (DNS)");
}

#[tokio::test]
async fn the_deadline_bounds_a_hung_call_across_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/hangs"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = builder(&server, "")
        .timeout(Duration::from_secs(20))
        .deadline(Duration::from_millis(400))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send(Request::get("hangs")).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(&err.kind(),
            ErrorKind::Deadline {
                attempts: 1,
                deadline,
                ..
            } if *deadline == Duration::from_millis(400)
        ),
        "{err:?}"
    );
    assert!(err.is_retryable() && !err.is_never_sent());
    insta::assert_snapshot!(err.to_string(), @"GET /hangs: no answer within the call's deadline of 400ms (1 attempt)");
    // Bounds wide enough not to flake: not before the deadline, long before the timeout.
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test]
async fn a_retry_whose_wait_would_cross_the_deadline_is_not_started() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/busy"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "30")
                .set_body_string("busy"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, "")
        .deadline(Duration::from_secs(5))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let response = client.send(Request::get("busy")).await.unwrap();
    // One attempt: waiting 30 s would end past the 5 s deadline.
    assert!(started.elapsed() < Duration::from_secs(5));
    let err = response.status_error();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    insta::assert_snapshot!(err.to_string().replace(&server.uri(), "http://server"), @"GET http://server/busy: HTTP 503 Service Unavailable (retry after 30s): busy");
}

#[test]
fn the_default_deadline_is_at_most_a_minute() {
    assert!(ramp_core::http::DEFAULT_DEADLINE <= Duration::from_secs(60));
    let builder = HttpClient::builder(Url::parse("https://api.example.com/").unwrap(), "t/1");
    assert!(format!("{builder:?}").contains("deadline: 60s"));
}

#[tokio::test]
async fn the_user_agent_names_the_application_then_the_sdk() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("user-agent", "my-backend/2.1 sdk/1.0"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let base = Url::parse(&server.uri()).unwrap();
    let client = HttpClient::builder(base, "sdk/1.0")
        .user_agent("my-backend/2.1")
        .build()
        .unwrap();
    let response = client.send(Request::get("x")).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_body_in_several_pieces_is_read_whole_chunked_or_of_declared_length() {
    for chunked in [true, false] {
        let addr = piecewise_server(&[r#"{"status":"#, r#""COMPLETED","#, r#""n":1}"#], chunked);
        let client = one_attempt(&format!("http://{addr}/"));
        let response = client.send(Request::get("order")).await.unwrap();
        assert_eq!(
            response.body(),
            br#"{"status":"COMPLETED","n":1}"#,
            "chunked: {chunked}"
        );
        let value: serde_json::Value = response.json().unwrap();
        assert_eq!(value["status"], "COMPLETED");
    }
}

#[tokio::test]
async fn a_body_in_several_chunks_over_the_limit_is_refused_with_its_start() {
    let addr = piecewise_server(&["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"], true);
    let client = HttpClient::builder(Url::parse(&format!("http://{addr}/")).unwrap(), "t/1")
        .retry(RetryPolicy::none())
        .max_body_bytes(15)
        .build()
        .unwrap();
    let err = client.send(Request::get("big")).await.unwrap_err();
    let ErrorKind::BodyTooLarge { limit, snippet, .. } = err.kind() else {
        panic!("{err:?}");
    };
    assert_eq!(*limit, 15);
    assert_eq!(snippet, "aaaaaaaaaabbbbb");
}

#[tokio::test]
async fn a_literal_path_joins_the_same_way_on_every_call() {
    let (server, client) = every_get_answered().await;
    for _ in 0..2 {
        client.send(Request::get("v1/orders")).await.unwrap();
    }
    client
        .send(Request::get("v1/orders").segment("ord 1"))
        .await
        .unwrap();
    client
        .send(Request::get("v1/orders").query("page", "2"))
        .await
        .unwrap();
    client
        .send(Request::get(String::from("v1/orders")))
        .await
        .unwrap();
    let seen: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url[url::Position::BeforePath..].to_owned())
        .collect();
    assert_eq!(
        seen,
        [
            "/api/v1/orders",
            "/api/v1/orders",
            "/api/v1/orders/ord%201",
            "/api/v1/orders?page=2",
            "/api/v1/orders",
        ]
    );
}
