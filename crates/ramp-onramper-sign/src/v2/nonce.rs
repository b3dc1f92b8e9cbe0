//! Single use: remembering nonces for as long as their signatures could still verify.

use std::collections::HashMap;
use std::sync::Mutex;

use time::OffsetDateTime;
use uuid::Uuid;

use super::VerifyError;
use super::options::{self, FUTURE_SKEW, MAX_EXPIRY};

/// The nonces seen, each kept until its signature can no longer verify (30 minutes and the
/// skew after its timestamp, the longest a widget URL lives), so memory stays bounded by
/// the rate of valid signatures. For one process; a fleet needs a shared store.
///
/// ```
/// use ramp_onramper_sign::v2::{NonceCache, VerifyError};
/// use time::OffsetDateTime;
///
/// let cache = NonceCache::new();
/// let nonce = "550e8400-e29b-41d4-a716-446655440000".parse().unwrap();
/// let now = OffsetDateTime::now_utc();
/// cache.check(nonce, now, now)?;
/// assert_eq!(cache.check(nonce, now, now), Err(VerifyError::NonceReused));
/// # Ok::<(), VerifyError>(())
/// ```
#[derive(Debug, Default)]
pub struct NonceCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Each nonce, with when it may be forgotten.
    seen: HashMap<Uuid, OffsetDateTime>,
    /// The size at which forgotten nonces are next swept out: doubling keeps the sweeps'
    /// cost constant per nonce on average.
    sweep_at: usize,
}

/// The smallest size at which a sweep runs.
const MIN_SWEEP: usize = 1024;

impl NonceCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `nonce` (of a signature made at `timestamp`) at `now`; refuses it with
    /// [`VerifyError::NonceReused`] if it was recorded before and could still verify.
    pub fn check(
        &self,
        nonce: Uuid,
        timestamp: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(), VerifyError> {
        let forget_after = options::plus(timestamp, MAX_EXPIRY + FUTURE_SKEW).unwrap_or(timestamp);
        let mut inner = match self.inner.lock() {
            Ok(inner) => inner,
            Err(poisoned) => poisoned.into_inner(),
        };
        if inner.seen.get(&nonce).is_some_and(|until| *until >= now) {
            return Err(VerifyError::NonceReused);
        }
        inner.seen.insert(nonce, forget_after);
        if inner.seen.len() >= inner.sweep_at.max(MIN_SWEEP) {
            inner.seen.retain(|_, until| *until >= now);
            inner.sweep_at = inner.seen.len() * 2;
        }
        Ok(())
    }

    /// How many nonces are remembered (forgotten ones are swept out from time to time).
    pub fn len(&self) -> usize {
        self.inner.lock().map(|inner| inner.seen.len()).unwrap_or(0)
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
