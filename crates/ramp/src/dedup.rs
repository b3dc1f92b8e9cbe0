//! Which events were handled: claimed before the handler runs, committed when it succeeds,
//! released when it fails.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed future, as the store's methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What claiming an event's key found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// Nobody handled it: the caller handles it, then commits or releases with the token
    /// (and renews the claim while the handling lasts longer than the lease).
    New(ClaimToken),
    /// It was handled: do nothing.
    Duplicate,
    /// Another delivery of it is being handled right now: answer so that the provider
    /// delivers again later (if that handling fails, the redelivery is handled).
    InFlight,
}

/// Whose claim a key is under: only the holder renews or releases it, so a handler that
/// outlived its lease cannot give up a claim another delivery has made since.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClaimToken(String);

impl ClaimToken {
    /// A token with this text: for implementors of [`DedupStore`], whose tokens must be
    /// unique among every claim any replica sharing the store makes (random, not a counter,
    /// when several processes share it).
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Its text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The store could not be reached or refused the operation; nothing was handled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the store of handled events failed: {0}")]
pub struct StoreError(pub String);

/// The store of handled event keys. Claiming is atomic: of any number of concurrent claims
/// of one key, one is [`Claim::New`]. A claim holds for [`claim_lease`](Self::claim_lease)
/// unless it is renewed, so that a process that died while handling does not block the key
/// for ever.
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `key` for handling.
    fn claim<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Claim, StoreError>>;
    /// Extends the claim by another lease, if `token` still holds it; `false` when it lapsed
    /// and was claimed again, or was handled.
    fn renew<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    /// Marks `key` handled: later claims are duplicates. `token` names the claim whose
    /// handler succeeded; a store may record the key whoever holds the claim now (both
    /// stores here do: the event was handled, and that is what later claims must learn).
    fn commit<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Gives up the claim `token` holds (the handler failed): the next delivery of `key` is
    /// handled. A claim made since by someone else, or a handled key, is left as it is.
    fn release<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// How long a claim holds without a renewal.
    fn claim_lease(&self) -> Duration;
}

/// How long a claim holds when its handler neither commits nor releases (it was dropped).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

/// The longest a store keeps a key or a claim (ten years): a longer one is taken as this.
pub(crate) const LONGEST: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
