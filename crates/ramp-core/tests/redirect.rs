//! No credential reaches another origin: the client never follows a redirect, sends no
//! `Referer`, and refuses an answer that a supplied `reqwest::Client` got by following one.

use std::time::Duration;

use ramp_core::SecretString;
use ramp_core::http::{ErrorKind, HttpClient, Method, Request, RetryPolicy, StatusCode, Url};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sk_test_redirect_secret_never_elsewhere";

/// A server that answers everything with `status` and a `Location` on `elsewhere`.
async fn redirecting(status: u16, elsewhere: &MockServer) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).insert_header(
            "location",
            format!("{}/steal?token=abc#frag", elsewhere.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    server
}

async fn answering_ok() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> HttpClient {
    HttpClient::builder(Url::parse(&server.uri()).unwrap(), "test/1")
        .sensitive_header("x-api-key", &SecretString::from(SECRET))
        .retry(
            RetryPolicy::deterministic()
                .with_base_delay(Duration::from_millis(1))
                .with_max_attempts(3),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_redirect_is_a_typed_error_never_followed_and_never_retried() {
    for status in [301, 302, 303, 307, 308] {
        for (method, idempotent) in [(Method::GET, true), (Method::POST, false)] {
            let elsewhere = answering_ok().await;
            let server = redirecting(status, &elsewhere).await;
            let request = Request::new(method.clone(), "v1/widget-sessions")
                .header("x-request-signature", "abc")
                .json_body(b"{\"apiKey\":\"k\"}".to_vec());
            assert_eq!(request.is_idempotent(), idempotent);
            let err = client_for(&server).send(request).await.unwrap_err();

            assert!(
                elsewhere.received_requests().await.unwrap().is_empty(),
                "{status} {method}: the other origin was reached"
            );
            assert_eq!(
                server.received_requests().await.unwrap().len(),
                1,
                "{status} {method}: a redirect is not retried"
            );
            let ErrorKind::Redirect {
                status: got,
                target,
                ..
            } = err.kind()
            else {
                panic!("{status} {method}: {err:?}");
            };
            assert_eq!(got.as_u16(), status);
            assert_eq!(target.as_deref(), Some(elsewhere.uri().as_str()));
            assert!(!err.is_retryable() && !err.is_never_sent());
            assert_eq!(err.status(), Some(StatusCode::from_u16(status).unwrap()));
            let text = err.to_string();
            assert!(
                text.starts_with(&format!("{method} /v1/widget-sessions: ")),
                "{text}"
            );
            assert!(text.contains(&elsewhere.uri()), "{text}");
            for hidden in ["steal", "token=abc", "frag", SECRET] {
                assert!(!text.contains(hidden), "{hidden} in {text}");
            }
        }
    }
}

#[tokio::test]
async fn a_redirect_without_a_usable_location_still_names_the_status() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .send(Request::get("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Redirect { target: None, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "GET /x: the server answered 302 Found with a redirect to no usable Location; \
         redirects are never followed, so no credential was sent there (check the base URL)"
    );
}

#[tokio::test]
async fn no_referer_is_sent() {
    let server = answering_ok().await;
    client_for(&server)
        .send(Request::get("a/b?c"))
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].headers.get("referer").is_none());
}

#[tokio::test]
async fn an_answer_a_supplied_client_got_by_following_a_redirect_is_refused() {
    let elsewhere = answering_ok().await;
    let server = redirecting(307, &elsewhere).await;
    // A caller's own client with reqwest's default policy (follow up to 10 redirects).
    let following = ramp_core::http::reqwest::Client::new();
    let client = HttpClient::builder(Url::parse(&server.uri()).unwrap(), "test/1")
        .client(following)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.send(Request::get("orders")).await.unwrap_err();
    let ErrorKind::RedirectFollowed { target, .. } = err.kind() else {
        panic!("{err:?}");
    };
    assert_eq!(target, &elsewhere.uri());
    assert!(err.to_string().contains("Policy::none()"), "{err}");
    assert!(!err.to_string().contains("steal"), "{err}");

    // The same client built as documented never reaches the other origin.
    let elsewhere = answering_ok().await;
    let server = redirecting(307, &elsewhere).await;
    let documented = ramp_core::http::reqwest::Client::builder()
        .redirect(ramp_core::http::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = HttpClient::builder(Url::parse(&server.uri()).unwrap(), "test/1")
        .client(documented)
        .build()
        .unwrap();
    let err = client.send(Request::get("orders")).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Redirect { .. }), "{err:?}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
