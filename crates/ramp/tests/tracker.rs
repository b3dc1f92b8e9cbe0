//! The tracker against a Proof status endpoint on 127.0.0.1 whose answers the test sets:
//! each change handled once (also when the webhook endpoint handled it first), orders closed
//! at their end, pokes read at once; with Redis (a real `redis-server`), followed orders
//! survive a restart and two replicas never read one order at the same time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ramp::store::{Claim, DedupStore};
use ramp::track::{MemoryBook, OrderBook, OrderRef, RedisBook, Schedule, Tracker};
use ramp::{MemoryStore, OrderStatus, Provider, RedisStore};
use ramp_core::SecretString;
use ramp_core::http::{HttpConfig, RetryPolicy, Url};
use ramp_testkit::RedisServer;
use support::Recorder;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

mod support;

/// Proof's transactions as the test sets them: `GET /widget/transactions/{id}` answers the
/// status set for `id` (404 for an unknown one), and counts the reads of each.
#[derive(Clone, Default)]
struct Statuses {
    now: Arc<Mutex<HashMap<String, &'static str>>>,
    reads: Arc<Mutex<HashMap<String, usize>>>,
}

impl Statuses {
    fn set(&self, id: &str, status: &'static str) {
        self.now.lock().unwrap().insert(id.to_owned(), status);
    }

    fn reads(&self, id: &str) -> usize {
        self.reads.lock().unwrap().get(id).copied().unwrap_or(0)
    }
}

impl Respond for Statuses {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = request.url.path().rsplit('/').next().unwrap_or_default();
        *self.reads.lock().unwrap().entry(id.to_owned()).or_default() += 1;
        match self.now.lock().unwrap().get(id) {
            Some(status) => ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"merchant_transaction_id":"{id}","status":"{status}"}}"#
            )),
            None => ResponseTemplate::new(404)
                .set_body_string(r#"{"error":"not_found","code":"not_found","message":"no"}"#),
        }
    }
}

async fn proof(statuses: &Statuses) -> (MockServer, ramp::proof::Client) {
    let server = MockServer::start().await;
    Mock::given(matchers::method("GET"))
        .and(matchers::path_regex("^/widget/transactions/[^/]+$"))
        .respond_with(statuses.clone())
        .mount(&server)
        .await;
    let client =
        ramp::proof::Client::builder(Url::parse(&server.uri()).unwrap(), SecretString::from("t"))
            .http_config(HttpConfig::new().retry(RetryPolicy::none()))
            .build()
            .unwrap();
    (server, client)
}

fn tracker(
    book: Arc<dyn OrderBook>,
    store: Arc<dyn DedupStore>,
    client: ramp::proof::Client,
    first: Duration,
) -> (Tracker, Recorder) {
    let seen = Recorder::default();
    let tracker = Tracker::new(book, store, seen.handler())
        .proof(client)
        .schedule(Schedule {
            first,
            max: first * 4,
        });
    (tracker, seen)
}

fn order(id: &str) -> OrderRef {
    OrderRef::new(Provider::Proof, id)
}

#[tokio::test]
async fn each_change_is_handled_once_pokes_read_at_once_and_a_final_status_ends_the_following() {
    let statuses = Statuses::default();
    let (_server, client) = proof(&statuses).await;
    let store = Arc::new(MemoryStore::default());
    // The webhook endpoint handled tx-3's pending before the tracker read it.
    let pending = ramp::store::EventKey::new("proof:tx-3:pending", "proof:tx-3", 0);
    let Ok(Claim::New(token)) = store.claim(&pending).await else {
        panic!("new")
    };
    store.commit(&pending, &token).await.unwrap();
    let book = Arc::new(MemoryBook::new());
    let (tracker, seen) = tracker(book, store, client, Duration::from_secs(3600));
    for (id, status) in [
        ("tx-1", "pending"),
        ("tx-2", "completed"),
        ("tx-3", "pending"),
    ] {
        statuses.set(id, status);
        assert_eq!(tracker.follow(order(id)).await, Ok(true));
    }
    assert_eq!(
        tracker.follow(order("tx-1")).await,
        Ok(false),
        "followed already"
    );
    assert_eq!(tracker.tick().await, Ok(3));
    assert_eq!(
        seen.statuses(),
        [
            ("tx-1".to_owned(), OrderStatus::Pending),
            ("tx-2".to_owned(), OrderStatus::Completed)
        ]
    );
    assert_eq!(tracker.open_orders().await, Ok(2), "tx-2 ended");
    // An hour to the next read: nothing is due until poked.
    assert_eq!(tracker.tick().await, Ok(0));
    assert_eq!(tracker.poke(&order("tx-1")).await, Ok(true));
    assert_eq!(tracker.tick().await, Ok(1));
    assert!(seen.statuses().is_empty(), "no change, no event");
    statuses.set("tx-1", "completed");
    tracker.poke(&order("tx-1")).await.unwrap();
    assert_eq!(tracker.tick().await, Ok(1));
    assert_eq!(
        seen.statuses(),
        [("tx-1".to_owned(), OrderStatus::Completed)]
    );
    assert_eq!(tracker.open_orders().await, Ok(1));
    assert_eq!(
        tracker.poke(&order("tx-1")).await,
        Ok(false),
        "no longer followed"
    );
    assert_eq!(statuses.reads("tx-1"), 3);
    assert_eq!(statuses.reads("tx-3"), 1);
    // Onramper has no status read to follow an order with.
    assert!(
        tracker
            .follow(OrderRef::new(Provider::Onramper, "x"))
            .await
            .unwrap_err()
            .to_string()
            .contains("onramper")
    );
}

#[tokio::test]
async fn with_redis_followed_orders_survive_a_restart_and_are_handled_once() {
    let redis = RedisServer::start();
    let statuses = Statuses::default();
    let (_server, client) = proof(&statuses).await;
    let first = Duration::from_millis(50);
    let connect = || async {
        let store = RedisStore::connect(&redis.url(), Duration::from_secs(5))
            .await
            .unwrap();
        (Arc::new(RedisBook::new(&store)), Arc::new(store))
    };
    let (book, store) = connect().await;
    let (before, seen_before) = tracker(book, store, client.clone(), first);
    for id in ["tx-a", "tx-b", "tx-c"] {
        statuses.set(id, "pending");
        before.follow(order(id)).await.unwrap();
    }
    assert_eq!(before.tick().await, Ok(3));
    assert_eq!(seen_before.statuses().len(), 3);
    drop(before);

    // A new process: the orders are still followed, what was handled is not handled again.
    let (book, store) = connect().await;
    let (after, seen_after) = tracker(book, store, client, first);
    assert_eq!(after.open_orders().await, Ok(3));
    statuses.set("tx-a", "completed");
    statuses.set("tx-b", "failed");
    tokio::time::sleep(first * 2).await;
    assert_eq!(after.tick().await, Ok(3));
    assert_eq!(
        seen_after.statuses(),
        [
            ("tx-a".to_owned(), OrderStatus::Completed),
            ("tx-b".to_owned(), OrderStatus::Failed)
        ]
    );
    assert_eq!(after.open_orders().await, Ok(1));
}

#[tokio::test]
async fn two_replicas_on_one_redis_read_each_due_order_once() {
    let redis = RedisServer::start();
    let statuses = Statuses::default();
    let (_server, client) = proof(&statuses).await;
    let mut replicas = Vec::new();
    for _ in 0..2 {
        let store = RedisStore::connect(&redis.url(), Duration::from_secs(5))
            .await
            .unwrap();
        let book = Arc::new(RedisBook::new(&store));
        replicas.push(tracker(
            book,
            Arc::new(store),
            client.clone(),
            Duration::from_secs(3600),
        ));
    }
    let ids: Vec<String> = (0..40).map(|i| format!("tx-{i}")).collect();
    for id in &ids {
        statuses.set(id, "processing");
        replicas[0].0.follow(order(id)).await.unwrap();
    }
    let (a, b) = tokio::join!(replicas[0].0.tick(), replicas[1].0.tick());
    assert_eq!(a.unwrap() + b.unwrap(), 40);
    for id in &ids {
        assert_eq!(statuses.reads(id), 1, "{id}");
    }
    let events = replicas[0].1.statuses().len() + replicas[1].1.statuses().len();
    assert_eq!(events, 40);
}

#[tokio::test]
async fn an_order_heard_of_once_is_followed_to_its_end_when_no_later_push_comes() {
    let statuses = Statuses::default();
    let (_server, client) = proof(&statuses).await;
    let store: Arc<dyn DedupStore> = Arc::new(MemoryStore::default());
    let (tracker, seen) = tracker(
        Arc::new(MemoryBook::new()),
        Arc::clone(&store),
        client.clone(),
        Duration::from_millis(30),
    );
    let tracker = Arc::new(tracker.poll(Duration::from_millis(10)));
    let running = tokio::spawn({
        let tracker = Arc::clone(&tracker);
        async move { tracker.run().await }
    });
    let endpoint_seen = Recorder::default();
    let router = ramp::endpoint::Endpoint::new(store, endpoint_seen.handler())
        .proof(client)
        .tracker(Arc::clone(&tracker))
        .router();
    let url = format!("{}/proof", support::serve(router).await);

    // One push, of a pending order; then the order completes and no push ever comes.
    statuses.set("tx-w", "pending");
    let push = ramp_core::http::reqwest::Client::new()
        .post(url)
        .body(r#"{"merchant_transaction_id":"tx-w","status":"pending"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(push.status().as_u16(), 200);
    assert_eq!(
        endpoint_seen.statuses(),
        [("tx-w".to_owned(), OrderStatus::Pending)]
    );
    statuses.set("tx-w", "completed");
    tokio::time::timeout(Duration::from_secs(10), async {
        while tracker.open_orders().await.unwrap() > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the tracker read the order to its end");
    running.abort();
    // The pending the endpoint handled is not handled again by the tracker.
    assert_eq!(
        seen.statuses(),
        [("tx-w".to_owned(), OrderStatus::Completed)]
    );
    assert!(endpoint_seen.statuses().is_empty());
}
