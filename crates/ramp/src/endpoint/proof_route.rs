//! Proof's route: the delivery names a transaction, the read is the event, and an order
//! only a hint named is followed a bounded time.

use std::sync::Arc;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{MethodRouter, post};

use super::shared::{Counting, Shared, answer, try_again};
use crate::{OrderEvent, Provider};

/// Orders only an unsigned hint named (Proof's, whose read failed or found nothing) that one
/// replica follows within [`HINTED_WINDOW`]; past it, such a hint is answered as before but
/// its order is not followed (logged).
const HINTED_FOLLOWS: usize = 1000;

/// The window of [`HINTED_FOLLOWS`]: how long such an order is followed by default.
const HINTED_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Proof's route: the delivery names a transaction, and the read is the event.
pub(super) fn proof(shared: &Arc<Shared>, client: ramp_proof::Client) -> MethodRouter {
    let shared = Arc::clone(shared);
    post(move |body: Body| {
        let (shared, client) = (Arc::clone(&shared), client.clone());
        async move {
            let count = Counting::start(Provider::Proof);
            let response = match shared.body(body).await {
                Ok(body) => shared.proof(&client, &body).await,
                Err(refused) => refused,
            };
            count.done(response)
        }
    })
}

impl Shared {
    async fn proof(&self, client: &ramp_proof::Client, body: &[u8]) -> Response {
        let hint = match ramp_proof::webhook::parse(body) {
            Ok(hint) => hint,
            Err(why) => {
                tracing::warn!(provider = "proof", %why, "a delivery was refused");
                return answer(
                    StatusCode::BAD_REQUEST,
                    "not Proof's transaction shape",
                    "not_proof_shape",
                );
            }
        };
        let id = hint.merchant_transaction_id();
        let read = self.proof_reads.read(client, id).await;
        match &*read {
            Ok(tx) => {
                let event = OrderEvent::from(tx);
                let (read, claimed) = (
                    crate::event::stage(event.status),
                    crate::event::stage(hint.claimed_status().normalized()),
                );
                let outcome = self.handle(event).await;
                if matches!((read, claimed), (Some(read), Some(claimed)) if read < claimed)
                    && outcome.is_settled()
                {
                    // Proof's read has not caught up with what it pushed: ask for the push
                    // again, so the newer status is read (and emitted) later.
                    return try_again("Proof's status read lags behind this delivery", "read_lags");
                }
                self.respond(outcome)
            }
            Err(err) if matches!(err.kind(), ramp_proof::ErrorKind::Validation { .. }) => {
                tracing::warn!(provider = "proof", %err, "a delivery was refused");
                answer(
                    StatusCode::BAD_REQUEST,
                    "not a transaction id",
                    "not_proof_shape",
                )
            }
            Err(err) => {
                // Proof does not know it (yet: its read may lag a new transaction), or the
                // read failed: followed, so its end is learnt if no push comes.
                self.follow(Provider::Proof, id).await;
                if err.status() == Some(StatusCode::NOT_FOUND) {
                    tracing::warn!(
                        provider = "proof",
                        order = id,
                        "a delivery named a transaction Proof does not know"
                    );
                    answer(
                        StatusCode::NOT_FOUND,
                        "Proof knows no such transaction",
                        "unknown_transaction",
                    )
                } else {
                    tracing::warn!(provider = "proof", %err, "the status read that confirms a delivery failed");
                    try_again("the status read from Proof failed", "read_failed")
                }
            }
        }
    }

    /// Has the tracker follow an order no event was handled for, in a task of its own.
    async fn follow(&self, provider: Provider, order_id: &str) {
        #[cfg(feature = "track")]
        if let Some(tracker) = self.tracker.clone() {
            if !self.may_follow_hinted() {
                tracing::warn!(
                    provider = provider.as_str(),
                    order = order_id,
                    "too many orders named only by hints lately: this one is not followed"
                );
                return;
            }
            let order = crate::track::OrderRef::new(provider, order_id);
            let followed = tokio::spawn(async move { tracker.follow_or_poke(order, false).await });
            if let Ok(Err(err)) = followed.await {
                tracing::warn!(%err, "an order could not be followed");
            }
        }
        #[cfg(not(feature = "track"))]
        let _ = (provider, order_id);
    }
}

impl Shared {
    /// Whether one more order only a hint named may be followed now (and counts it).
    fn may_follow_hinted(&self) -> bool {
        let Ok(mut hinted) = self.hinted.lock() else {
            return false;
        };
        let now = std::time::Instant::now();
        while hinted
            .front()
            .is_some_and(|at| now.duration_since(*at) > HINTED_WINDOW)
        {
            hinted.pop_front();
        }
        if hinted.len() >= HINTED_FOLLOWS {
            return false;
        }
        hinted.push_back(now);
        true
    }
}
