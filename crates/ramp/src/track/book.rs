//! The orders a tracker follows, and when each is read next: in memory, or in Redis or
//! Postgres so that they survive a restart and every replica shares them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::{Provider, StoreError};

/// An order to follow to its end.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderRef {
    /// Its provider.
    pub provider: Provider,
    /// The provider's order id, as in [`OrderEvent::order_id`](crate::OrderEvent::order_id).
    pub order_id: String,
    /// Your reference, where the provider's status read needs it: Koinal's
    /// `customer_reference` (its read is signed for that customer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_reference: Option<String>,
}

impl OrderRef {
    /// `order_id` at `provider`.
    pub fn new(provider: Provider, order_id: impl Into<String>) -> Self {
        Self {
            provider,
            order_id: order_id.into(),
            partner_reference: None,
        }
    }

    /// With your reference (Koinal: the customer reference the order was made for).
    pub fn partner_reference(mut self, reference: impl Into<String>) -> Self {
        self.partner_reference = Some(reference.into());
        self
    }

    /// `provider:order_id` (a `:` or `%` in the id escaped): its name in a book.
    pub fn key(&self) -> String {
        format!(
            "{}:{}",
            self.provider,
            ramp_core::webhook::key_part(&self.order_id)
        )
    }
}

/// A followed order and what the tracker knows of it (a book stores it as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BookEntry {
    /// The order.
    pub order: OrderRef,
    /// The provider's status last handled, if any.
    pub last_status: Option<String>,
    /// The wait before the next read, in milliseconds (it doubles while nothing changes).
    pub wait_ms: u64,
    /// Reads refused in a row (an unknown order, a bad credential); the order is given up
    /// after [`MAX_REFUSED`](super::MAX_REFUSED).
    #[serde(default)]
    pub refused: u32,
    /// When it was first followed, in milliseconds since the Unix epoch (the clock of the
    /// replica that followed it): it is given up after the tracker's maximum age.
    #[serde(default)]
    pub since_ms: u64,
    /// Whether the order is known to exist: followed from a verified event or by you, or
    /// read once. An order only an unsigned hint named (Proof's) that its provider never knew
    /// is given up after a shorter time (a read that lagged a new order has caught up by
    /// then).
    #[serde(default = "seen_by_default")]
    pub seen: bool,
    /// Which taking of it this reader holds (set by [`OrderBook::take_due`], in the book's
    /// own clock); only that holder's [`reschedule`](OrderBook::reschedule) counts.
    #[serde(skip)]
    pub held_until: u64,
}

/// An entry written before `seen` existed was followed as a known order.
fn seen_by_default() -> bool {
    true
}

impl BookEntry {
    /// A new entry for `order`, known to exist, followed from now, read first at once and
    /// then after `wait_ms`.
    pub fn new(order: OrderRef, wait_ms: u64) -> Self {
        Self {
            order,
            last_status: None,
            wait_ms,
            refused: 0,
            since_ms: now_ms(),
            seen: true,
            held_until: 0,
        }
    }
}

impl BookEntry {
    /// As a book stores it.
    #[allow(dead_code)] // used by the Redis and Postgres books
    pub(crate) fn to_json(&self) -> Result<String, StoreError> {
        serde_json::to_string(self).map_err(|err| StoreError(format!("an entry: {err}")))
    }

    /// An entry a book stored, taken by the reader that holds it until `held_until`; `None`
    /// (logged) for one written by another version, left to it and taken again after the
    /// lease.
    #[allow(dead_code)] // used by the Redis and Postgres books
    pub(crate) fn taken(json: &str, held_until: u64, book: &str) -> Option<Self> {
        match serde_json::from_str::<Self>(json) {
            Ok(entry) => Some(Self {
                held_until,
                ..entry
            }),
            Err(err) => {
                tracing::error!(%err, book, "a followed order could not be read");
                None
            }
        }
    }
}

/// Milliseconds since the Unix epoch, by this replica's clock.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, ms)
}

pub(crate) fn ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Where a tracker keeps the orders it follows. Times are the book's own (its clock, or its
/// server's, so that replicas whose clocks disagree share one book): callers give waits and
/// leases, never instants. Taking the due orders is atomic: an order is handed to one
/// caller, and to no other until the lease has passed (it is rescheduled before then, or its
/// reader died and another takes it over).
///
/// Implement it with [`async_trait`](crate::store::async_trait);
/// `ramp::store::conformance` (feature `test-util`) checks a book of your own.
#[async_trait::async_trait]
pub trait OrderBook: Send + Sync + 'static {
    /// Follows `entry.order`, due at once; `false` (and nothing changes) when it is followed
    /// already.
    async fn follow(&self, entry: &BookEntry) -> Result<bool, StoreError>;
    /// Up to `max` orders due now, earliest first, each taken for `lease` (its `held_until`
    /// set to name this taking). Found without looking at the orders not due.
    async fn take_due(&self, lease: Duration, max: usize) -> Result<Vec<BookEntry>, StoreError>;
    /// Records what was learnt of a followed order and reads it next after `wait` (at once
    /// if it was poked while taken): nothing if it is no longer followed, or was taken since
    /// by another reader (its lease had lapsed).
    async fn reschedule(&self, entry: &BookEntry, wait: Duration) -> Result<(), StoreError>;
    /// Makes a followed order due now; `false` when it is not followed.
    async fn poke(&self, order: &OrderRef) -> Result<bool, StoreError>;
    /// Stops following an order.
    async fn close(&self, order: &OrderRef) -> Result<(), StoreError>;
    /// How many orders are followed.
    async fn count(&self) -> Result<usize, StoreError>;
}
