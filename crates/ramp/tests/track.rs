//! The tracker against a Proof status endpoint on 127.0.0.1: events only on a change, through
//! transient failures, to a final status; a poke reads at once.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use ramp::track::{OrderRef, Schedule, track};
use ramp::{OrderStatus, Provider};
use ramp_core::SecretString;
use ramp_core::http::{HttpConfig, RetryPolicy, Url};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn tx(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(format!(
        r#"{{"merchant_transaction_id":"tx-1","status":"{status}"}}"#
    ))
}

/// Answers the reads in this order, then the last one forever.
async fn proof(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let n = answers.len();
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path("/widget/transactions/tx-1"))
            .respond_with(answer)
            .with_priority(u8::try_from(i + 1).unwrap());
        let mock = if i + 1 < n {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(&server).await;
    }
    server
}

fn client(server: &MockServer) -> Arc<dyn ramp::track::StatusRead> {
    Arc::new(
        ramp::proof::Client::builder(Url::parse(&server.uri()).unwrap(), SecretString::from("t"))
            .http_config(HttpConfig::new().retry(RetryPolicy::none()))
            .build()
            .unwrap(),
    )
}

#[tokio::test]
async fn each_change_once_through_failures_to_the_end() {
    let server = proof(vec![
        tx("pending"),
        tx("pending"),
        ResponseTemplate::new(503),
        tx("processing"),
        tx("processing"),
        tx("completed"),
    ])
    .await;
    let schedule = Schedule {
        first: Duration::from_millis(5),
        max: Duration::from_millis(20),
    };
    let (stream, _poke) = track(
        OrderRef::new(Provider::Proof, "tx-1"),
        client(&server),
        schedule,
    );
    let events: Vec<_> = tokio::time::timeout(Duration::from_secs(10), stream.collect::<Vec<_>>())
        .await
        .unwrap();
    let seen: Vec<(Provider, OrderStatus)> = events
        .iter()
        .map(|e| {
            let e = e.as_ref().unwrap();
            (e.provider, e.status)
        })
        .collect();
    assert_eq!(
        seen,
        [
            (Provider::Proof, OrderStatus::Pending),
            (Provider::Proof, OrderStatus::Processing),
            (Provider::Proof, OrderStatus::Completed),
        ]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn an_unknown_order_ends_with_the_error_and_a_poke_reads_at_once() {
    let server = proof(vec![ResponseTemplate::new(404).set_body_string(
        r#"{"error":"not_found","code":"not_found","message":"unknown"}"#,
    )])
    .await;
    let (stream, _) = track(
        OrderRef::new(Provider::Proof, "tx-1"),
        client(&server),
        Schedule::default(),
    );
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 1);
    assert!(!items[0].as_ref().unwrap_err().retryable);

    // A minute between scheduled reads: only the poke can bring the second one in time.
    let server = proof(vec![tx("pending"), tx("completed")]).await;
    let schedule = Schedule {
        first: Duration::from_secs(60),
        max: Duration::from_secs(60),
    };
    let (stream, poke) = track(
        OrderRef::new(Provider::Proof, "tx-1"),
        client(&server),
        schedule,
    );
    let mut stream = Box::pin(stream);
    assert_eq!(
        stream.next().await.unwrap().unwrap().status,
        OrderStatus::Pending
    );
    poke.now();
    let next = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the poke read at once");
    assert_eq!(next.unwrap().unwrap().status, OrderStatus::Completed);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn an_order_that_cannot_be_followed_ends_the_stream_with_why() {
    // Koinal's read needs the customer reference; this order has none.
    let koinal = ramp::koinal::Client::builder(
        Url::parse("http://127.0.0.1:9/").unwrap(),
        7,
        SecretString::from("merchant"),
    )
    .build()
    .unwrap();
    let (stream, _poke) = track(
        OrderRef::new(Provider::Koinal, "12"),
        Arc::new(koinal),
        Schedule::default(),
    );
    let items: Vec<_> = tokio::time::timeout(Duration::from_secs(5), stream.collect())
        .await
        .expect("the stream ends");
    assert_eq!(items.len(), 1);
    let err = items[0].as_ref().unwrap_err();
    assert!(err.message.contains("partner_reference"), "{err}");
    assert!(!err.retryable);
}
