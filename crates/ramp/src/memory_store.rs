//! Handled events in this process's memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::dedup::{DEFAULT_LEASE, LONGEST};
use crate::{BoxFuture, Claim, ClaimToken, DedupStore, StoreError};

/// One key: claimed (in flight) or handled, until a time; `claim` names the claim that made
/// it (its token, and its place in the eviction order).
#[derive(Debug, Clone, Copy)]
struct Slot {
    until: Instant,
    done: bool,
    claim: u64,
}

/// Handled keys in this process's memory: bounded (the oldest handled key is forgotten first
/// when it is full), each forgotten after a time. Keys do not survive a restart and are not
/// shared between replicas: use the Redis store for that.
#[derive(Debug)]
pub struct MemoryStore {
    slots: Mutex<Slots>,
    capacity: usize,
    keep: Duration,
    lease: Duration,
    claims: AtomicU64,
}

#[derive(Debug, Default)]
struct Slots {
    by_key: HashMap<String, Slot>,
    /// Keys with the claim that put them here, oldest first, for eviction. An entry whose
    /// key has since been released or claimed again is skipped when it comes up.
    order: VecDeque<(String, u64)>,
}

impl MemoryStore {
    /// At most `capacity` keys, each kept `keep` after it was handled.
    pub fn new(capacity: usize, keep: Duration) -> Self {
        Self {
            slots: Mutex::new(Slots::default()),
            capacity: capacity.max(1),
            keep: keep.min(LONGEST),
            lease: DEFAULT_LEASE,
            claims: AtomicU64::new(0),
        }
    }

    /// How long an unfinished claim holds before a redelivery may be handled (default
    /// [`DEFAULT_LEASE`]).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.min(LONGEST);
        self
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Slots>, StoreError> {
        self.slots
            .lock()
            .map_err(|_| StoreError("the in-memory store was poisoned".into()))
    }

    fn claim_now(&self, key: &str, now: Instant) -> Result<Claim, StoreError> {
        let mut slots = self.lock()?;
        match slots.by_key.get(key) {
            Some(slot) if slot.until > now && slot.done => return Ok(Claim::Duplicate),
            Some(slot) if slot.until > now => return Ok(Claim::InFlight),
            _ => {}
        }
        slots.by_key.remove(key);
        slots.evict(self.capacity, now);
        let claim = self.claims.fetch_add(1, Ordering::Relaxed);
        slots.insert(
            key,
            Slot {
                until: now + self.lease,
                done: false,
                claim,
            },
            self.capacity,
        );
        Ok(Claim::New(ClaimToken::new(claim.to_string())))
    }

    /// The slot of `key` if `token` holds it now.
    fn held<'s>(
        slots: &'s mut Slots,
        key: &str,
        token: &ClaimToken,
        now: Instant,
    ) -> Option<&'s mut Slot> {
        slots.by_key.get_mut(key).filter(|slot| {
            !slot.done && slot.until > now && token.as_str().parse() == Ok(slot.claim)
        })
    }
}

impl Default for MemoryStore {
    /// 100 000 keys, each kept a day.
    fn default() -> Self {
        Self::new(100_000, Duration::from_secs(24 * 3600))
    }
}

impl Slots {
    fn insert(&mut self, key: &str, slot: Slot, capacity: usize) {
        self.by_key.insert(key.to_owned(), slot);
        self.order.push_back((key.to_owned(), slot.claim));
        // Skipped entries pile up when keys are released and claimed again: drop them
        // once they outnumber the live ones, so the order stays within twice the capacity.
        if self.order.len() > 2 * capacity.max(self.by_key.len()) {
            let by_key = &self.by_key;
            self.order
                .retain(|(key, claim)| by_key.get(key).is_some_and(|s| s.claim == *claim));
        }
    }

    /// Makes room for one more key, oldest first: lapsed and handled keys are forgotten, a
    /// claim still being handled is kept. Each entry is looked at once at most.
    fn evict(&mut self, capacity: usize, now: Instant) {
        let mut budget = self.order.len();
        while self.by_key.len() >= capacity && budget > 0 {
            budget -= 1;
            let Some((key, claim)) = self.order.pop_front() else {
                break;
            };
            match self.by_key.get(&key) {
                Some(slot) if slot.claim != claim => {} // an older entry of a key claimed again
                Some(slot) if !slot.done && slot.until > now => self.order.push_back((key, claim)),
                Some(_) => {
                    self.by_key.remove(&key);
                }
                None => {}
            }
        }
    }
}

impl DedupStore for MemoryStore {
    fn claim<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move { self.claim_now(key, Instant::now()) })
    }

    fn renew<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            let now = Instant::now();
            Ok(Self::held(&mut slots, key, token, now)
                .map(|slot| slot.until = now + self.lease)
                .is_some())
        })
    }

    fn commit<'a>(
        &'a self,
        key: &'a str,
        _token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            let until = Instant::now() + self.keep;
            match slots.by_key.get_mut(key) {
                Some(slot) => {
                    *slot = Slot {
                        until,
                        done: true,
                        ..*slot
                    }
                }
                None => {
                    // Evicted or lapsed meanwhile: recorded again, last in the order.
                    let claim = self.claims.fetch_add(1, Ordering::Relaxed);
                    let slot = Slot {
                        until,
                        done: true,
                        claim,
                    };
                    slots.insert(key, slot, self.capacity);
                }
            }
            Ok(())
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            if Self::held(&mut slots, key, token, Instant::now()).is_some() {
                slots.by_key.remove(key);
            }
            Ok(())
        })
    }

    fn claim_lease(&self) -> Duration {
        self.lease
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

    #[tokio::test]
    async fn claim_commit_release_and_expiry() {
        let store = MemoryStore::new(2, Duration::from_secs(60)).lease(Duration::from_secs(5));
        let t0 = Instant::now();
        let first = token(store.claim_now("a", t0));
        assert_eq!(store.claim_now("a", t0), Ok(Claim::InFlight));
        // A claim nobody finished lapses after the lease; the old holder can no longer
        // renew or release the new claim.
        let second = token(store.claim_now("a", t0 + Duration::from_secs(6)));
        assert_ne!(first, second);
        assert_eq!(store.renew("a", &first).await, Ok(false));
        store.release("a", &first).await.unwrap();
        assert_eq!(store.claim_now("a", t0), Ok(Claim::InFlight), "still held");
        assert_eq!(store.renew("a", &second).await, Ok(true));
        store.release("a", &second).await.unwrap();
        let third = token(store.claim_now("a", t0));
        // Full: the oldest handled key is forgotten, an unfinished claim is not.
        let b = token(store.claim_now("b", t0));
        store.commit("b", &b).await.unwrap();
        token(store.claim_now("c", t0));
        assert!(
            matches!(store.claim_now("b", t0), Ok(Claim::New(_))),
            "b was evicted"
        );
        assert_eq!(store.claim_now("a", t0), Ok(Claim::InFlight), "a is kept");
        store.commit("a", &third).await.unwrap();
        assert_eq!(store.claim_now("a", t0), Ok(Claim::Duplicate));
    }

    #[tokio::test]
    async fn eviction_order_stays_bounded_when_keys_are_claimed_and_released_over_and_over() {
        let store = MemoryStore::new(4, Duration::from_secs(60));
        for _ in 0..1000 {
            let t = token(store.claim("k").await);
            store.release("k", &t).await.unwrap();
        }
        assert!(store.lock().unwrap().order.len() <= 8);
    }
}
