//! Recovering what pushes missed: a Transak order read as changed also lists the webhooks
//! Transak sent for it (Get Webhooks), each handed to the handler once, in the order sent,
//! through the same store as the endpoint; and a book in Redis keeps Redis's time, so a
//! replica whose clock is off takes and holds orders as the others do.

use std::sync::Arc;
use std::time::Duration;

use ramp::track::{BookEntry, MemoryBook, OrderBook, OrderRef, RedisBook, Schedule, Tracker};
use ramp::{MemoryStore, OrderStatus, Provider, RedisStore};
use ramp_core::SecretString;
use ramp_core::http::{HttpConfig, RetryPolicy, Url};
use ramp_testkit::RedisServer;
use support::Recorder;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

fn transak(server: &MockServer) -> ramp::transak::Client {
    let url = Url::parse(&server.uri()).unwrap();
    ramp::transak::Client::builder(
        ramp::transak::Environment::Custom {
            api: url.clone(),
            gateway: url,
        },
        SecretString::from("key"),
        SecretString::from("secret"),
    )
    .access_token(SecretString::from("tok"))
    .http_config(HttpConfig::new().retry(RetryPolicy::none()))
    .build()
    .unwrap()
}

fn sent(id: &str, at: &str, event: &str, status: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "createdAt": at, "eventID": event, "partnerApiKey": "pk",
        "webhookData": {"id": "ord-9", "status": status, "cryptoAmount": 0.25, "cryptoCurrency": "ETH"}
    })
}

#[tokio::test]
async fn webhooks_transak_sent_but_never_arrived_are_recovered_once_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/partners/api/v2/order/ord-9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "meta": {"orderId": "ord-9"},
            "data": {"_id": "ord-9", "status": "COMPLETED"}
        })))
        .mount(&server)
        .await;
    // Listed newest first: handed over in the order sent.
    Mock::given(method("GET"))
        .and(path("/partners/api/v2/webhooks"))
        .and(query_param("orderID", "ord-9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": [
                sent("w3", "2026-12-01T10:05:00Z", "ORDER_COMPLETED", "COMPLETED"),
                sent("w2", "2026-12-01T10:02:00Z", "ORDER_PROCESSING", "PROCESSING"),
                sent("w1", "2026-12-01T10:00:00Z", "ORDER_CREATED", "AWAITING_PAYMENT_FROM_USER"),
            ]
        })))
        .mount(&server)
        .await;
    let seen = Recorder::default();
    let store = Arc::new(MemoryStore::default());
    let tracker = Tracker::new(Arc::new(MemoryBook::new()), store.clone(), seen.handler())
        .transak(transak(&server))
        .schedule(Schedule {
            first: Duration::from_secs(3600),
            max: Duration::from_secs(3600),
        });
    tracker
        .follow(OrderRef::new(Provider::Transak, "ord-9"))
        .await
        .unwrap();
    assert_eq!(tracker.tick().await, Ok(1));
    let statuses: Vec<_> = seen.take().iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            OrderStatus::Pending,
            OrderStatus::Processing,
            OrderStatus::Completed
        ]
    );
    assert_eq!(tracker.open_orders().await, Ok(0), "ended");
    // The same events, pushed late, are handled never.
    let late = ramp::track::Tracker::new(Arc::new(MemoryBook::new()), store, seen.handler())
        .transak(transak(&server))
        .recover_missed(false);
    late.follow(OrderRef::new(Provider::Transak, "ord-9"))
        .await
        .unwrap();
    assert_eq!(late.tick().await, Ok(1));
    assert!(seen.take().is_empty());
}

#[tokio::test]
async fn a_book_in_redis_takes_and_leases_by_redis_clock() {
    let redis = RedisServer::start();
    let store = RedisStore::connect(&redis.url(), Duration::from_secs(5))
        .await
        .unwrap();
    let book = RedisBook::new(&store);
    let entry = BookEntry::new(OrderRef::new(Provider::Proof, "tx-clock"), 10);
    book.follow(&entry).await.unwrap();
    let lease = Duration::from_secs(60);
    let taken = book.take_due(lease, 10).await.unwrap();
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let (seconds, micros): (u64, u64) = redis::cmd("TIME")
        .query_async(&mut connection)
        .await
        .unwrap();
    let redis_now = seconds * 1000 + micros / 1000;
    // The lease ends a lease after Redis's now, whatever this process's clock says.
    let held = taken[0].held_until;
    assert!(
        held > redis_now + 59_000 && held <= redis_now + 60_000,
        "{held} vs {redis_now}"
    );
    let due: f64 = redis::cmd("ZSCORE")
        .arg("ramp:track:due")
        .arg("proof:tx-clock")
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(due as u64, held);
}

#[tokio::test]
async fn the_memory_book_finds_the_due_order_among_many_that_are_not() {
    let book = MemoryBook::new();
    for i in 0..10_000 {
        let entry = BookEntry::new(OrderRef::new(Provider::Proof, format!("tx-{i}")), 10);
        book.follow(&entry).await.unwrap();
    }
    let lease = Duration::from_secs(60);
    let first = book.take_due(lease, 100_000).await.unwrap();
    assert_eq!(first.len(), 10_000);
    for entry in &first[1..] {
        book.reschedule(entry, Duration::from_secs(3600))
            .await
            .unwrap();
    }
    book.reschedule(&first[0], Duration::ZERO).await.unwrap();
    let due = book.take_due(lease, 100).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].order, first[0].order);
}
