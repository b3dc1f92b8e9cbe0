//! Which events were handled: claimed before the handler runs, committed when it succeeds,
//! released when it fails; and which orders ended, for good.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::Unreadable;

/// A boxed future, as the store's methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a store is asked about an event: the event's key, its order's key, and how final its
/// status is. Made by [`OrderEvent::key`](crate::OrderEvent::key).
///
/// The rule every store keeps: once an event whose [`finality`](Self::finality) is `f > 0` was
/// committed, no event of that order whose finality is `f` or less is ever handled again
/// ([`Claim::Ended`]), however long ago that was: a final status may be followed only by a
/// final status that may follow another (refunded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventKey {
    event: String,
    order: String,
    finality: u8,
}

impl EventKey {
    /// The key of an event: `event` names it (`provider:order_id:provider_status`), `order` its
    /// order (`provider:order_id`), `finality` how final its status is (0: not final; 1: final;
    /// 2: a final status that may follow another, refunded).
    pub fn new(event: impl Into<String>, order: impl Into<String>, finality: u8) -> Self {
        Self {
            event: event.into(),
            order: order.into(),
            finality,
        }
    }

    /// The event: `provider:order_id:provider_status`.
    pub fn event(&self) -> &str {
        &self.event
    }

    /// Its order: `provider:order_id`.
    pub fn order(&self) -> &str {
        &self.order
    }

    /// 0 when the status is not final, 1 when it is (completed, failed, cancelled, expired), 2
    /// for refunded, the one final status that may follow another.
    pub fn finality(&self) -> u8 {
        self.finality
    }

    /// Whether an order that ended with finality `ended` (0: it has not ended) excludes this
    /// event: it ended, and this event is not a final status that may follow its end.
    pub fn is_ended_by(&self, ended: u8) -> bool {
        ended > 0 && self.finality <= ended
    }
}

/// What claiming an event found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// Nobody handled it: the caller handles it, then commits or releases with the token
    /// (and renews the claim while the handling lasts longer than the lease).
    New(ClaimToken),
    /// It was handled: do nothing.
    Duplicate,
    /// Its order ended (a final status was handled) before it: it is never handled.
    Ended,
    /// An event of the same order is being handled right now: answer so that the provider
    /// delivers again later (if that handling fails, the redelivery is handled).
    InFlight,
}

/// Whose claim an order is under: only the holder renews or releases it, so a handler that
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

/// The store could not be reached, is full, or refused the operation; nothing was handled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the store of handled events failed: {0}")]
pub struct StoreError(pub String);

/// The store of handled events. Claiming is atomic: of any number of concurrent claims of
/// events of one order, one is [`Claim::New`], so one order's events are handled one at a
/// time. A claim holds for [`claim_lease`](Self::claim_lease) unless it is renewed, so that
/// a process that died while handling does not block the order for ever.
///
/// What a store promises, and the tests every store here passes: a committed event is a
/// [`Claim::Duplicate`] for at least the store's keep time; an order whose final status was
/// committed ends for good ([`EventKey`] says which final status may still follow); a store
/// that cannot keep these promises (full, or evicting) refuses the claim with a
/// [`StoreError`] instead of forgetting.
///
/// Implement it with [`async_trait`](crate::store::async_trait) (re-exported here, so no
/// dependency of your own is needed); `ramp::store::conformance` (feature `test-util`) runs
/// these promises against your store. A whole example store is in the [module
/// docs](crate::store).
#[async_trait::async_trait]
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `key`'s order for handling `key`'s event.
    async fn claim(&self, key: &EventKey) -> Result<Claim, StoreError>;
    /// Extends the claim by another lease, if `token` still holds it; `false` when it lapsed
    /// and was claimed again.
    async fn renew(&self, key: &EventKey, token: &ClaimToken) -> Result<bool, StoreError>;
    /// Marks `key`'s event handled (and, for a final status, its order ended) and gives up
    /// the claim `token` holds. The event is recorded whoever holds the claim now: it was
    /// handled, and that is what later claims must learn.
    async fn commit(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError>;
    /// Gives up the claim `token` holds (the handler failed): the next delivery of the event
    /// is handled. A claim made since by someone else is left as it is.
    async fn release(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError>;
    /// How long a claim holds without a renewal.
    fn claim_lease(&self) -> Duration;

    /// Keeps a genuine delivery that could not be read (one record per provider and body:
    /// a redelivery of it counts, and changes nothing else), for [`unreadable`](Self::unreadable)
    /// to list.
    async fn keep_unreadable(&self, delivery: &Unreadable) -> Result<(), StoreError>;
    /// The unreadable deliveries kept, oldest first.
    async fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError>;
    /// Forgets the unreadable delivery `id` (once it was handed back and handled).
    async fn forget_unreadable(&self, id: &str) -> Result<(), StoreError>;
}

/// How long a claim holds when its handler neither commits nor releases (it was dropped).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

/// The shortest lease a store takes: a shorter one (zero included) is taken as this, since a
/// claim must outlive the round trip that renews it.
pub const SHORTEST_LEASE: Duration = Duration::from_secs(1);

/// How long a handled event that is not final is remembered by default: 30 days, longer than
/// any provider here redelivers.
pub const DEFAULT_KEEP: Duration = Duration::from_secs(30 * 24 * 3600);

/// The longest a store keeps a key or a claim (ten years): a longer one is taken as this.
pub(crate) const LONGEST: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// `lease` within the bounds every store keeps.
pub(crate) fn bounded_lease(lease: Duration) -> Duration {
    lease.clamp(SHORTEST_LEASE, LONGEST)
}

/// The claim a store's script or function answered: `new` (under `token`), `done`, `ended`,
/// or anything else (`inflight`, a token) for a claim someone holds.
#[cfg(any(feature = "redis", feature = "postgres"))]
pub(crate) fn claim_of(answer: &str, token: ClaimToken) -> Claim {
    match answer {
        "new" => Claim::New(token),
        "done" => Claim::Duplicate,
        "ended" => Claim::Ended,
        _ => Claim::InFlight,
    }
}

/// Gives up a claim whose answer was lost (the store went down in between: it may have been
/// made with nobody acting on it), as soon as the store answers again, and only while `token`
/// still holds it; tried until the claim would have lapsed anyway. Run it in a task.
#[cfg(any(feature = "redis", feature = "postgres"))]
pub(crate) async fn give_up<S: DedupStore>(store: S, key: EventKey, token: ClaimToken) {
    let started = tokio::time::Instant::now();
    let mut wait = Duration::from_millis(100);
    while started.elapsed() < store.claim_lease() {
        tokio::time::sleep(wait).await;
        if store.release(&key, &token).await.is_ok() {
            return;
        }
        wait = (wait * 2).min(Duration::from_secs(5));
    }
}
