//! The orders a tracker follows, and when each is read next: in memory, or in Redis so that
//! they survive a restart and every replica shares them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::{BoxFuture, Provider, StoreError};

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
    /// Until when the reader that took it holds it (set by [`OrderBook::take_due`]); only
    /// that holder's [`reschedule`](OrderBook::reschedule) counts.
    #[serde(skip)]
    pub held_until: u64,
}

impl BookEntry {
    /// A new entry for `order`, read first after `wait_ms`.
    pub fn new(order: OrderRef, wait_ms: u64) -> Self {
        Self {
            order,
            last_status: None,
            wait_ms,
            refused: 0,
            held_until: 0,
        }
    }
}

/// Milliseconds since the Unix epoch: every replica's clock, so a book in Redis is shared.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

pub(crate) fn ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Where a tracker keeps the orders it follows. Taking the due orders is atomic: an order is
/// handed to one caller, and to no other until `lease_ms` have passed (it is rescheduled
/// before then, or its reader died and another takes it over).
pub trait OrderBook: Send + Sync + 'static {
    /// Follows `entry.order`, due at `due_ms`; `false` (and nothing changes) when it is
    /// followed already.
    fn follow<'a>(
        &'a self,
        entry: &'a BookEntry,
        due_ms: u64,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    /// Up to `max` orders due by `due_by_ms`, each taken for `lease_ms` from `now_ms` (its
    /// `held_until` set to `now_ms + lease_ms`).
    fn take_due(
        &self,
        due_by_ms: u64,
        now_ms: u64,
        lease_ms: u64,
        max: usize,
    ) -> BoxFuture<'_, Result<Vec<BookEntry>, StoreError>>;
    /// Records what was learnt of a followed order and when to read it next: nothing if it
    /// is no longer followed, or was taken since by another reader (its lease had lapsed).
    fn reschedule<'a>(
        &'a self,
        entry: &'a BookEntry,
        due_ms: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Makes a followed order due at `now_ms`; `false` when it is not followed.
    fn poke<'a>(
        &'a self,
        order: &'a OrderRef,
        now_ms: u64,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    /// Stops following an order.
    fn close<'a>(&'a self, order: &'a OrderRef) -> BoxFuture<'a, Result<(), StoreError>>;
    /// How many orders are followed.
    fn count(&self) -> BoxFuture<'_, Result<usize, StoreError>>;
}

/// Followed orders in this process's memory: they do not survive a restart (use
/// [`RedisBook`](super::RedisBook) for that).
#[derive(Debug, Default)]
pub struct MemoryBook {
    slots: Mutex<HashMap<String, Slot>>,
}

#[derive(Debug)]
struct Slot {
    entry: BookEntry,
    due_ms: u64,
    /// Taken by a reader until then.
    leased_until: u64,
    /// Poked while taken: due at once when rescheduled.
    poked: bool,
}

impl MemoryBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Slot>>, StoreError> {
        self.slots
            .lock()
            .map_err(|_| StoreError("the in-memory book was poisoned".into()))
    }
}

impl OrderBook for MemoryBook {
    fn follow<'a>(
        &'a self,
        entry: &'a BookEntry,
        due_ms: u64,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            let id = entry.order.key();
            if slots.contains_key(&id) {
                return Ok(false);
            }
            let slot = Slot {
                entry: entry.clone(),
                due_ms,
                leased_until: 0,
                poked: false,
            };
            slots.insert(id, slot);
            Ok(true)
        })
    }

    fn take_due(
        &self,
        due_by_ms: u64,
        now_ms: u64,
        lease_ms: u64,
        max: usize,
    ) -> BoxFuture<'_, Result<Vec<BookEntry>, StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            let mut due: Vec<_> = slots
                .values_mut()
                .filter(|s| s.due_ms <= due_by_ms)
                .collect();
            due.sort_by_key(|slot| slot.due_ms);
            let until = now_ms.saturating_add(lease_ms);
            Ok(due
                .into_iter()
                .take(max)
                .map(|slot| {
                    (slot.due_ms, slot.leased_until) = (until, until);
                    BookEntry {
                        held_until: until,
                        ..slot.entry.clone()
                    }
                })
                .collect())
        })
    }

    fn reschedule<'a>(
        &'a self,
        entry: &'a BookEntry,
        due_ms: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            let held = slots.get_mut(&entry.order.key());
            // Only the holder (or, for an order nobody took, a caller that took nothing).
            if let Some(slot) = held.filter(|slot| slot.leased_until == entry.held_until) {
                let due_ms = if slot.poked {
                    due_ms.min(now_ms())
                } else {
                    due_ms
                };
                *slot = Slot {
                    entry: BookEntry {
                        held_until: 0,
                        ..entry.clone()
                    },
                    due_ms,
                    leased_until: 0,
                    poked: false,
                };
            }
            Ok(())
        })
    }

    fn poke<'a>(
        &'a self,
        order: &'a OrderRef,
        now_ms: u64,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let mut slots = self.lock()?;
            let Some(slot) = slots.get_mut(&order.key()) else {
                return Ok(false);
            };
            if slot.leased_until > now_ms {
                slot.poked = true; // being read: read again as soon as that read is done
            } else {
                slot.due_ms = slot.due_ms.min(now_ms);
            }
            Ok(true)
        })
    }

    fn close<'a>(&'a self, order: &'a OrderRef) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.lock()?.remove(&order.key());
            Ok(())
        })
    }

    fn count(&self) -> BoxFuture<'_, Result<usize, StoreError>> {
        Box::pin(async move { Ok(self.lock()?.len()) })
    }
}
