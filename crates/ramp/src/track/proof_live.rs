//! Proof's live updates as pokes (feature `proof-live`): the tracker reads a transaction at
//! once when Proof's WebSocket says it changed. The update is a hint, as a webhook is: the
//! read is the event.

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::task::JoinHandle;

use super::{OrderRef, TrackError, Tracker};
use crate::Provider;

impl Tracker {
    /// Follows Proof's transaction `merchant_transaction_id` and reads it at once whenever
    /// Proof's live updates (`client.watch`) say it changed, besides the schedule. The task
    /// returned holds one WebSocket: it ends with the updates (at a final status, or after
    /// an error they could not reconnect through), or at the first update after the order is
    /// no longer followed; abort it to stop listening sooner. It is not restored after a
    /// restart (the order is, with a `RedisBook`): call this again for the orders you want
    /// live updates for.
    pub async fn follow_proof_live(
        self: &Arc<Self>,
        client: &ramp_proof::Client,
        merchant_transaction_id: &str,
    ) -> Result<JoinHandle<()>, TrackError> {
        let order = OrderRef::new(Provider::Proof, merchant_transaction_id);
        self.follow(order.clone()).await?;
        let updates = client.watch(merchant_transaction_id);
        let tracker = Arc::clone(self);
        Ok(tokio::spawn(async move {
            let mut updates = std::pin::pin!(updates);
            while let Some(update) = updates.next().await {
                if let Err(err) = update {
                    // The stream ends after an error it could not reconnect through; the
                    // schedule goes on reading.
                    tracing::warn!(%err, "Proof's live updates ended");
                    return;
                }
                match tracker.poke(&order).await {
                    Ok(true) => {}
                    Ok(false) => return, // no longer followed: at its end, or forgotten
                    Err(err) => tracing::warn!(%err, "a live update could not poke the tracker"),
                }
            }
        }))
    }
}
