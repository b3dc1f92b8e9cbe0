//! The HTTP plumbing against a local wiremock server: URL joining, headers, timeouts,
//! retries, `Retry-After`, body limits, decode errors, request ids and secret hygiene.

use std::time::{Duration, Instant};

use ramp_core::SecretString;
use ramp_core::http::{
    Error, ErrorKind, HttpClient, HttpClientBuilder, Request, RetryPolicy, StatusCode, Url,
};
use serde::Deserialize;
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sk_test_51HxSecretValueThatMustNeverPrint";

fn builder(server: &MockServer, prefix: &str) -> HttpClientBuilder {
    let base = Url::parse(&format!("{}{prefix}", server.uri())).unwrap();
    HttpClient::builder(base, ramp_core::user_agent!())
}

/// Deterministic retries with a 1 ms base delay: fast, and the same every run.
fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::deterministic()
        .with_base_delay(Duration::from_millis(1))
        .with_max_attempts(max_attempts)
}

fn client(server: &MockServer, retry: RetryPolicy) -> HttpClient {
    builder(server, "").retry(retry).build().unwrap()
}

#[tokio::test]
async fn joins_paths_under_the_base_prefix_and_sends_every_configured_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/widget-sessions"))
        .and(header(
            "user-agent",
            concat!("ramp-core/", env!("CARGO_PKG_VERSION")),
        ))
        .and(header("x-api-key", SECRET))
        .and(header("x-team", "payments"))
        .and(header("x-request-signature", "abc123"))
        .and(header("content-type", "application/json"))
        .and(body_bytes(br#"{"fiatAmount":15}"#.to_vec()))
        .respond_with(ResponseTemplate::new(201).set_body_string(r#"{"id":"s_1"}"#))
        .expect(2)
        .mount(&server)
        .await;

    for prefix in ["/api", "/api/"] {
        let client = builder(&server, prefix)
            .sensitive_header("x-api-key", &SecretString::from(SECRET))
            .default_header("x-team", "payments")
            .build()
            .unwrap();
        assert!(client.base_url().path().ends_with("/api/"));
        // A leading `/` on the request path does not escape the base prefix.
        let request = Request::post("/v1/widget-sessions")
            .header("x-request-signature", "abc123")
            .json_body(br#"{"fiatAmount":15}"#.to_vec());
        let response = client.send(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.body(), br#"{"id":"s_1"}"#);
    }
}

/// A server that answers every GET with 200, and a client for it under `/api`.
async fn every_get_answered() -> (MockServer, HttpClient) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = builder(&server, "/api").build().unwrap();
    (server, client)
}

#[tokio::test]
async fn user_input_in_a_path_segment_is_percent_encoded() {
    let (server, client) = every_get_answered().await;
    let request = Request::get("orders")
        .segment("ord/1 2?x#y%")
        .segment("status");
    client.send(request).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].url.path(),
        "/api/orders/ord%2F1%202%3Fx%23y%25/status"
    );
    assert_eq!(received[0].url.query(), None);

    for bad in ["", ".", ".."] {
        let err = client
            .send(Request::get("orders").segment(bad))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidRequest(_)),
            "{bad:?}: {err}"
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_timeout_is_a_typed_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, "")
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.send(Request::get("slow")).await.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Timeout {
                connecting: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(!err.is_never_sent());
    insta::assert_snapshot!(err.to_string(), @"GET /slow timed out after 100ms");
}

#[tokio::test]
async fn a_safe_call_succeeds_after_500_500_200() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .with_priority(1)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok":true}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, fast_retries(3));
    let value: serde_json::Value = client.send_json(Request::get("status")).await.unwrap();
    assert_eq!(value, serde_json::json!({"ok": true}));
}

#[tokio::test]
async fn a_safe_call_stops_at_the_attempt_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server, fast_retries(2));
    let err = client
        .send_json::<serde_json::Value>(Request::get("status"))
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    insta::assert_snapshot!(err.to_string().replace(&server.uri(), "http://server"), @"GET http://server/status: HTTP 503 Service Unavailable: overloaded");
}

#[tokio::test]
async fn an_unsafe_call_is_not_retried_after_it_reached_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, fast_retries(3));
    let response = client
        .send(Request::post("orders").json_body(b"{}".to_vec()))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn an_unsafe_call_that_timed_out_is_not_retried() {
    // The server may have acted on a request whose answer was too slow: never send it twice.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(5)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, "")
        .timeout(Duration::from_millis(100))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let err = client
        .send(Request::post("orders").json_body(b"{}".to_vec()))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn an_unsafe_call_is_retried_with_the_same_bytes_on_a_documented_retryable_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string(r#"{"error":"upstream_error"}"#))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    fn upstream(status: StatusCode, body: &[u8]) -> bool {
        status == StatusCode::BAD_GATEWAY && body.windows(14).any(|w| w == b"upstream_error")
    }
    let client = client(&server, fast_retries(3));
    let body = br#"{"amount":"99.50"}"#.to_vec();
    let request = Request::post("widget/session")
        .json_body(body.clone())
        .retry_when(upstream);
    let response = client.send(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| r.body == body));
}

#[tokio::test]
async fn an_unsafe_call_is_retried_when_it_never_reached_the_server() {
    // A port nobody listens on: every attempt is refused before a byte is sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let retry = RetryPolicy::deterministic()
        .with_base_delay(Duration::from_millis(150))
        .with_max_attempts(3);
    let client = HttpClient::builder(base, "t/1")
        .retry(retry)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .send(Request::post("orders").json_body(b"{}".to_vec()))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Connect { .. }), "{err:?}");
    assert!(err.is_never_sent() && err.is_retryable());
    // Two retries waited 150 ms and 300 ms: a lower bound, so this cannot flake.
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "{:?}",
        started.elapsed()
    );
}

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

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Quotes {
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    amount: String,
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

/// A writer for the tracing subscriber that keeps what it is given.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

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

/// A client for `base` that makes one attempt only.
fn one_attempt(base: &str) -> HttpClient {
    HttpClient::builder(Url::parse(base).unwrap(), "t/1")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A loopback server that reads each connection's request, has `answer` write to it, and
/// closes it.
fn raw_server_with(
    answer: impl Fn(&mut std::net::TcpStream) + Send + 'static,
) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            use std::io::Read;
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            answer(&mut stream);
        }
    });
    addr
}

/// A loopback server that answers every connection with `reply` (raw bytes) and closes.
fn raw_server(reply: &'static [u8]) -> std::net::SocketAddr {
    raw_server_with(move |stream| {
        let _ = std::io::Write::write_all(stream, reply);
    })
}

/// The whole chain of sources below `err`, outermost first.
fn sources(err: &Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = std::error::Error::source(err);
    while let Some(source) = next {
        out.push(source.to_string());
        next = source.source();
    }
    out
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

/// A loopback server that answers each connection with a 200 whose body is `pieces`, each
/// written a few milliseconds after the last (so the client reads them one by one): as HTTP
/// chunks when `chunked`, otherwise as they are after a `content-length` of their total.
fn piecewise_server(pieces: &'static [&'static str], chunked: bool) -> std::net::SocketAddr {
    raw_server_with(move |stream| {
        use std::io::Write;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n");
        let _ = if chunked {
            stream.write_all(b"transfer-encoding: chunked\r\n")
        } else {
            let length: usize = pieces.iter().map(|piece| piece.len()).sum();
            write!(stream, "content-length: {length}\r\n")
        };
        let _ = stream.write_all(b"connection: close\r\n\r\n");
        for piece in pieces {
            let _ = stream.flush();
            std::thread::sleep(Duration::from_millis(20));
            let _ = if chunked {
                write!(stream, "{:x}\r\n{piece}\r\n", piece.len())
            } else {
                stream.write_all(piece.as_bytes())
            };
        }
        if chunked {
            let _ = stream.write_all(b"0\r\n\r\n");
        }
    })
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
