//! KYC status against Proof's documented contract
//! (docs.proof.community/on-off-ramp/api-kyc-status, read in December 2026): the request
//! exactly, the documented example, every status, and the errors (an unknown user typed).

use ramp_core::http::HttpConfig;
use ramp_proof::reqwest::StatusCode;
use ramp_proof::{ApiErrorKind, Client, ErrorKind, KycStatus, SecretString, Url};
use ramp_testkit::{answering_with, assert_headers, fast_retries};
use wiremock::MockServer;

const TOKEN: &str = "pk_live_client_token_8c1f0e2d9b";

fn client(server: &MockServer) -> Client {
    Client::builder(
        Url::parse(&server.uri()).unwrap(),
        SecretString::from(TOKEN),
    )
    .http_config(HttpConfig::new().retry(fast_retries()))
    .build()
    .unwrap()
}

async fn answering(status: u16, body: &str) -> MockServer {
    answering_with(status, body, &[("x-request-id", "req_9d2e")]).await
}

/// Every request the server saw: a GET of `path` with exactly the documented headers.
async fn gets(server: &MockServer, path: &str) -> usize {
    let received = server.received_requests().await.unwrap();
    for request in &received {
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), path);
        assert_eq!(request.url.query(), None);
        assert!(request.body.is_empty());
        assert_headers(
            request,
            &[
                ("accept", "*/*"),
                ("authorization", &format!("Bearer {TOKEN}")),
                (
                    "user-agent",
                    concat!("ramp-proof/", env!("CARGO_PKG_VERSION")),
                ),
            ],
        );
    }
    received.len()
}

#[tokio::test]
async fn the_documented_example_is_read_from_the_documented_request() {
    // The page's example answer, verbatim.
    let server = answering(
        200,
        r#"{
  "partner_user_id": "user-123",
  "status": "verified"
}"#,
    )
    .await;
    let kyc = client(&server).kyc_status("user-123").await.unwrap();
    assert_eq!(kyc.partner_user_id, "user-123");
    assert_eq!(kyc.status, KycStatus::Verified);
    assert_eq!(gets(&server, "/widget/users/user-123/kyc-status").await, 1);
}

#[tokio::test]
async fn every_documented_status_has_a_variant_and_others_are_kept() {
    for (text, status) in [
        ("not_started", KycStatus::NotStarted),
        ("pending", KycStatus::Pending),
        ("verified", KycStatus::Verified),
        ("failed", KycStatus::Failed),
        ("on_review", KycStatus::Other("on_review".into())),
    ] {
        let server = answering(
            200,
            &format!(r#"{{"partner_user_id":"u","status":"{text}"}}"#),
        )
        .await;
        let kyc = client(&server).kyc_status("u").await.unwrap();
        assert_eq!(kyc.status, status);
        assert_eq!(kyc.status.as_str(), text);
    }
}

#[tokio::test]
async fn the_user_id_is_one_encoded_path_segment() {
    let server = answering(200, r#"{"partner_user_id":"a/b c?","status":"pending"}"#).await;
    client(&server).kyc_status("a/b c?").await.unwrap();
    assert_eq!(
        gets(&server, "/widget/users/a%2Fb%20c%3F/kyc-status").await,
        1
    );
}

#[tokio::test]
async fn an_unknown_user_is_a_typed_not_found() {
    let server = answering(
        404,
        r#"{"error":"not_found","code":"not_found","message":"The partner_user_id is unknown for your partner"}"#,
    )
    .await;
    let err = client(&server).kyc_status("user-404").await.unwrap_err();
    match err.kind() {
        ErrorKind::UnknownUser {
            partner_user_id,
            api,
        } => {
            assert_eq!(partner_user_id, "user-404");
            assert_eq!(api.request_id.as_deref(), Some("req_9d2e"));
        }
        other => panic!("{other:?}"),
    }
    // Reached the same way as every other answer from Proof.
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.request_id(), Some("req_9d2e"));
    assert_eq!(err.api_kind(), Some(ApiErrorKind::NotFound));
    assert_eq!(
        err.to_string(),
        r#"Proof knows no user "user-404" (HTTP 404 Not Found) [request id req_9d2e]"#
    );
    assert!(!err.is_retryable());
    assert_eq!(gets(&server, "/widget/users/user-404/kyc-status").await, 1);
}

#[tokio::test]
async fn documented_errors_stay_proofs_errors_and_502_is_retried() {
    let server = answering(
        502,
        r#"{"error":"upstream_error","code":"provider_error","message":"Verification service failed; retry"}"#,
    )
    .await;
    let err = client(&server).kyc_status("u").await.unwrap_err();
    assert_eq!(err.api_kind(), Some(ApiErrorKind::ProviderError));
    assert!(err.is_retryable());
    assert_eq!(
        gets(&server, "/widget/users/u/kyc-status").await,
        3,
        "retried"
    );

    let server = answering(
        401,
        r#"{"error":"unauthorised","code":"invalid_token","message":"Missing or inactive client_token"}"#,
    )
    .await;
    let err = client(&server).kyc_status("u").await.unwrap_err();
    assert_eq!(err.api_kind(), Some(ApiErrorKind::InvalidToken));
    assert!(!err.to_string().contains(TOKEN));
    assert_eq!(gets(&server, "/widget/users/u/kyc-status").await, 1);

    // A 404 that is not Proof's not_found (a proxy's page) is not taken for an unknown user.
    let server = answering(404, "<html>not here</html>").await;
    let err = client(&server).kyc_status("u").await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Http(_)), "{err:?}");
}

#[tokio::test]
async fn a_blank_user_id_sends_nothing() {
    let server = answering(200, "{}").await;
    let err = client(&server).kyc_status("  ").await.unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Validation {
            field: "partner_user_id",
            ..
        }
    ));
    assert_eq!(gets(&server, "/").await, 0);
}
