//! The promises every store keeps, as a suite a store of your own runs in its tests
//! (feature `test-util`): the same checks [`MemoryStore`](crate::MemoryStore), `RedisStore`
//! (against a real `redis-server`) and `PgStore` (against a real PostgreSQL) pass here.
//!
//! ```no_run
//! # async fn run() {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use ramp::store::{DedupStore, conformance};
//!
//! // Each call makes a store over the same data, with a claim lease of 1 s
//! // (`SHORTEST_LEASE`) and handled events that are not final kept `keep`.
//! conformance::dedup_store(|keep: Duration| async move {
//!     let store = ramp::MemoryStore::new(1_000, keep).lease(ramp::store::SHORTEST_LEASE);
//!     Arc::new(store) as Arc<dyn DedupStore>
//! })
//! .await;
//! # }
//! ```
//!
//! Each check panics with what was broken, as a test does.
// A test suite: a broken promise panics, with what was expected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::store::{Claim, ClaimToken, DedupStore, EventKey, StoreError};
use crate::{Provider, Unreadable};

/// The key of `order`'s event at `status`, `finality` as [`EventKey::new`] takes it.
pub fn key(order: &str, status: &str, finality: u8) -> EventKey {
    EventKey::new(
        format!("transak:{order}:{status}"),
        format!("transak:{order}"),
        finality,
    )
}

/// The token of a new claim; panics on any other answer.
pub fn token(claim: Result<Claim, StoreError>) -> ClaimToken {
    match claim {
        Ok(Claim::New(token)) => token,
        other => panic!("not new: {other:?}"),
    }
}

/// Every promise, on stores `make(keep)` makes: each with the shortest lease (1 s) and
/// handled events that are not final remembered `keep`. Stores made by one call share
/// their data with those of the others (the same server, or the same process).
pub async fn dedup_store<F, Fut>(make: F)
where
    F: Fn(Duration) -> Fut,
    Fut: Future<Output = Arc<dyn DedupStore>>,
{
    let store = make(Duration::from_secs(3600)).await;
    one_claim_per_order(&*store).await;
    claims_lapse_unless_renewed(&*store).await;
    of_forty_claims_at_once_one_wins(&store).await;
    unreadable_deliveries_are_kept_once_and_forgotten(&*store).await;
    let forgetful = make(Duration::from_secs(1)).await;
    an_ended_order_stays_ended_after_keep(&*forgetful).await;
}

async fn one_claim_per_order(store: &dyn DedupStore) {
    let (a, b) = (key("o1", "PROCESSING", 0), key("o1", "PENDING", 0));
    let first = token(store.claim(&a).await);
    assert_eq!(store.claim(&a).await, Ok(Claim::InFlight));
    assert_eq!(store.claim(&b).await, Ok(Claim::InFlight), "the same order");
    token(store.claim(&key("o2", "PROCESSING", 0)).await);
    store.release(&a, &first).await.unwrap();
    let second = token(store.claim(&a).await);
    assert_ne!(first, second, "released: handled again, under a new claim");
    // Only the holder renews or releases.
    assert_eq!(store.renew(&a, &first).await, Ok(false));
    store.release(&a, &first).await.unwrap();
    assert_eq!(store.claim(&a).await, Ok(Claim::InFlight));
    assert_eq!(store.renew(&a, &second).await, Ok(true));
    store.commit(&a, &second).await.unwrap();
    assert_eq!(store.claim(&a).await, Ok(Claim::Duplicate));
    // A release never forgets a handled event, and the commit gave up the claim.
    store.release(&a, &second).await.unwrap();
    assert_eq!(store.claim(&a).await, Ok(Claim::Duplicate));
    let next = token(store.claim(&b).await);
    store.commit(&b, &next).await.unwrap();
}

async fn claims_lapse_unless_renewed(store: &dyn DedupStore) {
    assert_eq!(store.claim_lease(), crate::store::SHORTEST_LEASE);
    let k = key("o3", "PROCESSING", 0);
    let renewed = token(store.claim(&k).await);
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(store.renew(&k, &renewed).await, Ok(true));
    }
    assert_eq!(
        store.claim(&k).await,
        Ok(Claim::InFlight),
        "renewed past its lease"
    );
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let taken = token(store.claim(&k).await);
    store.release(&k, &renewed).await.unwrap();
    assert_eq!(
        store.claim(&k).await,
        Ok(Claim::InFlight),
        "{taken:?} still holds"
    );
    store.release(&k, &taken).await.unwrap();
}

async fn of_forty_claims_at_once_one_wins(store: &Arc<dyn DedupStore>) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..40 {
        let store = Arc::clone(store);
        let k = key(
            "o4",
            if i % 2 == 0 {
                "PROCESSING"
            } else {
                "COMPLETED"
            },
            0,
        );
        tasks.spawn(async move { store.claim(&k).await.unwrap() });
    }
    let claims = tasks.join_all().await;
    let new = claims.iter().filter(|c| matches!(c, Claim::New(_)));
    assert_eq!(new.count(), 1, "{claims:?}");
}

async fn an_ended_order_stays_ended_after_keep(store: &dyn DedupStore) {
    let processing = key("o5", "PROCESSING", 0);
    let t = token(store.claim(&processing).await);
    store.commit(&processing, &t).await.unwrap();
    assert_eq!(store.claim(&processing).await, Ok(Claim::Duplicate));
    let completed = key("o5", "COMPLETED", 1);
    let t = token(store.claim(&completed).await);
    store.commit(&completed, &t).await.unwrap();
    // Past the keep time of the events that are not final.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(store.claim(&processing).await, Ok(Claim::Ended));
    assert_eq!(store.claim(&completed).await, Ok(Claim::Ended));
    assert_eq!(store.claim(&key("o5", "FAILED", 1)).await, Ok(Claim::Ended));
    // Refunded may follow a final status, once.
    let refunded = key("o5", "REFUNDED", 2);
    let t = token(store.claim(&refunded).await);
    store.commit(&refunded, &t).await.unwrap();
    assert_eq!(store.claim(&refunded).await, Ok(Claim::Ended));
    assert_eq!(store.claim(&completed).await, Ok(Claim::Ended));
}

async fn unreadable_deliveries_are_kept_once_and_forgotten(store: &dyn DedupStore) {
    let first = Unreadable::new(Provider::Koinal, br#"{"order_id":1}"#, "status", "missing");
    let second = Unreadable::new(Provider::Onramper, b"\xff\x00", ".", "not JSON");
    store.keep_unreadable(&first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    store.keep_unreadable(&second).await.unwrap();
    store.keep_unreadable(&first).await.unwrap();
    let kept = store.unreadable().await.unwrap();
    assert_eq!(kept.len(), 2, "a redelivery is the same record");
    assert_eq!(
        (
            kept[0].id.as_str(),
            kept[0].document.as_slice(),
            kept[0].path.as_str()
        ),
        (first.id.as_str(), first.document.as_slice(), "status")
    );
    assert_eq!(kept[1].document, b"\xff\x00", "bytes kept as they were");
    assert_eq!(kept[1].provider, Provider::Onramper);
    store.forget_unreadable(&first.id).await.unwrap();
    assert_eq!(store.unreadable().await.unwrap().len(), 1);
    store.forget_unreadable(&second.id).await.unwrap();
}

/// The promises of a book of followed orders (feature `track`): one reader holds a taken
/// order for its lease; Two readers in turn: the first's lease lapses, the second takes the order over; the
/// first's late reschedule is ignored, the second's counts. The lease is the book's time.
#[cfg(feature = "track")]
#[cfg_attr(docsrs, doc(cfg(feature = "track")))]
pub async fn order_book(book: &dyn crate::track::OrderBook) {
    use crate::track::{BookEntry, OrderRef};
    let lease = Duration::from_secs(1);
    let order = OrderRef::new(Provider::Proof, "tx-h");
    let entry = BookEntry::new(order.clone(), 10);
    assert_eq!(book.follow(&entry).await, Ok(true));
    assert_eq!(book.follow(&entry).await, Ok(false), "followed already");
    let first = book.take_due(lease, 10).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(book.take_due(lease, 10).await.unwrap().len(), 0, "held");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let second = book.take_due(lease, 10).await.unwrap();
    assert_eq!(second.len(), 1, "the lease lapsed: taken over");
    let mut late = first[0].clone();
    late.last_status = Some("stale".into());
    book.reschedule(&late, Duration::ZERO).await.unwrap();
    assert!(
        book.take_due(lease, 10).await.unwrap().is_empty(),
        "still the second's"
    );
    let mut current = second[0].clone();
    current.last_status = Some("pending".into());
    book.reschedule(&current, Duration::ZERO).await.unwrap();
    let again = book.take_due(lease, 10).await.unwrap();
    assert_eq!(again[0].last_status.as_deref(), Some("pending"));
    // Poked while held: due at once when its holder reschedules it, whatever the wait.
    assert_eq!(book.poke(&order).await, Ok(true));
    book.reschedule(&again[0], Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(book.take_due(lease, 10).await.unwrap().len(), 1, "poked");
    book.close(&order).await.unwrap();
    assert_eq!(book.poke(&order).await, Ok(false));
    assert_eq!(book.count().await, Ok(0));
}
