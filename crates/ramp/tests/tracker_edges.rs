//! The tracker's edges: Koinal orders carry their customer reference (required to follow,
//! and given to the events read); following is bounded (an order refused too often, one its
//! provider never knew, one that never ends: each given up); a final status heard by the
//! endpoint ends the following; and only the reader holding an order reschedules it, under
//! the book's clock (in memory and in a real `redis-server`).

use std::sync::Arc;
use std::time::Duration;

use ramp::track::{MemoryBook, OrderRef, RedisBook, Schedule, TrackError, Tracker};
use ramp::{MemoryStore, OrderEvent, Provider, RedisStore};
use ramp_core::SecretString;
use ramp_core::http::{HttpConfig, RetryPolicy, Url};
use ramp_testkit::RedisServer;
use support::Recorder;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

const KOINAL_STATUS: &str = r#"{"data":{"order_id":12,"status":"COMPLETED","total_amount":"1000.00","currency_code":"USD","cryptocurrency_amount":"0.100341160000000001","cryptocurrency_code":"BTC","blockchain_tx_id":"4a5e","timestamp":1795420801},"code":"00","message":"APPROVED","status":"APPROVED"}"#;

fn tracker(server: &MockServer, first: Duration) -> (Tracker, Recorder) {
    let url = Url::parse(&server.uri()).unwrap();
    let koinal = ramp::koinal::Client::builder(url.clone(), 1001, SecretString::from("s"))
        .http_config(HttpConfig::new().retry(RetryPolicy::none()))
        .build()
        .unwrap();
    let proof = ramp::proof::Client::builder(url, SecretString::from("t"))
        .http_config(HttpConfig::new().retry(RetryPolicy::none()))
        .build()
        .unwrap();
    let seen = Recorder::default();
    let tracker = Tracker::new(
        Arc::new(MemoryBook::new()),
        Arc::new(MemoryStore::default()),
        seen.handler(),
    )
    .koinal(koinal)
    .proof(proof)
    .schedule(Schedule { first, max: first });
    (tracker, seen)
}

#[tokio::test]
async fn a_koinal_order_is_followed_with_its_customer_reference_and_its_events_carry_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders/12/status"))
        .respond_with(ResponseTemplate::new(200).set_body_string(KOINAL_STATUS))
        .mount(&server)
        .await;
    let (tracker, seen) = tracker(&server, Duration::from_secs(3600));
    assert_eq!(
        tracker.follow(OrderRef::new(Provider::Koinal, "12")).await,
        Err(TrackError::NoReference(Provider::Koinal))
    );
    let order = OrderRef::new(Provider::Koinal, "12").partner_reference("User1");
    assert_eq!(tracker.follow(order).await, Ok(true));
    assert_eq!(tracker.tick().await, Ok(1));
    let seen = seen.take();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].partner_reference.as_deref(), Some("User1"));
    assert_eq!(seen[0].provider_status, "COMPLETED");
    assert_eq!(tracker.open_orders().await, Ok(0), "completed");
    // The read was signed for that customer.
    let hash = &server.received_requests().await.unwrap()[0].headers["hash"];
    let hash = ramp::koinal::AuthHash::decode(hash.to_str().unwrap()).unwrap();
    assert_eq!(hash.customer_reference(), "User1");
}

#[tokio::test]
async fn an_order_refused_again_and_again_is_given_up_and_a_final_event_ends_the_following() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widget/transactions/gone"))
        .respond_with(support::proof_tx("gone", "pending"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/widget/transactions/gone"))
        .respond_with(
            ResponseTemplate::new(401).set_body_string(
                r#"{"error":"unauthorised","code":"missing_token","message":"no"}"#,
            ),
        )
        .mount(&server)
        .await;
    let (tracker, seen) = tracker(&server, Duration::from_millis(1));
    tracker
        .follow(OrderRef::new(Provider::Proof, "gone"))
        .await
        .unwrap();
    assert_eq!(tracker.tick().await, Ok(1), "read once: pending");
    for _ in 0..ramp::track::MAX_REFUSED - 1 {
        tokio::time::sleep(Duration::from_millis(3)).await;
        assert_eq!(tracker.tick().await, Ok(1));
    }
    assert_eq!(tracker.open_orders().await, Ok(1), "still followed");
    tokio::time::sleep(Duration::from_millis(3)).await;
    assert_eq!(tracker.tick().await, Ok(1));
    assert_eq!(tracker.open_orders().await, Ok(0), "given up");
    assert_eq!(seen.take().len(), 1, "pending, handled once");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        usize::try_from(ramp::track::MAX_REFUSED).unwrap() + 1
    );

    // The endpoint heard a final status: the order is no longer followed.
    let order = OrderRef::new(Provider::Proof, "tx-done");
    tracker.follow(order.clone()).await.unwrap();
    let tx: ramp::proof::Transaction =
        serde_json::from_str(r#"{"merchant_transaction_id":"tx-done","status":"completed"}"#)
            .unwrap();
    tracker.close_event(&OrderEvent::from(&tx)).await.unwrap();
    assert_eq!(tracker.open_orders().await, Ok(0));
}

#[tokio::test]
async fn an_order_only_a_hint_named_that_its_provider_never_knew_is_given_up_in_bounded_time() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widget/transactions/unknown"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_string(r#"{"error":"not_found","code":"not_found","message":"unknown"}"#),
        )
        .mount(&server)
        .await;
    let (tracker, seen) = tracker(&server, Duration::from_millis(100));
    let tracker = Arc::new(tracker.unknown_for(Duration::from_secs(1)));
    let proof =
        ramp::proof::Client::builder(Url::parse(&server.uri()).unwrap(), SecretString::from("t"))
            .build()
            .unwrap();
    // An unsigned hint names it; Proof knows no such transaction (yet, or ever).
    let router = ramp::endpoint::Endpoint::new(Arc::new(MemoryStore::default()), seen.handler())
        .proof(proof)
        .tracker(Arc::clone(&tracker))
        .router();
    let url = format!("{}/proof", support::serve(router).await);
    let answer = ramp_core::http::reqwest::Client::new()
        .post(url)
        .body(r#"{"merchant_transaction_id":"unknown","status":"completed"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 404);
    assert_eq!(
        tracker.open_orders().await,
        Ok(1),
        "followed in case the read lags"
    );
    let took = ticked_until_given_up(&tracker).await;
    assert!(took >= Duration::from_millis(900), "followed for a while");
    let reads = server.received_requests().await.unwrap().len();
    assert!(reads > 2, "read again while it lagged: {reads}");
    assert!(seen.take().is_empty());
}

#[tokio::test]
async fn an_order_that_never_ends_is_given_up_after_its_maximum_age() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widget/transactions/abandoned"))
        .respond_with(support::proof_tx("abandoned", "pending"))
        .mount(&server)
        .await;
    let (tracker, seen) = tracker(&server, Duration::from_millis(100));
    let tracker = tracker.max_age(Duration::from_secs(1));
    tracker
        .follow(OrderRef::new(Provider::Proof, "abandoned"))
        .await
        .unwrap();
    assert!(ticked_until_given_up(&tracker).await >= Duration::from_secs(1));
    assert_eq!(seen.take().len(), 1, "pending, once");
}

/// Ticks the tracker until it follows no order (10 s at most): how long that took.
async fn ticked_until_given_up(tracker: &Tracker) -> Duration {
    let started = std::time::Instant::now();
    while tracker.open_orders().await == Ok(1) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never given up"
        );
        tracker.tick().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}

#[tokio::test]
async fn only_the_reader_holding_an_order_reschedules_it_in_memory() {
    ramp::store::conformance::order_book(&MemoryBook::new()).await;
}

#[tokio::test]
async fn only_the_reader_holding_an_order_reschedules_it_in_redis() {
    let redis = RedisServer::start();
    let store = RedisStore::connect(&redis.url(), Duration::from_secs(5))
        .await
        .unwrap();
    ramp::store::conformance::order_book(&RedisBook::new(&store)).await;
}

#[tokio::test]
async fn an_order_whose_first_push_failed_to_be_handled_is_followed_all_the_same() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widget/transactions/tx-f"))
        .respond_with(support::proof_tx("tx-f", "pending"))
        .mount(&server)
        .await;
    let (tracker, _) = tracker(&server, Duration::from_secs(3600));
    let tracker = Arc::new(tracker);
    let proof =
        ramp::proof::Client::builder(Url::parse(&server.uri()).unwrap(), SecretString::from("t"))
            .build()
            .unwrap();
    // The handler is down: the push is answered 500, and the provider may never push again.
    let router = ramp::endpoint::Endpoint::new(
        Arc::new(MemoryStore::default()),
        |_event: OrderEvent| async {
            Err::<(), _>(ramp::HandlerError::retry("the database is down"))
        },
    )
    .proof(proof)
    .tracker(Arc::clone(&tracker))
    .router();
    let url = format!("{}/proof", support::serve(router).await);
    let answer = ramp_core::http::reqwest::Client::new()
        .post(url)
        .body(r#"{"merchant_transaction_id":"tx-f","status":"pending"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 500);
    assert_eq!(
        tracker.open_orders().await,
        Ok(1),
        "the tracker reads it from now on"
    );
}
