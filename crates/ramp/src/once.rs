//! Handling each event once: the claim, the user's handler, the record. Shared by the
//! webhook endpoint and the tracker, so an event that both see is handled once.

use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::{BoxFuture, Claim, ClaimToken, DedupStore, OrderEvent};

/// How long a handled event's record is tried before it is given up (and logged).
const RECORD_FOR: Duration = Duration::from_secs(15 * 60);

type Handler = Arc<dyn Fn(OrderEvent) -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// What became of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// New, and the handler succeeded.
    Handled,
    /// Handled before.
    Duplicate,
    /// Being handled by another delivery right now.
    InFlight,
    /// The store could not be reached: nothing was handled.
    StoreDown,
    /// The handler failed or panicked: the claim was given up, a redelivery is handled.
    Failed,
}

/// The store of handled events and the user's handler.
#[derive(Clone)]
pub(crate) struct Once {
    store: Arc<dyn DedupStore>,
    handler: Handler,
}

impl Once {
    pub(crate) fn new<H, F, E>(store: Arc<dyn DedupStore>, handler: H) -> Self
    where
        H: Fn(OrderEvent) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Display,
    {
        let handler: Handler = Arc::new(move |event| {
            let done = handler(event);
            Box::pin(async move { done.await.map_err(|err| err.to_string()) })
        });
        Self { store, handler }
    }

    /// Calls the handler if the event is new: claimed first, the claim renewed while the
    /// handler runs, committed when it succeeds, released when it fails or panics. All of it
    /// runs in a task of its own, so a caller that goes away (a provider hanging up) cannot
    /// leave a claim neither committed nor released.
    pub(crate) async fn handle(&self, event: OrderEvent) -> Outcome {
        let this = self.clone();
        tokio::spawn(async move { this.handle_here(event).await })
            .await
            .unwrap_or(Outcome::Failed)
    }

    async fn handle_here(self, event: OrderEvent) -> Outcome {
        let key = event.dedup_key();
        let token = match self.store.claim(&key).await {
            Ok(Claim::New(token)) => token,
            Ok(Claim::Duplicate) => return Outcome::Duplicate,
            Ok(Claim::InFlight) => return Outcome::InFlight,
            Err(err) => {
                tracing::error!(key, %err, "an event could not be claimed");
                return Outcome::StoreDown;
            }
        };
        let handler = Arc::clone(&self.handler);
        let mut handled = tokio::spawn(async move { handler(event).await });
        let renew_every = (self.store.claim_lease() / 3).max(Duration::from_millis(10));
        let result = loop {
            tokio::select! {
                result = &mut handled => break result,
                () = tokio::time::sleep(renew_every) => self.renew(&key, &token).await,
            }
        };
        match result {
            Ok(Ok(())) => {
                self.commit(&key, &token).await;
                Outcome::Handled
            }
            Ok(Err(err)) => {
                tracing::warn!(
                    key,
                    err,
                    "the handler failed; the event will be handled again"
                );
                self.release(&key, &token).await;
                Outcome::Failed
            }
            Err(_) => {
                tracing::error!(key, "the handler panicked; the event will be handled again");
                self.release(&key, &token).await;
                Outcome::Failed
            }
        }
    }

    async fn renew(&self, key: &str, token: &ClaimToken) {
        match self.store.renew(key, token).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                key,
                "an event's claim lapsed while its handler ran: another delivery may handle it"
            ),
            Err(err) => tracing::warn!(key, %err, "an event's claim could not be renewed"),
        }
    }

    /// Recorded, or a redelivery (or a tracker's read) finds the event new once the claim
    /// lapses. When the store is down, the record is tried again in a task of its own (the
    /// answer does not wait for it), the claim renewed meanwhile so that no redelivery takes
    /// it, until it lands or [`RECORD_FOR`] has passed.
    async fn commit(&self, key: &str, token: &ClaimToken) {
        match self.store.commit(key, token).await {
            Ok(()) => {}
            Err(err) => {
                tracing::warn!(key, %err, "a handled event could not be recorded yet");
                tokio::spawn(self.clone().keep_recording(key.to_owned(), token.clone()));
            }
        }
    }

    async fn keep_recording(self, key: String, token: ClaimToken) {
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
                        key,
                        %err,
                        "a handled event was not recorded: a redelivery would handle it again"
                    );
                    return;
                }
                Err(_) => wait = (wait * 2).min(most),
            }
        }
    }

    async fn release(&self, key: &str, token: &ClaimToken) {
        if let Err(err) = self.store.release(key, token).await {
            // The claim lapses after its lease: a redelivery is handled then.
            tracing::warn!(key, %err, "a failed event's claim could not be given up");
        }
    }
}
