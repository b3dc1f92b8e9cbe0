//! The partner access token: fetched lazily, cached until shortly before it expires, refreshed
//! by one task at a time, and shareable across instances through a [`TokenStore`].
//!
//! # Why this matters
//!
//! Transak invalidates the previous access token every time a new one is fetched, and
//! rate-limits the refresh call. A client that refreshes per request, or per process start,
//! breaks every other holder of the old token. So:
//!
//! - a client fetches a token only when it has none, when the one it has is about to expire,
//!   or when Transak rejects it with 401;
//! - within a process, one refresh runs at a time and every task waiting for it uses its
//!   result (or its error: a failing refresh is reported to all of them, never retried in a
//!   loop);
//! - across processes, give every instance the same [`TokenStore`] (such as
//!   `RedisTokenStore`, feature `redis`): an instance uses the token another one fetched
//!   instead of fetching its own, and a refresh is claimed fleet-wide with a lease
//!   ([`TokenStore::try_lease`]), so that the instances that need a token at the same time
//!   make one refresh between them and wait for its result
//!   ([`TokenStore::wait_for_token`]). When a call is rejected with 401, the client first looks
//!   in the store for a newer token than the one rejected, then claims the lease (and looks
//!   once more once it holds it): never two refreshes for one rejection.
//!
//! # When a token is refreshed
//!
//! A token is replaced once less than the refresh margin
//! ([`ClientBuilder::refresh_margin`](crate::ClientBuilder::refresh_margin), 5 minutes by
//! default) is left before it expires, but never before half of its lifetime has passed: a
//! token that lives 2 minutes is used for 1 minute, not refreshed on every call. The lifetime
//! is known for tokens this client fetched (and for any token carrying
//! [`AccessToken::issued_at`]); for a token without it only the margin applies. Every time
//! computation saturates, so no margin or clock value can overflow.
//!
//! Where even a shared store is too much, run the refresh in one place and give the other
//! instances that token with
//! [`ClientBuilder::access_token`](crate::ClientBuilder::access_token): they never refresh.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ramp_core::{ExposeSecret, SecretString};
use time::OffsetDateTime;

/// A boxed future, for [`TokenStore`]'s object-safe async methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a [`TokenStore`] may fail with.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// A partner access token, when it expires and, where known, when it was issued.
#[derive(Clone)]
pub struct AccessToken {
    token: SecretString,
    expires_at: SystemTime,
    issued_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token valid until `expires_at`, issued at an unknown time.
    pub fn new(token: SecretString, expires_at: OffsetDateTime) -> Self {
        Self::expiring(token, system_time(expires_at))
    }

    pub(crate) fn expiring(token: SecretString, expires_at: SystemTime) -> Self {
        Self {
            token,
            expires_at,
            issued_at: None,
        }
    }

    /// The same token, recorded as issued at `issued_at`: its lifetime is then known, and it
    /// is used for at least half of it whatever the refresh margin (see the
    /// [module docs](self)). A [`TokenStore`] that serializes tokens should keep this too.
    pub fn with_issued_at(self, issued_at: OffsetDateTime) -> Self {
        self.issued(system_time(issued_at))
    }

    pub(crate) fn issued(mut self, issued_at: SystemTime) -> Self {
        self.issued_at = Some(issued_at);
        self
    }

    /// When the token was issued, where known.
    pub fn issued_at(&self) -> Option<OffsetDateTime> {
        self.issued_at.map(offset_date_time)
    }

    pub(crate) fn issued_at_system(&self) -> Option<SystemTime> {
        self.issued_at
    }

    /// The moment from which a client replaces this token: `margin` before it expires, but
    /// not before half of its known lifetime has passed.
    pub(crate) fn refresh_at(&self, margin: Duration) -> SystemTime {
        let margin = match self.issued_at {
            Some(issued) => {
                let lifetime = self
                    .expires_at
                    .duration_since(issued)
                    .unwrap_or(Duration::ZERO);
                margin.min(lifetime / 2)
            }
            None => margin,
        };
        self.expires_at.checked_sub(margin).unwrap_or(UNIX_EPOCH)
    }

    /// The token, for the `access-token` header.
    pub fn secret(&self) -> &SecretString {
        &self.token
    }

    /// When Transak says it expires (in UTC; a time past the year 9999 reads as its end).
    pub fn expires_at(&self) -> OffsetDateTime {
        offset_date_time(self.expires_at)
    }

    #[cfg(any(feature = "redis", test))]
    pub(crate) fn expires_at_system(&self) -> SystemTime {
        self.expires_at
    }

    /// Whether two tokens are the same token (the comparison is not constant-time: both are
    /// ours).
    pub(crate) fn same_as(&self, other: &SecretString) -> bool {
        self.token.expose_secret() == other.expose_secret()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"[REDACTED]")
            .field("expires_at", &self.expires_at)
            .field("issued_at", &self.issued_at)
            .finish()
    }
}

/// Where the current access token lives. The default keeps it in memory; implement this over
/// shared storage so several instances use one token (see the [module docs](self)).
///
/// ```
/// use std::sync::Mutex;
/// use ramp_transak::{AccessToken, BoxFuture, StoreError, TokenStore};
///
/// /// A stand-in for a shared store such as Redis.
/// #[derive(Default)]
/// struct Shared(Mutex<Option<AccessToken>>);
///
/// impl TokenStore for Shared {
///     fn load(&self) -> BoxFuture<'_, Result<Option<AccessToken>, StoreError>> {
///         let token = self.0.lock().map(|t| t.clone()).map_err(|e| e.to_string().into());
///         Box::pin(async move { token })
///     }
///     fn save(&self, token: AccessToken) -> BoxFuture<'_, Result<(), StoreError>> {
///         let saved = self.0.lock().map(|mut t| *t = Some(token)).map_err(|e| e.to_string().into());
///         Box::pin(async move { saved })
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync + 'static {
    /// The stored token, if any.
    fn load(&self) -> BoxFuture<'_, Result<Option<AccessToken>, StoreError>>;
    /// Replaces the stored token with a newly fetched one.
    fn save(&self, token: AccessToken) -> BoxFuture<'_, Result<(), StoreError>>;

    /// The token the last refresh replaced, while webhooks signed with it may still arrive;
    /// a store shared by several processes keeps it, so that a receiver verifies what a
    /// refresh elsewhere replaced. The default keeps none.
    fn load_previous(&self) -> BoxFuture<'_, Result<Option<AccessToken>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    /// Claims the right to refresh the token for every instance sharing this store, for a
    /// limited time (a lease that expires on its own if its holder dies): `Some(lease)` when
    /// this instance may refresh now, `None` when another instance holds the claim (then
    /// [`wait_for_token`](Self::wait_for_token) for its result).
    ///
    /// The default, for a store private to one process, always grants it: one process needs
    /// no claim beyond the client's own single flight.
    fn try_lease(&self) -> BoxFuture<'_, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(async { Ok(Some(RefreshLease::new("local"))) })
    }

    /// Gives back a lease from [`try_lease`](Self::try_lease), only if it is still held by
    /// its owner (never someone else's that took over after it expired).
    fn release(&self, lease: RefreshLease) -> BoxFuture<'_, Result<(), StoreError>> {
        let _ = lease;
        Box::pin(async { Ok(()) })
    }

    /// Waits, for at most the lease's lifetime, until a token other than `other_than` is
    /// saved (by any instance), and returns it; `None` when none came. It must not busy-wait.
    ///
    /// The default loads the token once, without waiting.
    fn wait_for_token<'a>(
        &'a self,
        other_than: Option<&'a SecretString>,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>> {
        Box::pin(async move {
            Ok(self
                .load()
                .await?
                .filter(|token| other_than.is_none_or(|other| !token.same_as(other))))
        })
    }
}

/// A claim to refresh the token for all instances sharing a [`TokenStore`], held until it is
/// released or it expires. The owner is an id of the claiming instance, so that only the
/// owner can release it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshLease {
    owner: String,
}

impl RefreshLease {
    /// A lease owned by `owner`.
    pub fn new(owner: impl Into<String>) -> Self {
        Self {
            owner: owner.into(),
        }
    }

    /// The owner's id.
    pub fn owner(&self) -> &str {
        &self.owner
    }
}

/// The default store: the token lives in this process.
#[derive(Default)]
pub struct MemoryTokenStore {
    token: std::sync::Mutex<Option<AccessToken>>,
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore").finish_non_exhaustive()
    }
}

impl MemoryTokenStore {
    /// A store that already holds `token`.
    pub(crate) fn holding(token: AccessToken) -> Self {
        Self {
            token: std::sync::Mutex::new(Some(token)),
        }
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<AccessToken>, StoreError>> {
        let token = self.token.lock().map(|t| t.clone()).unwrap_or(None);
        Box::pin(async move { Ok(token) })
    }

    fn save(&self, token: AccessToken) -> BoxFuture<'_, Result<(), StoreError>> {
        if let Ok(mut slot) = self.token.lock() {
            *slot = Some(token);
        }
        Box::pin(async { Ok(()) })
    }
}

/// The clock, as Unix seconds.
pub(crate) type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The clock's reading as a time. A reading too large for `SystemTime` counts as the far
/// future, so a broken clock makes tokens look expired (one refresh too many), never valid.
pub(crate) fn unix_time(clock: &Clock) -> SystemTime {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(clock()))
        .unwrap_or(far_future())
}

/// `at` as an `OffsetDateTime` in UTC, saturating at the ends of its range (years ±9999)
/// instead of panicking.
pub(crate) fn offset_date_time(at: SystemTime) -> OffsetDateTime {
    let seconds = match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs())
            .map(|s| -s)
            .unwrap_or(i64::MIN),
    };
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(if seconds < 0 {
        time::PrimitiveDateTime::MIN.assume_utc()
    } else {
        time::PrimitiveDateTime::MAX.assume_utc()
    })
}

/// `at` as a `SystemTime` (whole seconds; every `OffsetDateTime` fits).
pub(crate) fn system_time(at: OffsetDateTime) -> SystemTime {
    let seconds = at.unix_timestamp();
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(magnitude).unwrap_or(far_future())
    } else {
        UNIX_EPOCH.checked_sub(magnitude).unwrap_or(UNIX_EPOCH)
    }
}

/// A time no token reaches: 2^33 seconds after the epoch, in the year 2242.
pub(crate) fn far_future() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1 << 33)
}

pub(crate) fn system_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `expiresAt` from Transak: seconds, or milliseconds when above 1e11 (a seconds value that
/// large is the year 5138; Transak's unit is not confirmed).
pub(crate) fn expiry(expires_at: u64) -> SystemTime {
    let seconds = if expires_at > 100_000_000_000 {
        expires_at / 1000
    } else {
        expires_at
    };
    UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .unwrap_or(far_future())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refresh_point_never_overflows_and_keeps_half_the_lifetime() {
        let at = |s: u64| UNIX_EPOCH + Duration::from_secs(s);
        let token = AccessToken::expiring(SecretString::from("t"), at(1_000));
        assert_eq!(token.refresh_at(Duration::from_secs(300)), at(700));
        assert_eq!(token.refresh_at(Duration::MAX), UNIX_EPOCH);
        let issued = token.clone().issued(at(880));
        // Lifetime 120 s: the 300 s margin shrinks to 60 s.
        assert_eq!(issued.refresh_at(Duration::from_secs(300)), at(940));
        assert_eq!(issued.refresh_at(Duration::MAX), at(940));
        assert_eq!(issued.refresh_at(Duration::from_secs(10)), at(990));
        // Issued "after" it expires (a broken store): no lifetime, refresh at expiry.
        let odd = token.issued(at(2_000));
        assert_eq!(odd.refresh_at(Duration::from_secs(300)), at(1_000));
        let clock: Clock = Arc::new(|| u64::MAX);
        assert_eq!(unix_time(&clock), far_future());
    }

    #[test]
    fn expiry_reads_seconds_and_milliseconds() {
        let seconds = expiry(1_795_420_800);
        assert_eq!(seconds, expiry(1_795_420_800_000));
        // The largest value Transak could send is milliseconds, far in the future, not a panic.
        assert_eq!(
            expiry(u64::MAX),
            UNIX_EPOCH + Duration::from_secs(u64::MAX / 1000)
        );
        assert_eq!(
            seconds.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_795_420_800
        );
    }

    #[test]
    fn public_times_are_offset_date_times_and_never_panic() {
        let at = OffsetDateTime::from_unix_timestamp(1_795_420_800).unwrap();
        let token = AccessToken::new(SecretString::from("t"), at).with_issued_at(at);
        assert_eq!(token.expires_at(), at);
        assert_eq!(token.issued_at(), Some(at));
        assert_eq!(token.expires_at_system(), expiry(1_795_420_800));
        // Far beyond the year 9999 (milliseconds read as seconds): the end of the range.
        let far = AccessToken::expiring(SecretString::from("t"), expiry(u64::MAX));
        assert_eq!(far.expires_at().year(), 9999);
        let before = offset_date_time(UNIX_EPOCH - Duration::from_secs(86_400));
        assert_eq!(before.unix_timestamp(), -86_400);
        assert_eq!(
            system_time(before),
            UNIX_EPOCH - Duration::from_secs(86_400)
        );
    }
}
