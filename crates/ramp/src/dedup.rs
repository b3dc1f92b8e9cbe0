//! Which events were handled: claimed before the handler runs, committed when it succeeds,
//! released when it fails.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A boxed future, as the store's methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What claiming an event's key found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// Nobody handled it: the caller handles it, then commits or releases.
    New,
    /// It was handled: do nothing.
    Duplicate,
    /// Another delivery of it is being handled right now: answer so that the provider
    /// delivers again later (if that handling fails, the redelivery is handled).
    InFlight,
}

/// The store could not be reached or refused the operation; nothing was handled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the store of handled events failed: {0}")]
pub struct StoreError(pub String);

/// The store of handled event keys. Claiming is atomic: of any number of concurrent claims
/// of one key, one is [`Claim::New`].
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `key` for handling.
    fn claim<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Claim, StoreError>>;
    /// Marks `key` handled: later claims are duplicates.
    fn commit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Gives up a claim (the handler failed): the next delivery of `key` is handled.
    fn release<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    /// Claimed; the claim lapses at this instant (a handler that never ended).
    InFlight(Instant),
    /// Handled; forgotten at this instant.
    Done(Instant),
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
}

#[derive(Debug, Default)]
struct Slots {
    by_key: HashMap<String, Slot>,
    /// Keys in the order they were first claimed, for eviction.
    order: VecDeque<String>,
}

/// How long a claim holds when its handler neither commits nor releases (it was dropped).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

impl MemoryStore {
    /// At most `capacity` keys, each kept `keep` after it was handled.
    pub fn new(capacity: usize, keep: Duration) -> Self {
        Self {
            slots: Mutex::new(Slots::default()),
            capacity: capacity.max(1),
            keep,
            lease: DEFAULT_LEASE,
        }
    }

    /// How long an unfinished claim holds before a redelivery may be handled (default
    /// [`DEFAULT_LEASE`]).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
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
            Some(Slot::Done(until)) if *until > now => return Ok(Claim::Duplicate),
            Some(Slot::InFlight(until)) if *until > now => return Ok(Claim::InFlight),
            Some(_) => {}
            None => {
                slots.evict(self.capacity, now);
                slots.order.push_back(key.to_owned());
            }
        }
        slots
            .by_key
            .insert(key.to_owned(), Slot::InFlight(now + self.lease));
        Ok(Claim::New)
    }
}

impl Default for MemoryStore {
    /// 100 000 keys, each kept a day.
    fn default() -> Self {
        Self::new(100_000, Duration::from_secs(24 * 3600))
    }
}

impl Slots {
    /// Makes room for one more key: lapsed keys first, then the oldest handled one.
    fn evict(&mut self, capacity: usize, now: Instant) {
        if self.by_key.len() < capacity {
            return;
        }
        self.by_key.retain(|_, slot| match slot {
            Slot::Done(until) | Slot::InFlight(until) => *until > now,
        });
        self.order.retain(|key| self.by_key.contains_key(key));
        while self.by_key.len() >= capacity {
            let Some(oldest) = self
                .order
                .iter()
                .position(|key| matches!(self.by_key.get(key), Some(Slot::Done(_))))
            else {
                break;
            };
            if let Some(key) = self.order.remove(oldest) {
                self.by_key.remove(&key);
            }
        }
    }
}

impl DedupStore for MemoryStore {
    fn claim<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move { self.claim_now(key, Instant::now()) })
    }

    fn commit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            let known = slots
                .by_key
                .insert(key.to_owned(), Slot::Done(Instant::now() + self.keep))
                .is_some();
            if !known {
                // Evicted meanwhile: back in the eviction order.
                slots.order.push_back(key.to_owned());
            }
            Ok(())
        })
    }

    fn release<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            if matches!(slots.by_key.get(key), Some(Slot::InFlight(_))) {
                slots.by_key.remove(key);
                slots.order.retain(|k| k != key);
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_commit_release_and_expiry() {
        let store = MemoryStore::new(2, Duration::from_secs(60)).lease(Duration::from_secs(5));
        let t0 = Instant::now();
        assert_eq!(store.claim_now("a", t0), Ok(Claim::New));
        assert_eq!(store.claim_now("a", t0), Ok(Claim::InFlight));
        // A claim nobody finished lapses after the lease.
        assert_eq!(
            store.claim_now("a", t0 + Duration::from_secs(6)),
            Ok(Claim::New)
        );
        // Full: the oldest handled key is forgotten, an unfinished claim is not.
        assert_eq!(store.claim_now("b", t0), Ok(Claim::New));
        let mut slots = store.lock().unwrap();
        slots
            .by_key
            .insert("b".into(), Slot::Done(t0 + Duration::from_secs(60)));
        drop(slots);
        assert_eq!(store.claim_now("c", t0), Ok(Claim::New));
        assert_eq!(store.claim_now("b", t0), Ok(Claim::New), "b was evicted");
    }
}
