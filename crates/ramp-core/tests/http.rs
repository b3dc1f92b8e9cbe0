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

#[path = "http/failures_and_limits.rs"]
mod failures_and_limits;
