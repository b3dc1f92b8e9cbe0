//! Following many orders at once, across restarts and replicas.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use super::book::{BookEntry, OrderBook, OrderRef, ms};
use super::{Schedule, StatusRead};
use crate::once::Once;
use crate::store::DedupStore;
use crate::{OrderEvent, Provider, StoreError};

mod advance;
mod live;
mod run;

/// Reads refused in a row (at the longest wait) after which an order that was read before
/// is no longer followed: a day at the default longest wait, so that a credential refused
/// for an hour drops nothing.
pub const MAX_REFUSED: u32 = 288;

/// How long an order is followed at most by default: 30 days.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

/// How long an order only an unsigned hint named, and its provider has never known, is
/// followed by default (its read may lag a new order): 15 minutes.
pub const DEFAULT_UNKNOWN_FOR: Duration = Duration::from_secs(15 * 60);

/// The shortest lease a tracker takes an order for.
const SHORTEST_LEASE: Duration = Duration::from_secs(1);

/// Batches one tick takes at most, so that orders rescheduled with short waits cannot keep
/// one tick going; the next tick starts at once.
const MAX_BATCHES: usize = 16;

/// Told why an order was given up before its end.
type Refused = Arc<dyn Fn(&super::ReadError) + Send + Sync>;

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
/// following an order at its final status, after its maximum age (30 days by default), or
/// when its provider keeps refusing to read it.
///
/// With a [`RedisBook`](super::RedisBook) or a [`PgBook`](crate::postgres::PgBook) the
/// followed orders survive a restart and every replica runs [`run`](Self::run): each due
/// order is taken by one replica at a time, under the book's clock.
pub struct Tracker {
    book: Arc<dyn OrderBook>,
    once: Once,
    sources: HashMap<Provider, Arc<dyn StatusRead>>,
    schedule: Schedule,
    lease: Duration,
    poll: Duration,
    batch: usize,
    max_age: Duration,
    unknown_for: Duration,
    recover: bool,
    /// Told why an order is given up before its end, and gives it up at its first refused
    /// read instead of trying again (for [`track`](super::track)'s single order).
    refused: Option<Refused>,
    wake: Notify,
    /// Live-update tasks by order key, each under an id (feature `proof-live`): each ends
    /// with its order; `None` while its task is being started.
    live: Mutex<HashMap<String, (u64, Option<tokio::task::AbortHandle>)>>,
}

impl Tracker {
    /// A tracker keeping its orders in `book`, recording handled events in `store` and
    /// calling `handler` once per new event; no provider yet.
    pub fn new<H, F, E>(book: Arc<dyn OrderBook>, store: Arc<dyn DedupStore>, handler: H) -> Self
    where
        H: Fn(OrderEvent) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<crate::HandlerError>,
    {
        Self::with(book, Once::new(store, handler))
    }

    /// A tracker whose `handler` writes in the same Postgres transaction that records the
    /// event, as [`Endpoint::transactional`](crate::endpoint::Endpoint::transactional) does
    /// (features `track` and `postgres`).
    #[cfg(feature = "postgres")]
    pub fn transactional<H, E>(
        book: Arc<dyn OrderBook>,
        store: crate::postgres::PgStore,
        handler: H,
    ) -> Self
    where
        H: crate::postgres::TransactionHandler<E>,
        E: Into<crate::HandlerError> + 'static,
    {
        Self::with(
            book,
            Once::in_transaction(store, crate::postgres::tx_handler(handler)),
        )
    }

    pub(crate) fn with(book: Arc<dyn OrderBook>, once: Once) -> Self {
        Self {
            book,
            once,
            sources: HashMap::new(),
            schedule: Schedule::default(),
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(1),
            batch: 32,
            max_age: DEFAULT_MAX_AGE,
            unknown_for: DEFAULT_UNKNOWN_FOR,
            recover: true,
            refused: None,
            wake: Notify::new(),
            live: Mutex::default(),
        }
    }

    /// The providers whose statuses it reads, by name.
    pub fn providers(&self) -> Vec<Provider> {
        let mut providers: Vec<Provider> = self.sources.keys().copied().collect();
        providers.sort_by_key(|provider| provider.as_str());
        providers
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
    /// (default 60 s, at least 1 s), in the book's clock.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(SHORTEST_LEASE);
        self
    }

    /// How often [`run`](Self::run) looks for due orders when nothing wakes it (default 1 s).
    pub fn poll(mut self, every: Duration) -> Self {
        self.poll = every.max(Duration::from_millis(1));
        self
    }

    /// How long an order is followed at most (default [`DEFAULT_MAX_AGE`], 30 days): then it
    /// is given up, and logged. An abandoned order is not read for ever.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// How long an order only an unsigned hint named (a Proof delivery whose read failed or
    /// found nothing) is followed while its provider does not know it (default
    /// [`DEFAULT_UNKNOWN_FOR`], 15 minutes): its reads are refused, on the backoff schedule,
    /// until then; then it is given up, and logged.
    pub fn unknown_for(mut self, unknown_for: Duration) -> Self {
        self.unknown_for = unknown_for;
        self
    }

    /// Whether a read that finds an order changed also asks the provider for the webhooks it
    /// sent for it, and hands each one missed to the handler first, in the order sent
    /// (default on; Transak's Get Webhooks is the one such list).
    pub fn recover_missed(mut self, recover: bool) -> Self {
        self.recover = recover;
        self
    }

    /// Gives an order up at its first refused read (an unknown order, a bad credential)
    /// instead of trying again up to [`MAX_REFUSED`] times, and tells `told` why an order is
    /// given up before its end (that, or its maximum age).
    pub(crate) fn give_up_when_refused(
        mut self,
        told: impl Fn(&super::ReadError) + Send + Sync + 'static,
    ) -> Self {
        self.refused = Some(Arc::new(told));
        self
    }

    /// How long the handler may run (default 30 s): past it, it is stopped and treated as
    /// failed (the order is read again later).
    pub fn handler_limit(mut self, limit: Duration) -> Self {
        self.once.set_limit(limit);
        self
    }

    /// Follows `order` from now on, its first read due at once; `false` when it was followed
    /// already. Its reads refused are tried again up to [`MAX_REFUSED`] times in a row.
    pub async fn follow(&self, order: OrderRef) -> Result<bool, TrackError> {
        self.follow_known(order, true).await
    }

    /// Follows `order`; `known`: it exists (a verified event or the caller says so), else
    /// only an unsigned hint named it, and it is given up after `unknown_for` unless a read
    /// finds it.
    async fn follow_known(&self, order: OrderRef, known: bool) -> Result<bool, TrackError> {
        let Some(source) = self.sources.get(&order.provider) else {
            return Err(TrackError::NoStatusRead(order.provider));
        };
        if source.needs_reference() && order.partner_reference.is_none() {
            return Err(TrackError::NoReference(order.provider));
        }
        let mut entry = BookEntry::new(order, self.first_wait());
        entry.seen = known;
        let provider = entry.order.provider;
        let added = self.book.follow(&entry).await?;
        if added {
            crate::metrics::follow(provider);
        }
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
        self.follow_or_poke(Self::order_of(event), true).await
    }

    /// Follows `order` (see [`follow_known`](Self::follow_known)), or reads it at once when
    /// it is followed already.
    pub(crate) async fn follow_or_poke(
        &self,
        order: OrderRef,
        known: bool,
    ) -> Result<(), TrackError> {
        if !self.follow_known(order.clone(), known).await? {
            self.poke(&order).await?;
        }
        Ok(())
    }

    /// Stops following the order of a final event that was handled (or of an event its
    /// order's end excluded).
    pub async fn close_event(&self, event: &OrderEvent) -> Result<(), TrackError> {
        self.forget(&Self::order_of(event)).await?;
        crate::metrics::close(event.provider, "ended");
        Ok(())
    }

    fn order_of(event: &OrderEvent) -> OrderRef {
        let mut order = OrderRef::new(event.provider, event.order_id.clone());
        order.partner_reference = event.partner_reference.clone();
        order
    }

    /// Reads `order` now instead of at its next time; `false` when it is not followed.
    pub async fn poke(&self, order: &OrderRef) -> Result<bool, StoreError> {
        let known = self.book.poke(order).await?;
        self.wake.notify_one();
        Ok(known)
    }

    /// Stops following `order` (and ends its live updates).
    pub async fn forget(&self, order: &OrderRef) -> Result<(), StoreError> {
        self.end_live(order);
        self.book.close(order).await
    }

    /// How many orders are followed.
    pub async fn open_orders(&self) -> Result<usize, StoreError> {
        self.book.count().await
    }

    fn first_wait(&self) -> u64 {
        ms(self.schedule.first.min(self.schedule.max)).max(1)
    }

    /// The longest an order is followed.
    #[allow(dead_code)] // used with `proof-live` only
    pub(crate) fn longest(&self) -> Duration {
        self.max_age
    }
}

impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("providers", &self.sources.keys().collect::<Vec<_>>())
            .field("schedule", &self.schedule)
            .field("lease", &self.lease)
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}
