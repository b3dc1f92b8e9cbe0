//! Followed orders in this process's memory.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::book::{BookEntry, OrderBook, OrderRef, ms};
use crate::StoreError;

/// Followed orders in this process's memory: they do not survive a restart (use
/// [`RedisBook`](super::RedisBook) or [`PgBook`](crate::postgres::PgBook) for that). The due
/// orders are found in an index by due time, without looking at the others.
#[derive(Debug)]
pub struct MemoryBook {
    inner: Mutex<Inner>,
    start: Instant,
}

#[derive(Debug, Default)]
struct Inner {
    slots: HashMap<String, Slot>,
    /// Every followed order by the time it is due (ms of the book's clock).
    due: BTreeSet<(u64, String)>,
}

#[derive(Debug)]
struct Slot {
    entry: BookEntry,
    due_ms: u64,
    /// Taken by a reader until then (0: not taken).
    leased_until: u64,
    /// Poked while taken: due at once when rescheduled.
    poked: bool,
}

impl Inner {
    fn set_due(&mut self, id: &str, due_ms: u64) {
        if let Some(slot) = self.slots.get_mut(id) {
            self.due.remove(&(slot.due_ms, id.to_owned()));
            slot.due_ms = due_ms;
            self.due.insert((due_ms, id.to_owned()));
        }
    }
}

impl MemoryBook {
    /// An empty book.
    pub fn new() -> Self {
        Self {
            inner: Mutex::default(),
            start: Instant::now(),
        }
    }

    /// The book's clock: milliseconds since it was made, from 1.
    fn now(&self) -> u64 {
        ms(self.start.elapsed()).saturating_add(1)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError("the in-memory book was poisoned".into()))
    }
}

impl Default for MemoryBook {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl OrderBook for MemoryBook {
    async fn follow(&self, entry: &BookEntry) -> Result<bool, StoreError> {
        let now = self.now();
        let mut inner = self.lock()?;
        let id = entry.order.key();
        if inner.slots.contains_key(&id) {
            return Ok(false);
        }
        let slot = Slot {
            entry: entry.clone(),
            due_ms: now,
            leased_until: 0,
            poked: false,
        };
        inner.slots.insert(id.clone(), slot);
        inner.due.insert((now, id));
        Ok(true)
    }

    async fn take_due(&self, lease: Duration, max: usize) -> Result<Vec<BookEntry>, StoreError> {
        let now = self.now();
        let until = now.saturating_add(ms(lease));
        let mut inner = self.lock()?;
        let due: Vec<String> = inner
            .due
            .iter()
            .take_while(|(due, _)| *due <= now)
            .take(max)
            .map(|(_, id)| id.clone())
            .collect();
        let mut taken = Vec::with_capacity(due.len());
        for id in due {
            inner.set_due(&id, until);
            if let Some(slot) = inner.slots.get_mut(&id) {
                slot.leased_until = until;
                taken.push(BookEntry {
                    held_until: until,
                    ..slot.entry.clone()
                });
            }
        }
        Ok(taken)
    }

    async fn reschedule(&self, entry: &BookEntry, wait: Duration) -> Result<(), StoreError> {
        let now = self.now();
        let mut inner = self.lock()?;
        let id = entry.order.key();
        // Only the holder (or, for an order nobody took, a caller that took nothing).
        let Some(slot) = inner
            .slots
            .get_mut(&id)
            .filter(|slot| slot.leased_until == entry.held_until)
        else {
            return Ok(());
        };
        let due = if slot.poked {
            now
        } else {
            now.saturating_add(ms(wait))
        };
        *slot = Slot {
            entry: BookEntry {
                held_until: 0,
                ..entry.clone()
            },
            leased_until: 0,
            poked: false,
            ..*slot
        };
        inner.set_due(&id, due);
        Ok(())
    }

    async fn poke(&self, order: &OrderRef) -> Result<bool, StoreError> {
        let now = self.now();
        let mut inner = self.lock()?;
        let id = order.key();
        let Some(slot) = inner.slots.get_mut(&id) else {
            return Ok(false);
        };
        if slot.leased_until > now {
            slot.poked = true; // being read: read again as soon as that read is done
        } else if slot.due_ms > now {
            inner.set_due(&id, now);
        }
        Ok(true)
    }

    async fn close(&self, order: &OrderRef) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        let id = order.key();
        if let Some(slot) = inner.slots.remove(&id) {
            inner.due.remove(&(slot.due_ms, id));
        }
        Ok(())
    }

    async fn count(&self) -> Result<usize, StoreError> {
        Ok(self.lock()?.slots.len())
    }
}
