use super::*;

#[tokio::test]
async fn an_unsafe_call_is_retried_when_connecting_timed_out() {
    // A listener whose accept queue is full: the kernel drops further connection attempts,
    // so connecting times out before a byte of the request is sent.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let _listener = socket.listen(0).unwrap();
    let mut held = Vec::new();
    while let Ok(Ok(stream)) = tokio::time::timeout(
        Duration::from_millis(100),
        tokio::net::TcpStream::connect(addr),
    )
    .await
    {
        held.push(stream);
    }
    let base = Url::parse(&format!("http://{addr}/")).unwrap();
    let client = HttpClient::builder(base, "t/1")
        .connect_timeout(Duration::from_millis(150))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .send(Request::post("orders").json_body(b"{}".to_vec()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Timeout {
                connecting: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_never_sent() && err.is_retryable());
    // Three attempts of 150 ms each: a lower bound, so this cannot flake.
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "{:?}",
        started.elapsed()
    );
    insta::assert_snapshot!(err.to_string(), @"POST /orders timed out while connecting (the request was not sent)");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, fast_retries(2));
    let started = Instant::now();
    let response = client.send(Request::get("quotes")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // The backoff alone would have waited 1 ms.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_oversize_body_is_a_clean_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("x".repeat(2048))
                .insert_header("x-request-id", "req_big"),
        )
        .mount(&server)
        .await;
    let client = builder(&server, "")
        .max_body_bytes(1024)
        .request_id_header("x-request-id")
        .build()
        .unwrap();
    let err = client.send(Request::get("big")).await.unwrap_err();
    let ErrorKind::BodyTooLarge {
        limit,
        snippet,
        request_id,
        ..
    } = err.kind()
    else {
        panic!("{err:?}");
    };
    assert_eq!(*limit, 1024);
    assert_eq!(request_id.as_deref(), Some("req_big"));
    assert!(snippet.len() < 1024 && snippet.ends_with('…'));
    assert!(!err.is_retryable());
    assert!(err.to_string().starts_with(
        "GET /big: response body exceeds the limit of 1024 bytes (HTTP 200 OK) [request id req_big]: xxxx"
    ));
}

#[tokio::test]
async fn an_html_error_page_is_a_clean_error() {
    let server = MockServer::start().await;
    let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>\n";
    Mock::given(path("/gateway"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/login"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());

    let err = client
        .send_json::<serde_json::Value>(Request::get("gateway"))
        .await
        .unwrap_err();
    insta::assert_snapshot!(err.to_string().replace(&server.uri(), "http://server"), @"GET http://server/gateway: HTTP 502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head> <body>nginx</body> </html>");

    let err = client
        .send_json::<serde_json::Value>(Request::get("login"))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotJson { .. }), "{err:?}");
    insta::assert_snapshot!(err.to_string(), @"GET /login: expected a JSON body, got text/html (HTTP 200 OK): <html> <head><title>502 Bad Gateway</title></head> <body>nginx</body> </html>");
}

#[tokio::test]
async fn invalid_json_and_the_wrong_shape_are_decode_errors_naming_the_cause() {
    let server = MockServer::start().await;
    Mock::given(path("/truncated"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"items": ["#, "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/open-object"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"items": [{"amount": "1", "#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/shape"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"items":[{"amount":"1.50"},{"amount":true}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());

    let err = client
        .send_json::<Quotes>(Request::get("truncated"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err.kind(), ErrorKind::Decode { path, .. } if path == "items"),
        "{err:?}"
    );
    insta::assert_snapshot!(err.to_string(), @"GET /truncated: could not decode the response at `items`: EOF while parsing a list at line 1 column 11 (HTTP 200 OK)");

    // The body ends where a key should be: the error names the object, not a `?`.
    let err = client
        .send_json::<Quotes>(Request::get("open-object"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err.kind(), ErrorKind::Decode { path, .. } if path == "items[0]"),
        "{err:?}"
    );

    let err = client
        .send_json::<Quotes>(Request::get("shape"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err.kind(), ErrorKind::Decode { path, .. } if path == "items[1].amount"),
        "{err:?}"
    );
    insta::assert_snapshot!(err.to_string(), @"GET /shape: could not decode the response at `items[1].amount`: invalid type: boolean `true`, expected a string at line 1 column 42 (HTTP 200 OK)");
}

#[tokio::test]
async fn the_request_id_header_lands_in_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-request-id", "req_7f3a")
                .set_body_string(r#"{"error":"invalid_request"}"#),
        )
        .mount(&server)
        .await;
    let client = builder(&server, "")
        .request_id_header("X-Request-Id")
        .build()
        .unwrap();
    let response = client.send(Request::post("widget/session")).await.unwrap();
    assert_eq!(response.request_id(), Some("req_7f3a"));
    let err = response.error_for_status().unwrap_err();
    assert_eq!(err.request_id(), Some("req_7f3a"));
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert!(!err.is_retryable());
    insta::assert_snapshot!(err.to_string().replace(&server.uri(), "http://server"), @r#"POST http://server/widget/session: HTTP 400 Bad Request [request id req_7f3a]: {"error":"invalid_request"}"#);
}

#[tokio::test]
async fn invalid_configuration_is_an_error_not_a_panic() {
    let base = Url::parse("http://127.0.0.1:9/").unwrap();
    let cases = [
        HttpClient::builder(base.clone(), "bad\nagent"),
        HttpClient::builder(base.clone(), "t/1").default_header("bad header", "v"),
        HttpClient::builder(base.clone(), "t/1")
            .sensitive_header("x-key", &SecretString::from("a\nb")),
        HttpClient::builder(base.clone(), "t/1").request_id_header("bad id"),
        HttpClient::builder(Url::parse("ftp://example.com/").unwrap(), "t/1"),
        HttpClient::builder(Url::parse("http://example.com/?a=1").unwrap(), "t/1"),
        HttpClient::builder(Url::parse("mailto:a@example.com").unwrap(), "t/1"),
    ];
    for builder in cases {
        let err = builder.build().unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err:?}");
        assert!(!err.to_string().contains("a\nb"));
    }
}

/// Every type that can hold the secret, and every error a call can end in, formatted with
/// `{:?}` and `{}`: the secret appears in none of them.
#[tokio::test]
async fn no_secret_appears_in_any_debug_or_display() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    Mock::given(path("/html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<p>hi</p>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[1]", "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_string("y".repeat(100)))
        .mount(&server)
        .await;
    Mock::given(path("/error"))
        .respond_with(ResponseTemplate::new(401).insert_header("x-request-id", "r1"))
        .mount(&server)
        .await;

    let secret = SecretString::from(SECRET);
    let make = || {
        builder(&server, "/")
            .sensitive_header("authorization", &secret)
            .request_id_header("x-request-id")
            .timeout(Duration::from_millis(100))
            .max_body_bytes(50)
            .retry(RetryPolicy::none())
    };
    let client = make().build().unwrap();
    let request = Request::get("json").sensitive_header("x-api-key", &secret);

    let mut printed = vec![
        format!("{secret:?}"),
        format!("{:?}", make()),
        format!("{client:?}"),
        format!("{request:?}"),
    ];
    let response = client.send(request.clone()).await.unwrap();
    printed.push(format!("{response:?}"));

    let mut errors = vec![];
    for p in ["slow", "html", "json", "big", "error"] {
        let req = Request::get(p).sensitive_header("x-api-key", &secret);
        errors.push(client.send_json::<Quotes>(req).await.unwrap_err());
    }
    errors.push(
        client
            .send(Request::get("x").sensitive_header("x-api-key", &SecretString::from("a\nb")))
            .await
            .unwrap_err(),
    );
    let refused = HttpClient::builder(Url::parse("http://127.0.0.1:1/").unwrap(), "t/1")
        .sensitive_header("authorization", &secret)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(refused.send(Request::get("x")).await.unwrap_err());

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e.kind() {
            ErrorKind::Timeout { .. } => "timeout",
            ErrorKind::NotJson { .. } => "not-json",
            ErrorKind::Decode { .. } => "decode",
            ErrorKind::BodyTooLarge { .. } => "too-large",
            ErrorKind::Status { .. } => "status",
            ErrorKind::InvalidRequest(_) => "invalid-request",
            ErrorKind::Connect { .. } => "connect",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "timeout",
            "not-json",
            "decode",
            "too-large",
            "status",
            "invalid-request",
            "connect"
        ]
    );
    for err in &errors {
        printed.push(format!("{err:?}"));
        printed.push(err.to_string());
    }
    for text in &printed {
        assert!(!text.contains(SECRET), "secret printed in: {text}");
    }

    // The header did go out, with its real value.
    let received = server.received_requests().await.unwrap();
    assert!(
        received
            .iter()
            .all(|r| r.headers.get("authorization").unwrap() == SECRET)
    );
}

#[path = "failures_and_limits/limits.rs"]
mod limits;

#[tokio::test]
async fn an_answer_that_holds_a_secret_is_never_shown_in_an_error() {
    const SECRET: &str = "tok_live_5f3a9c";
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Token {
        token: u64,
    }
    let server = MockServer::start().await;
    let wrong_shape = format!(r#"{{"token": "{SECRET}"}}"#);
    let not_json = format!("token={SECRET}");
    Mock::given(path("/shape"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(wrong_shape.clone(), "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/text"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(not_json, "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    for at in ["shape", "text"] {
        let err = client
            .send_json::<Token>(Request::get(at).conceal_answer())
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(SECRET), "{at}: {shown}");
        // Unmarked, the same answer is shown (so the test can see a leak).
        let err = client
            .send_json::<Token>(Request::get(at))
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains(SECRET), "{at}");
    }
    let err = client
        .send_json::<Token>(Request::get("shape").conceal_answer())
        .await
        .unwrap_err();
    let ErrorKind::Decode { path, message, .. } = err.kind() else {
        panic!("{err:?}");
    };
    assert_eq!(path, "token");
    assert_eq!(
        message,
        "not the expected shape (the answer holds a secret: not shown)"
    );
}
