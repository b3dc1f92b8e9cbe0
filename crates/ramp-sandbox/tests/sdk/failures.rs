use super::*;
use ramp_sandbox::Failure;
use std::time::{Duration, Instant};

#[tokio::test]
async fn an_injected_502_and_a_slow_answer_reach_the_sdk() {
    let sandbox = Sandbox::start().await.unwrap();
    let client =
        ramp_proof::Client::builder(url(&sandbox.proof_url()), secret(c::PROOF_CLIENT_TOKEN))
            .http_config(
                HttpConfig::new()
                    .retry(ramp_proof::RetryPolicy::none())
                    .timeout(Duration::from_millis(300)),
            )
            .build()
            .unwrap();
    sandbox.fail_next(1, Failure::Status(502));
    let err = client.transaction("unknown").await.unwrap_err();
    assert!(
        err.status().is_some_and(|status| status.as_u16() == 502) && err.http().is_some(),
        "{err:?}"
    );
    sandbox.fail_next(1, Failure::Slow(Duration::from_secs(2)));
    let started = Instant::now();
    let err = client.transaction("unknown").await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // Back to normal: the emulator answers (404 for an unknown transaction).
    let err = client.transaction("unknown").await.unwrap_err();
    assert_eq!(err.api_kind(), Some(ramp_proof::ApiErrorKind::NotFound));
}
