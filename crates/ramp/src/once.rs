//! Handling each event once: the claim, the user's handler, the record. Shared by the
//! webhook endpoint and the tracker, so an event that both see is handled once.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::store::{Claim, ClaimToken, DedupStore, EventKey};
use crate::{BoxFuture, HandlerError, OrderEvent};

/// How long a handled event's record is tried before it is given up (and logged).
const RECORD_FOR: Duration = Duration::from_secs(15 * 60);

/// How long a handler may run by default before it is treated as failed.
pub const DEFAULT_HANDLER_LIMIT: Duration = Duration::from_secs(30);

pub(crate) type Handler =
    Arc<dyn Fn(OrderEvent) -> BoxFuture<'static, Result<(), HandlerError>> + Send + Sync>;

/// What became of an event handed to the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// New, and the handler succeeded.
    Handled,
    /// Handled before.
    Duplicate,
    /// Its order ended before it (a final status was handled): never handled.
    Ended,
    /// An event of the same order is being handled right now: try again shortly.
    InFlight,
    /// The store could not be reached (or is full): nothing was handled.
    StoreDown,
    /// The handler failed, panicked or ran past its limit: the claim was given up, and a
    /// redelivery is handled.
    Failed,
    /// The handler gave up on it ([`HandlerError::give_up`]): recorded as settled and
    /// logged, never handed to the handler again.
    GaveUp,
}

impl Outcome {
    /// Whether the event is settled: handled now or before, or excluded by its order's end.
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            Self::Handled | Self::Duplicate | Self::Ended | Self::GaveUp
        )
    }

    /// Its name, as the endpoint answers it and metrics count it: `handled`, `duplicate`,
    /// `ended`, `in_flight`, `store_down`, `failed`, `gave_up`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Handled => "handled",
            Self::Duplicate => "duplicate",
            Self::Ended => "ended",
            Self::InFlight => "in_flight",
            Self::StoreDown => "store_down",
            Self::Failed => "failed",
            Self::GaveUp => "gave_up",
        }
    }
}

/// How the handler runs: between a claim and a record in any store, or inside the store's
/// own transaction (Postgres).
#[derive(Clone)]
enum Run {
    Claimed(Handler),
    #[cfg(feature = "postgres")]
    InTransaction(crate::postgres::PgStore, crate::postgres::TxHandler),
}

/// The store of handled events, the user's handler and its time limit.
#[derive(Clone)]
pub(crate) struct Once {
    store: Arc<dyn DedupStore>,
    run: Run,
    limit: Duration,
}

impl Once {
    pub(crate) fn new<H, F, E>(store: Arc<dyn DedupStore>, handler: H) -> Self
    where
        H: Fn(OrderEvent) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<HandlerError>,
    {
        let handler: Handler = Arc::new(move |event| {
            let done = handler(event);
            Box::pin(async move { done.await.map_err(Into::into) })
        });
        Self {
            store,
            run: Run::Claimed(handler),
            limit: DEFAULT_HANDLER_LIMIT,
        }
    }

    /// The handler runs in `store`'s transaction, which records the event.
    #[cfg(feature = "postgres")]
    pub(crate) fn in_transaction(
        store: crate::postgres::PgStore,
        handler: crate::postgres::TxHandler,
    ) -> Self {
        Self {
            store: Arc::new(store.clone()),
            run: Run::InTransaction(store, handler),
            limit: DEFAULT_HANDLER_LIMIT,
        }
    }

    /// The handler's time limit (at least 1 ms).
    pub(crate) fn set_limit(&mut self, limit: Duration) {
        self.limit = limit.max(Duration::from_millis(1));
    }

    /// The store of handled events.
    #[allow(dead_code)] // used by the endpoint only
    pub(crate) fn store(&self) -> &Arc<dyn DedupStore> {
        &self.store
    }

    /// Calls the handler if the event is new. All of it runs in a task of its own, so a
    /// caller that goes away (a provider hanging up) cannot leave it half done.
    pub(crate) async fn handle(&self, event: OrderEvent) -> Outcome {
        self.handle_then(event, |_, _| Box::pin(async {})).await
    }

    /// [`handle`](Self::handle), then `after` with the outcome and the event, in the same
    /// task (what the endpoint does for the tracker).
    pub(crate) async fn handle_then<A>(&self, event: OrderEvent, after: A) -> Outcome
    where
        A: FnOnce(Outcome, OrderEvent) -> BoxFuture<'static, ()> + Send + 'static,
    {
        let this = self.clone();
        tokio::spawn(async move {
            let outcome = this.handle_here(event.clone()).await;
            after(outcome, event).await;
            outcome
        })
        .await
        .unwrap_or(Outcome::Failed)
    }

    async fn handle_here(&self, event: OrderEvent) -> Outcome {
        let (provider, started) = (event.provider, std::time::Instant::now());
        let outcome = match &self.run {
            Run::Claimed(handler) => self.claimed(handler, event).await,
            #[cfg(feature = "postgres")]
            Run::InTransaction(store, handler) => {
                store
                    .handle_in_transaction(handler, event, self.limit)
                    .await
            }
        };
        if matches!(
            outcome,
            Outcome::Handled | Outcome::Failed | Outcome::GaveUp
        ) {
            // The handler ran (or was stopped): its time, with the claim's round trips.
            let seconds = started.elapsed().as_secs_f64();
            crate::metrics::handler_time(provider, outcome.as_str(), seconds);
        }
        outcome
    }

    /// Claimed first, the claim renewed while the handler runs, committed when it succeeds,
    /// released when it fails, panics or runs past the limit.
    async fn claimed(&self, handler: &Handler, event: OrderEvent) -> Outcome {
        let key = event.key();
        let token = match self.store.claim(&key).await {
            Ok(Claim::New(token)) => token,
            Ok(Claim::Duplicate) => return Outcome::Duplicate,
            Ok(Claim::Ended) => return Outcome::Ended,
            Ok(Claim::InFlight) => return Outcome::InFlight,
            Err(err) => {
                tracing::error!(key = key.event(), %err, "an event could not be claimed");
                return Outcome::StoreDown;
            }
        };
        let handler = Arc::clone(handler);
        let mut handled = tokio::spawn(async move { handler(event).await });
        let renew_every = (self.store.claim_lease() / 3).max(Duration::from_millis(10));
        let deadline = tokio::time::sleep(self.limit);
        tokio::pin!(deadline);
        let mut result = loop {
            tokio::select! {
                // A handler that is done counts, however late the other branches are.
                biased;
                result = &mut handled => break Some(result),
                () = &mut deadline => break None,
                () = tokio::time::sleep(renew_every) => self.renew(&key, &token).await,
            }
        };
        if result.is_none() {
            tracing::error!(
                key = key.event(),
                limit = ?self.limit,
                "the handler ran past its time limit and is stopped; the event will be handled again"
            );
            result = self.stop(handled, &key, &token, renew_every).await;
        }
        match result {
            Some(Ok(Ok(()))) => {
                self.commit(&key, &token).await;
                return Outcome::Handled;
            }
            Some(Ok(Err(err))) if err.is_give_up() => {
                tracing::warn!(
                    key = key.event(),
                    %err,
                    "the handler gave up on an event: recorded, never handled again"
                );
                self.commit(&key, &token).await;
                return Outcome::GaveUp;
            }
            Some(Ok(Err(err))) => tracing::warn!(
                key = key.event(),
                %err,
                "the handler failed; the event will be handled again"
            ),
            Some(Err(err)) if err.is_panic() => tracing::error!(
                key = key.event(),
                "the handler panicked; the event will be handled again"
            ),
            Some(Err(_)) => {}
            None => {
                // Still running (blocked, never yielding) a limit after it was stopped: the
                // claim is left to lapse rather than renewed for ever, and logged.
                tracing::error!(
                    key = key.event(),
                    "a stopped handler has not ended; its claim is left to lapse after its lease"
                );
                return Outcome::Failed;
            }
        }
        self.release(&key, &token).await;
        Outcome::Failed
    }

    /// Stops a handler past its limit and waits for it to end, the claim renewed meanwhile,
    /// for up to another limit: a handler blocked in code that never yields goes on until it
    /// returns, and the claim must not be given up under it (a redelivery would run beside
    /// it). `None` when it is still running then.
    async fn stop(
        &self,
        mut handled: tokio::task::JoinHandle<Result<(), HandlerError>>,
        key: &EventKey,
        token: &ClaimToken,
        renew_every: Duration,
    ) -> Option<Result<Result<(), HandlerError>, tokio::task::JoinError>> {
        handled.abort();
        let patience = tokio::time::sleep(self.limit);
        tokio::pin!(patience);
        loop {
            tokio::select! {
                biased;
                result = &mut handled => return Some(result),
                () = &mut patience => return None,
                () = tokio::time::sleep(renew_every) => self.renew(key, token).await,
            }
        }
    }

    async fn renew(&self, key: &EventKey, token: &ClaimToken) {
        match self.store.renew(key, token).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                key = key.event(),
                "an event's claim lapsed while its handler ran: another delivery may handle it"
            ),
            Err(err) => {
                tracing::warn!(key = key.event(), %err, "an event's claim could not be renewed");
            }
        }
    }

    /// Recorded, or a redelivery (or a tracker's read) finds the event new once the claim
    /// lapses. When the store is down, the record is tried again in a task of its own (the
    /// answer does not wait for it), the claim renewed meanwhile so that no redelivery takes
    /// it, until it lands or [`RECORD_FOR`] has passed.
    async fn commit(&self, key: &EventKey, token: &ClaimToken) {
        if let Err(err) = self.store.commit(key, token).await {
            tracing::warn!(key = key.event(), %err, "a handled event could not be recorded yet");
            tokio::spawn(self.clone().keep_recording(key.clone(), token.clone()));
        }
    }

    async fn keep_recording(self, key: EventKey, token: ClaimToken) {
        let started = tokio::time::Instant::now();
        // Often enough to renew the claim before it lapses.
        let most =
            (self.store.claim_lease() / 3).clamp(Duration::from_millis(10), Duration::from_secs(5));
        let mut wait = Duration::from_millis(100).min(most);
        loop {
            tokio::time::sleep(wait).await;
            let _ = self.store.renew(&key, &token).await;
            match self.store.commit(&key, &token).await {
                Ok(()) => return,
                Err(err) if started.elapsed() >= RECORD_FOR => {
                    tracing::error!(
                        key = key.event(),
                        %err,
                        "a handled event was not recorded: a redelivery would handle it again"
                    );
                    return;
                }
                Err(_) => wait = (wait * 2).min(most),
            }
        }
    }

    async fn release(&self, key: &EventKey, token: &ClaimToken) {
        if let Err(err) = self.store.release(key, token).await {
            // The claim lapses after its lease: a redelivery is handled then.
            tracing::warn!(key = key.event(), %err, "a failed event's claim could not be given up");
        }
    }
}
