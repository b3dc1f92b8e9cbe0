//! Handled events in this process's memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::dedup::{DEFAULT_KEEP, DEFAULT_LEASE, LONGEST, bounded_lease};
use crate::store::{Claim, ClaimToken, DedupStore, EventKey};
use crate::{StoreError, Unreadable};

/// Handled events in this process's memory, each remembered `keep` after it was handled, and
/// every order that ended for as long as the process lives. It is bounded: when `capacity`
/// entries are taken (handled events not yet past `keep`, ended orders, claims and unreadable
/// deliveries), a new claim is refused with a [`StoreError`] (answered 503, so the provider
/// delivers again) rather than anything being forgotten early; it warns (through `tracing`)
/// when it is nine tenths full. Ended orders are never freed: a process that sees more orders
/// end than its capacity fills up for good. Nothing survives a restart and nothing is shared
/// between replicas: it suits one process and tests; use the Redis or Postgres store for a
/// service.
#[derive(Debug)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
    capacity: usize,
    keep: Duration,
    lease: Duration,
    claims: AtomicU64,
}

#[derive(Debug, Default)]
struct Inner {
    /// Handled events that are not final, and until when they are remembered.
    handled: HashMap<String, Instant>,
    /// The same keys in the order they expire (one `keep` for all, so the order of commits);
    /// an entry whose key was committed again since is skipped when it comes up.
    expiry: VecDeque<(Instant, String)>,
    /// Orders that ended, and how final their end (see [`EventKey::finality`]).
    ended: HashMap<String, u8>,
    /// Orders being handled: the claim's token and until when it holds.
    claims: HashMap<String, (u64, Instant)>,
    /// Unreadable deliveries, oldest first.
    unreadable: Vec<Unreadable>,
}

impl Inner {
    fn len(&self) -> usize {
        self.handled.len() + self.ended.len() + self.claims.len() + self.unreadable.len()
    }

    /// Forgets handled events past their time, then lapsed claims, until there is room for
    /// one more entry; `false` when there is none.
    fn make_room(&mut self, capacity: usize, now: Instant) -> bool {
        while self.len() >= capacity {
            match self.expiry.front() {
                Some((until, _)) if *until <= now => {
                    if let Some((until, key)) = self.expiry.pop_front()
                        && self.handled.get(&key) == Some(&until)
                    {
                        self.handled.remove(&key);
                    }
                }
                _ => break,
            }
        }
        if self.len() >= capacity {
            self.claims.retain(|_, (_, until)| *until > now);
        }
        self.len() < capacity
    }
}

impl MemoryStore {
    /// At most `capacity` entries; each handled event that is not final remembered `keep`.
    pub fn new(capacity: usize, keep: Duration) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            capacity: capacity.max(1),
            keep: keep.min(LONGEST),
            lease: DEFAULT_LEASE,
            claims: AtomicU64::new(1),
        }
    }

    /// How long an unfinished claim holds before a redelivery may be handled (default
    /// [`DEFAULT_LEASE`], at least [`SHORTEST_LEASE`](crate::store::SHORTEST_LEASE)).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = bounded_lease(lease);
        self
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError("the in-memory store was poisoned".into()))
    }

    fn claim_at(&self, key: &EventKey, now: Instant) -> Result<Claim, StoreError> {
        let mut inner = self.lock()?;
        if key.is_ended_by(inner.ended.get(key.order()).copied().unwrap_or(0)) {
            return Ok(Claim::Ended);
        }
        match inner.handled.get(key.event()) {
            Some(until) if *until > now => return Ok(Claim::Duplicate),
            Some(_) => {
                inner.handled.remove(key.event());
            }
            None => {}
        }
        let claimed = inner.claims.get(key.order()).map(|(_, until)| *until);
        match claimed {
            Some(until) if until > now => return Ok(Claim::InFlight),
            Some(_) => {} // lapsed: taken over in place
            None if !inner.make_room(self.capacity, now) => {
                return Err(StoreError(format!(
                    "the in-memory store is full ({} entries, none past its time): it forgets \
                     nothing early, so give it a larger capacity or use the Redis or Postgres store",
                    self.capacity
                )));
            }
            None => {}
        }
        let token = self.claims.fetch_add(1, Ordering::Relaxed);
        inner
            .claims
            .insert(key.order().to_owned(), (token, now + self.lease));
        if inner.len() == self.capacity / 10 * 9 {
            tracing::warn!(
                capacity = self.capacity,
                "the in-memory store of handled events is nine tenths full: when full it refuses new events"
            );
        }
        Ok(Claim::New(ClaimToken::new(token.to_string())))
    }

    /// Whether `token` names the claim `claim` holds.
    fn holds(claim: Option<&(u64, Instant)>, token: &ClaimToken) -> bool {
        claim.is_some_and(|(held, _)| token.as_str().parse() == Ok(*held))
    }
}

impl Default for MemoryStore {
    /// 100 000 entries, each handled event that is not final kept [`DEFAULT_KEEP`] (30 days).
    fn default() -> Self {
        Self::new(100_000, DEFAULT_KEEP)
    }
}

#[async_trait::async_trait]
impl DedupStore for MemoryStore {
    async fn claim(&self, key: &EventKey) -> Result<Claim, StoreError> {
        self.claim_at(key, Instant::now())
    }

    async fn renew(&self, key: &EventKey, token: &ClaimToken) -> Result<bool, StoreError> {
        let mut inner = self.lock()?;
        let now = Instant::now();
        let claim = inner.claims.get_mut(key.order());
        match claim {
            Some(claim) if Self::holds(Some(claim), token) && claim.1 > now => {
                claim.1 = now + self.lease;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn commit(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        let now = Instant::now();
        if key.finality() > 0 {
            // An ended order excludes every event of it that could come: its handled
            // events need not be looked up any more, and are left to expire.
            let ended = inner.ended.entry(key.order().to_owned()).or_insert(0);
            *ended = (*ended).max(key.finality());
        } else {
            let until = now + self.keep;
            inner.handled.insert(key.event().to_owned(), until);
            inner.expiry.push_back((until, key.event().to_owned()));
            if inner.expiry.len() > 2 * inner.handled.len() + 64 {
                let Inner {
                    handled, expiry, ..
                } = &mut *inner;
                expiry.retain(|(until, key)| handled.get(key) == Some(until));
            }
        }
        if Self::holds(inner.claims.get(key.order()), token) {
            inner.claims.remove(key.order());
        }
        Ok(())
    }

    async fn release(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        if Self::holds(inner.claims.get(key.order()), token) {
            inner.claims.remove(key.order());
        }
        Ok(())
    }

    fn claim_lease(&self) -> Duration {
        self.lease
    }

    async fn keep_unreadable(&self, delivery: &Unreadable) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        if inner.unreadable.iter().any(|kept| kept.id == delivery.id) {
            return Ok(());
        }
        if !inner.make_room(self.capacity, Instant::now()) {
            return Err(StoreError(format!(
                "the in-memory store is full ({} entries): an unreadable delivery cannot be kept",
                self.capacity
            )));
        }
        inner.unreadable.push(delivery.clone());
        Ok(())
    }

    async fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError> {
        Ok(self.lock()?.unreadable.clone())
    }

    async fn forget_unreadable(&self, id: &str) -> Result<(), StoreError> {
        self.lock()?.unreadable.retain(|kept| kept.id != id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claim: Result<Claim, StoreError>) -> ClaimToken {
        match claim {
            Ok(Claim::New(token)) => token,
            other => panic!("not new: {other:?}"),
        }
    }

    fn key(order: &str, status: &str, finality: u8) -> EventKey {
        EventKey::new(
            format!("p:{order}:{status}"),
            format!("p:{order}"),
            finality,
        )
    }

    #[tokio::test]
    async fn one_claim_per_order_and_a_lapsed_holder_cannot_touch_the_next() {
        let store = MemoryStore::new(10, Duration::from_secs(60)).lease(Duration::from_secs(5));
        let t0 = Instant::now();
        let (a, b) = (key("o", "a", 0), key("o", "b", 0));
        let first = token(store.claim_at(&a, t0));
        assert_eq!(store.claim_at(&a, t0), Ok(Claim::InFlight));
        assert_eq!(store.claim_at(&b, t0), Ok(Claim::InFlight), "same order");
        assert!(matches!(
            store.claim_at(&key("p", "a", 0), t0),
            Ok(Claim::New(_))
        ));
        // A claim nobody finished lapses after the lease; the old holder can no longer
        // renew or release the new claim.
        let second = token(store.claim_at(&b, t0 + Duration::from_secs(6)));
        assert_ne!(first, second);
        assert_eq!(store.renew(&a, &first).await, Ok(false));
        store.release(&a, &first).await.unwrap();
        assert_eq!(store.claim_at(&a, t0), Ok(Claim::InFlight), "still held");
        store.commit(&b, &second).await.unwrap();
        assert_eq!(store.claim_at(&b, t0), Ok(Claim::Duplicate));
        let third = token(store.claim_at(&a, t0));
        store.release(&a, &third).await.unwrap();
        assert!(matches!(store.claim_at(&a, t0), Ok(Claim::New(_))));
    }

    #[tokio::test]
    async fn an_ended_order_stays_ended_after_keep_and_only_refunded_may_follow() {
        let store = MemoryStore::new(10, Duration::from_secs(1));
        let t0 = Instant::now();
        let processing = key("o", "processing", 0);
        let t = token(store.claim_at(&processing, t0));
        store.commit(&processing, &t).await.unwrap();
        let completed = key("o", "completed", 1);
        let t = token(store.claim_at(&completed, t0));
        store.commit(&completed, &t).await.unwrap();
        let a_year_on = t0 + Duration::from_secs(365 * 24 * 3600);
        assert_eq!(store.claim_at(&processing, a_year_on), Ok(Claim::Ended));
        assert_eq!(store.claim_at(&completed, a_year_on), Ok(Claim::Ended));
        assert_eq!(
            store.claim_at(&key("o", "failed", 1), a_year_on),
            Ok(Claim::Ended)
        );
        let refunded = key("o", "refunded", 2);
        let t = token(store.claim_at(&refunded, a_year_on));
        store.commit(&refunded, &t).await.unwrap();
        assert_eq!(store.claim_at(&refunded, a_year_on), Ok(Claim::Ended));
    }

    #[tokio::test]
    async fn a_full_store_refuses_new_claims_rather_than_forget_and_frees_what_expired() {
        let store = MemoryStore::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for (i, finality) in [(0, 0), (1, 1), (2, 0)] {
            let k = key(&format!("o{i}"), "s", finality);
            let t = token(store.claim_at(&k, t0));
            store.commit(&k, &t).await.unwrap();
        }
        let refused = store.claim_at(&key("o9", "s", 0), t0);
        assert!(
            matches!(&refused, Err(StoreError(message)) if message.contains("full")),
            "{refused:?}"
        );
        // Every handled event is still known.
        assert_eq!(store.claim_at(&key("o0", "s", 0), t0), Ok(Claim::Duplicate));
        assert_eq!(store.claim_at(&key("o1", "s", 1), t0), Ok(Claim::Ended));
        // Past keep, the handled events that are not final make room; the ended order stays.
        let later = t0 + Duration::from_secs(61);
        token(store.claim_at(&key("o9", "s", 0), later));
        assert_eq!(store.claim_at(&key("o1", "s", 1), later), Ok(Claim::Ended));
    }

    #[tokio::test]
    async fn the_expiry_queue_stays_bounded_when_events_are_committed_over_and_over() {
        let store = MemoryStore::new(100, Duration::from_secs(60));
        let k = key("o", "s", 0);
        for _ in 0..1000 {
            store.lock().unwrap().handled.clear();
            let t = token(store.claim(&k).await);
            store.commit(&k, &t).await.unwrap();
        }
        assert!(store.lock().unwrap().expiry.len() <= 66);
    }
}
