//! Settings that would make every call fail at once are refused when the client is built,
//! never silently changed.

use std::time::Duration;

use ramp_core::http::{Error, ErrorKind, HttpClient, RetryPolicy, Url};

fn builder() -> ramp_core::http::HttpClientBuilder {
    HttpClient::builder(Url::parse("https://api.example.com/").unwrap(), "test/1")
}

fn refused(result: Result<HttpClient, Error>) -> String {
    match result {
        Err(e) => match e.into_kind() {
            ErrorKind::Config(why) => why,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn zero_attempts_and_zero_timeouts_are_refused() {
    assert_eq!(
        refused(
            builder()
                .retry(RetryPolicy::default().with_max_attempts(0))
                .build()
        ),
        "the retry policy allows 0 attempts; RetryPolicy::none() is one attempt"
    );
    assert_eq!(
        refused(builder().timeout(Duration::ZERO).build()),
        "the timeout must be longer than zero"
    );
    assert_eq!(
        refused(builder().connect_timeout(Duration::ZERO).build()),
        "the connect timeout must be longer than zero"
    );
    assert_eq!(
        refused(builder().deadline(Duration::ZERO).build()),
        "the deadline must be longer than zero"
    );
    // One attempt and short timeouts are fine.
    builder()
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(1))
        .deadline(Duration::from_millis(1))
        .build()
        .unwrap();
}
