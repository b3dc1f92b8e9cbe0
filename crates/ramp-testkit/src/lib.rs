//! The helpers every provider crate's contract tests share: a wiremock server that answers
//! everything, what it received, exact header checks, fast deterministic retries, and HMAC
//! computed without any ramp crate (so a test recomputes a signature independently of the
//! code under test).
//!
//! Unpublished; a dev-dependency of the provider crates only. Its functions fail the test
//! that calls them by panicking (an assertion, a server that could not start): that is a
//! test helper's way to report, and each place that does is allowed by name below.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod postgres;
mod redis;
pub use postgres::PostgresServer;
pub use redis::RedisServer;

use std::collections::BTreeSet;
use std::str::FromStr;
use std::time::Duration;

use hmac::{KeyInit, Mac};
use ramp_core::http::RetryPolicy;
use rust_decimal::Decimal;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Retries that are fast (1 ms base delay), deterministic (no jitter) and at most 3 attempts.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::deterministic()
        .with_base_delay(Duration::from_millis(1))
        .with_max_attempts(3)
}

/// A decimal from its text, exactly.
#[allow(clippy::expect_used, clippy::panic)]
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_else(|err| panic!("{text:?} is not a decimal: {err}"))
}

/// A server on 127.0.0.1 that answers every request with `status`, a JSON content type,
/// `headers` and `body`; the test then inspects what arrived ([`received`]).
pub async fn answering_with(status: u16, body: &str, headers: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_string(body);
    for (name, value) in headers {
        response = response.insert_header(*name, *value);
    }
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A server on 127.0.0.1 that answers any request no mock of the test matched with `599` and
/// a body naming it (`no mock matched GET /path?query`), as octocrab's tests do: a client
/// that sends to the wrong path fails with that text instead of passing on a default answer.
/// Mount the test's own mocks on it as usual; this one has the lowest priority.
pub async fn strict_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &Request| {
            let query = request
                .url
                .query()
                .map(|query| format!("?{query}"))
                .unwrap_or_default();
            ResponseTemplate::new(599).set_body_string(format!(
                "no mock matched {} {}{query}",
                request.method,
                request.url.path()
            ))
        })
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

/// [`answering_with`] without extra headers.
pub async fn answering(status: u16, body: &str) -> MockServer {
    answering_with(status, body, &[]).await
}

/// Every request `server` received, in order.
#[allow(clippy::expect_used, clippy::panic)]
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// A header's value as text, if present.
#[allow(clippy::expect_used, clippy::panic)]
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("a text header").to_owned())
}

/// The names of the headers a request carried.
pub fn header_names(request: &Request) -> BTreeSet<String> {
    request
        .headers
        .keys()
        .map(|name| name.as_str().to_owned())
        .collect()
}

/// A set of header names, for comparing with [`header_names`].
pub fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|name| (*name).to_owned()).collect()
}

/// Asserts that `request` carried exactly these headers, with these values, besides the
/// transport's own (`host`, and `content-length` when there is a body): no header missing,
/// none extra.
pub fn assert_headers(request: &Request, expected: &[(&str, &str)]) {
    for (name, value) in expected {
        assert_eq!(
            header(request, name).as_deref(),
            Some(*value),
            "header {name} of {} {}",
            request.method,
            request.url.path()
        );
    }
    let mut wanted: BTreeSet<String> = expected.iter().map(|(n, _)| (*n).to_owned()).collect();
    wanted.insert("host".to_owned());
    if !request.body.is_empty() || request.headers.contains_key("content-length") {
        wanted.insert("content-length".to_owned());
    }
    assert_eq!(
        header_names(request),
        wanted,
        "the headers of {} {}",
        request.method,
        request.url.path()
    );
}

/// `hex(HMAC-SHA256(key, message))`, computed with the `hmac` and `sha2` crates directly,
/// never through a ramp crate.
#[allow(clippy::expect_used, clippy::panic)]
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// `hex(SHA-256(message))`, computed with the `sha2` crate directly.
pub fn sha256_hex(message: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_fips_180_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[tokio::test]
    async fn a_strict_server_names_the_request_nothing_matched() {
        let server = strict_server().await;
        Mock::given(wiremock::matchers::path("/v1/known"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let client = ramp_core::http::reqwest::Client::new();
        let known = client
            .get(format!("{}/v1/known", server.uri()))
            .send()
            .await
            .unwrap();
        assert_eq!(known.status().as_u16(), 200);
        let other = client
            .post(format!("{}/v1/other?x=1", server.uri()))
            .send()
            .await
            .unwrap();
        assert_eq!(other.status().as_u16(), 599);
        assert_eq!(
            other.text().await.unwrap(),
            "no mock matched POST /v1/other?x=1"
        );
    }

    #[tokio::test]
    async fn an_answering_server_records_what_it_received() {
        let server = answering_with(201, r#"{"ok":true}"#, &[("x-request-id", "r-1")]).await;
        let client = ramp_core::http::reqwest::Client::new();
        let response = client
            .post(format!("{}/v1/x", server.uri()))
            .header("x-api-key", "k")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
        assert_eq!(response.headers()["x-request-id"], "r-1");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 1);
        assert_headers(&requests[0], &[("x-api-key", "k"), ("accept", "*/*")]);
    }
}
