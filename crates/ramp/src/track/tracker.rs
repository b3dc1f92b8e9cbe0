//! Following many orders at once, across restarts and replicas.

use std::collections::HashMap;
use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::book::{BookEntry, OrderBook, OrderRef, ms, now_ms};
use super::{Schedule, StatusRead};
use crate::once::{Once, Outcome};
use crate::{DedupStore, OrderEvent, Provider, StoreError};

/// Reads refused in a row (at the longest wait) after which an order is no longer followed:
/// a day at the default longest wait, so that a credential refused for an hour drops nothing.
pub const MAX_REFUSED: u32 = 288;

/// Why an order cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrackError {
    /// The tracker has no status read for the order's provider (Onramper has none to give).
    #[error("the tracker reads no status from {0}: add its client to the tracker")]
    NoStatusRead(Provider),
    /// The provider's status read needs the order's `partner_reference` (Koinal: the
    /// customer reference it was made for), and the order has none.
    #[error("{0}'s status read needs the order's partner_reference (its customer reference)")]
    NoReference(Provider),
    /// The book of followed orders failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Follows orders to their end by reading each provider's status on a backoff schedule, and
/// at once when poked; hands each change to the handler once, through the same store of
/// handled events as the webhook endpoint (an event both see is handled once), and stops
/// following an order at its final status.
///
/// With a [`RedisBook`](super::RedisBook) the followed orders survive a restart and every
/// replica runs [`run`](Self::run): each due order is taken by one replica at a time.
pub struct Tracker {
    book: Arc<dyn OrderBook>,
    once: Once,
    sources: HashMap<Provider, Arc<dyn StatusRead>>,
    schedule: Schedule,
    lease: Duration,
    poll: Duration,
    batch: usize,
    wake: Notify,
}

impl Tracker {
    /// A tracker keeping its orders in `book`, recording handled events in `store` and
    /// calling `handler` once per new event; no provider yet.
    pub fn new<H, F, E>(book: Arc<dyn OrderBook>, store: Arc<dyn DedupStore>, handler: H) -> Self
    where
        H: Fn(OrderEvent) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Display,
    {
        Self {
            book,
            once: Once::new(store, handler),
            sources: HashMap::new(),
            schedule: Schedule::default(),
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(1),
            batch: 32,
            wake: Notify::new(),
        }
    }

    /// Reads `provider`'s statuses with `source`.
    pub fn source(mut self, provider: Provider, source: Arc<dyn StatusRead>) -> Self {
        self.sources.insert(provider, source);
        self
    }

    /// Reads Transak's orders with `client`.
    #[cfg(feature = "transak")]
    pub fn transak(self, client: ramp_transak::Client) -> Self {
        self.source(Provider::Transak, Arc::new(client))
    }

    /// Reads Proof's transactions with `client`.
    #[cfg(feature = "proof")]
    pub fn proof(self, client: ramp_proof::Client) -> Self {
        self.source(Provider::Proof, Arc::new(client))
    }

    /// Reads Koinal's orders with `client` (each followed with its customer reference).
    #[cfg(feature = "koinal")]
    pub fn koinal(self, client: ramp_koinal::Client) -> Self {
        self.source(Provider::Koinal, Arc::new(client))
    }

    /// The reading schedule of each order (default [`Schedule::default`]).
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// How long a replica holds an order it is reading before another may take it over
    /// (default 60 s).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_millis(100));
        self
    }

    /// How often [`run`](Self::run) looks for due orders when nothing wakes it (default 1 s).
    pub fn poll(mut self, every: Duration) -> Self {
        self.poll = every.max(Duration::from_millis(1));
        self
    }

    /// Follows `order` from now on, its first read due at once; `false` when it was followed
    /// already.
    pub async fn follow(&self, order: OrderRef) -> Result<bool, TrackError> {
        let Some(source) = self.sources.get(&order.provider) else {
            return Err(TrackError::NoStatusRead(order.provider));
        };
        if source.needs_reference() && order.partner_reference.is_none() {
            return Err(TrackError::NoReference(order.provider));
        }
        let entry = BookEntry::new(order, self.first_wait());
        let added = self.book.follow(&entry, now_ms()).await?;
        self.wake.notify_one();
        Ok(added)
    }

    /// Follows the order an event is about and reads it at once (a poke when it is followed
    /// already): what a webhook handler calls for each event it sees, so that the order's end
    /// is learnt even if no push follows. Nothing for a provider the tracker has no status
    /// read for.
    pub async fn follow_event(&self, event: &OrderEvent) -> Result<(), TrackError> {
        if !self.sources.contains_key(&event.provider) {
            return Ok(());
        }
        let order = Self::order_of(event);
        if !self.follow(order.clone()).await? {
            self.poke(&order).await?;
        }
        Ok(())
    }

    /// Stops following the order of a final event that was handled. A read already under
    /// way can still hand the handler an earlier status after it: handlers never move an
    /// order back from a final status (as Proof's docs advise for its webhooks).
    pub async fn close_event(&self, event: &OrderEvent) -> Result<(), TrackError> {
        Ok(self.book.close(&Self::order_of(event)).await?)
    }

    fn order_of(event: &OrderEvent) -> OrderRef {
        let mut order = OrderRef::new(event.provider, event.order_id.clone());
        order.partner_reference = event.partner_reference.clone();
        order
    }

    /// Reads `order` now instead of at its next time; `false` when it is not followed.
    pub async fn poke(&self, order: &OrderRef) -> Result<bool, StoreError> {
        let known = self.book.poke(order, now_ms()).await?;
        self.wake.notify_one();
        Ok(known)
    }

    /// Stops following `order`.
    pub async fn forget(&self, order: &OrderRef) -> Result<(), StoreError> {
        self.book.close(order).await
    }

    /// How many orders are followed.
    pub async fn open_orders(&self) -> Result<usize, StoreError> {
        self.book.count().await
    }

    /// Reads every order due now once (those another replica holds excepted) and returns how
    /// many were read.
    pub async fn tick(&self) -> Result<usize, StoreError> {
        let (mut read, start) = (0, now_ms());
        loop {
            // Due by the tick's start only: an order rescheduled meanwhile waits for the next.
            let due = self
                .book
                .take_due(start, now_ms(), ms(self.lease), self.batch)
                .await?;
            let n = due.len();
            read += n;
            let steps = due.into_iter().map(|entry| self.advance(entry));
            for done in futures_util::future::join_all(steps).await {
                done?;
            }
            if n < self.batch {
                return Ok(read);
            }
        }
    }

    /// Follows the orders for ever: [`tick`](Self::tick) whenever an order may be due. Run
    /// it in a task of its own, in every replica; a failing book is logged and retried.
    pub async fn run(&self) {
        loop {
            if let Err(err) = self.tick().await {
                tracing::error!(%err, "the tracker could not read its book of orders");
            }
            let _ = tokio::time::timeout(self.poll, self.wake.notified()).await;
        }
    }

    fn first_wait(&self) -> u64 {
        ms(self.schedule.first.min(self.schedule.max)).max(1)
    }

    /// One read of one order: the event handled if its status changed, the order closed at
    /// a final status, rescheduled otherwise.
    async fn advance(&self, mut entry: BookEntry) -> Result<(), StoreError> {
        let (first, max) = (
            self.first_wait(),
            ms(self.schedule.max).max(self.first_wait()),
        );
        let longer = |wait: u64| wait.saturating_mul(2).clamp(first, max);
        let Some(source) = self.sources.get(&entry.order.provider) else {
            // Followed by a replica that reads this provider; this one does not.
            let due = now_ms().saturating_add(entry.wait_ms);
            return self.book.reschedule(&entry, due).await;
        };
        let read = source.read_order(&entry.order).await;
        entry.refused = match &read {
            Err(err) if !err.retryable => entry.refused.saturating_add(1),
            _ => 0,
        };
        match read {
            Ok(event) if entry.last_status.as_deref() == Some(event.provider_status.as_str()) => {
                entry.wait_ms = longer(entry.wait_ms);
            }
            Ok(event) => {
                let (terminal, status) = (event.is_terminal(), event.provider_status.clone());
                entry.wait_ms = match self.once.handle(event).await {
                    Outcome::Handled | Outcome::Duplicate if terminal => {
                        return self.book.close(&entry.order).await;
                    }
                    Outcome::Handled | Outcome::Duplicate => {
                        entry.last_status = Some(status);
                        first
                    }
                    // Another delivery of it is being handled: read again soon.
                    Outcome::InFlight => first,
                    // Not handled: read again, less often while it keeps failing.
                    Outcome::StoreDown | Outcome::Failed => longer(entry.wait_ms),
                };
            }
            Err(err) if err.retryable => entry.wait_ms = longer(entry.wait_ms),
            Err(err) if entry.refused >= MAX_REFUSED => {
                tracing::error!(order = entry.order.key(), %err, "an order's status read was refused {MAX_REFUSED} times in a row: it is no longer followed");
                return self.book.close(&entry.order).await;
            }
            Err(err) => {
                // A refusal (an unknown order, a bad credential) is tried again at the longest
                // wait: a fixed credential finds the order again.
                tracing::error!(order = entry.order.key(), %err, "an order's status read was refused");
                entry.wait_ms = max;
            }
        }
        self.book
            .reschedule(&entry, now_ms().saturating_add(entry.wait_ms))
            .await
    }
}

impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("providers", &self.sources.keys().collect::<Vec<_>>())
            .field("schedule", &self.schedule)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}
