//! The endpoint when handling takes long: a handler slower than the claim's lease is not run
//! a second time beside itself (the claim is renewed while it runs), a handler past its time
//! limit is stopped and treated as failed, and a provider that hangs up mid-way still has its
//! event recorded, so the redelivery is a duplicate.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ramp::endpoint::Endpoint;
use ramp::store::{Claim, ClaimToken, DedupStore, EventKey, StoreError};
use ramp::{MemoryStore, OrderEvent};
use ramp_core::SecretString;
use ramp_core::webhook::Delivery;

const SECRET: &str = "whsec_slow";

mod support;

/// An endpoint whose handler takes `takes`, counting the calls that began.
async fn serve(store: Arc<dyn DedupStore>, takes: Duration) -> (String, Arc<AtomicUsize>) {
    serve_limited(store, takes, ramp::DEFAULT_HANDLER_LIMIT).await
}

async fn serve_limited(
    store: Arc<dyn DedupStore>,
    takes: Duration,
    limit: Duration,
) -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let router = Endpoint::new(store, move |_event: OrderEvent| {
        count.fetch_add(1, Ordering::SeqCst);
        async move {
            tokio::time::sleep(takes).await;
            Ok::<(), ramp::HandlerError>(())
        }
    })
    .onramper(ramp::onramper_sign::WebhookVerifier::new(SecretString::from(SECRET)).unwrap())
    .handler_limit(limit)
    .router();
    let url = format!("{}/onramper", support::serve(router).await);
    (url, calls)
}

fn delivery() -> Delivery {
    ramp::onramper_sign::webhook::test_util::signed_webhook(
        br#"{"transactionId":"tx-slow","status":"completed"}"#,
        &SecretString::from(SECRET),
    )
}

async fn post(http: &ramp_core::http::reqwest::Client, url: &str) -> Result<u16, String> {
    let delivery = delivery();
    http.post(url)
        .headers(delivery.headers)
        .body(delivery.body)
        .send()
        .await
        .map(|answer| answer.status().as_u16())
        .map_err(|err| err.to_string())
}

#[tokio::test]
async fn a_handler_slower_than_the_lease_is_not_run_again_beside_itself() {
    let store = MemoryStore::default().lease(Duration::from_secs(1));
    let (url, calls) = serve(Arc::new(store), Duration::from_millis(2500)).await;
    let http = ramp_core::http::reqwest::Client::new();
    let first = tokio::spawn({
        let (http, url) = (http.clone(), url.clone());
        async move { post(&http, &url).await }
    });
    // Redelivered well past the lease while the first is still being handled.
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(post(&http, &url).await, Ok(503));
    }
    assert_eq!(first.await.unwrap(), Ok(200));
    assert_eq!(post(&http, &url).await, Ok(200));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_handler_past_its_time_limit_is_stopped_and_the_redelivery_is_handled() {
    let store = MemoryStore::default();
    let (url, calls) = serve_limited(
        Arc::new(store),
        Duration::from_secs(3600),
        Duration::from_millis(300),
    )
    .await;
    let http = ramp_core::http::reqwest::Client::new();
    // Before, a handler that hangs kept its claim renewed for ever: 503 for every redelivery.
    assert_eq!(post(&http, &url).await, Ok(500));
    assert_eq!(post(&http, &url).await, Ok(500));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "each redelivery ran it again"
    );
}

#[tokio::test]
async fn a_zero_lease_is_taken_as_the_shortest() {
    let store = MemoryStore::default().lease(Duration::ZERO);
    assert_eq!(store.claim_lease(), ramp::store::SHORTEST_LEASE);
}

#[tokio::test]
async fn a_provider_that_hangs_up_mid_way_still_has_its_event_recorded() {
    let store = MemoryStore::default().lease(Duration::from_secs(1));
    let (url, calls) = serve(Arc::new(store), Duration::from_millis(1200)).await;
    let impatient = ramp_core::http::reqwest::Client::builder()
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    assert!(
        post(&impatient, &url).await.is_err(),
        "gave up before the answer"
    );
    // The handler finishes and the event is recorded although nobody waits for the answer:
    // the redelivery, well after the lease would have lapsed, is answered as an ended order
    // (its status was final).
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let http = ramp_core::http::reqwest::Client::new();
    assert_eq!(post(&http, &url).await, Ok(200));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A memory store whose first `failing` records fail, as a store that went down would.
struct Flaky {
    inner: MemoryStore,
    failing: AtomicUsize,
}

#[ramp::store::async_trait]
impl DedupStore for Flaky {
    async fn claim(&self, key: &EventKey) -> Result<Claim, StoreError> {
        self.inner.claim(key).await
    }
    async fn renew(&self, key: &EventKey, token: &ClaimToken) -> Result<bool, StoreError> {
        self.inner.renew(key, token).await
    }
    async fn commit(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        let failing = self.failing.load(Ordering::SeqCst);
        if failing > 0 {
            self.failing.store(failing - 1, Ordering::SeqCst);
            return Err(StoreError("down".into()));
        }
        self.inner.commit(key, token).await
    }
    async fn release(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        self.inner.release(key, token).await
    }
    fn claim_lease(&self) -> Duration {
        self.inner.claim_lease()
    }
    async fn keep_unreadable(&self, delivery: &ramp::Unreadable) -> Result<(), StoreError> {
        self.inner.keep_unreadable(delivery).await
    }
    async fn unreadable(&self) -> Result<Vec<ramp::Unreadable>, StoreError> {
        self.inner.unreadable().await
    }
    async fn forget_unreadable(&self, id: &str) -> Result<(), StoreError> {
        self.inner.forget_unreadable(id).await
    }
}

#[tokio::test]
async fn a_handled_event_whose_record_fails_for_a_while_is_not_handled_again() {
    let store = Flaky {
        inner: MemoryStore::default().lease(Duration::from_secs(1)),
        failing: AtomicUsize::new(7),
    };
    let (url, calls) = serve(Arc::new(store), Duration::ZERO).await;
    let http = ramp_core::http::reqwest::Client::new();
    // Handled: answered at once, although the record has not landed yet.
    assert_eq!(post(&http, &url).await, Ok(200));
    // Meanwhile the claim is kept (well past its lease): a redelivery is asked to come back.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(post(&http, &url).await, Ok(503));
    // Once recorded, a duplicate.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(post(&http, &url).await, Ok(200));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_handler_blocked_past_its_limit_is_waited_for_and_not_run_beside_itself() {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    // Blocking code: stopping it at its limit takes effect only when it returns.
    let router = Endpoint::new(
        Arc::new(MemoryStore::default()),
        move |_event: OrderEvent| {
            count.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(550));
            std::future::ready(Ok::<(), ramp::HandlerError>(()))
        },
    )
    .onramper(ramp::onramper_sign::WebhookVerifier::new(SecretString::from(SECRET)).unwrap())
    .handler_limit(Duration::from_millis(300))
    .router();
    let url = format!("{}/onramper", support::serve(router).await);
    let http = ramp_core::http::reqwest::Client::new();
    let first = tokio::spawn({
        let (http, url) = (http.clone(), url.clone());
        async move { post(&http, &url).await }
    });
    // Past the limit, while it still runs: before, its claim was released here and this
    // redelivery ran the handler a second time beside the first.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(post(&http, &url).await, Ok(503));
    // It returned within another limit: what it did is recorded.
    assert_eq!(first.await.unwrap(), Ok(200));
    assert_eq!(post(&http, &url).await, Ok(200));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
