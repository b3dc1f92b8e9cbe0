//! Proof's live updates as pokes (feature `proof-live`): the tracker reads a transaction at
//! once when Proof's WebSocket says it changed. The update is a hint, as a webhook is: the
//! read is the event.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt;

use super::{OrderRef, TrackError, Tracker};
use crate::Provider;

impl Tracker {
    /// Follows Proof's transaction `merchant_transaction_id` and reads it at once whenever
    /// Proof's live updates (`client.watch`) say it changed, besides the schedule. One
    /// WebSocket per order, held by the tracker: a second call for an order already listened
    /// to opens none (`Ok(false)`). It ends with the order's following (its final status,
    /// its maximum age, [`forget`](Self::forget)), with the updates (at a final status, or
    /// after an error they could not reconnect through), or at the first update after
    /// another replica stopped following it. It is not restored after a restart (the order
    /// is, with a shared book): call this again for the orders you want live updates for.
    pub async fn follow_proof_live(
        self: &Arc<Self>,
        client: &ramp_proof::Client,
        merchant_transaction_id: &str,
    ) -> Result<bool, TrackError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let order = OrderRef::new(Provider::Proof, merchant_transaction_id);
        self.follow(order.clone()).await?;
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        if !self.reserve_live(&order, id) {
            return Ok(false);
        }
        let updates = client.watch(merchant_transaction_id);
        let tracker = Arc::clone(self);
        let listened = order.clone();
        let task = tokio::spawn(async move {
            let listen = async {
                let mut updates = std::pin::pin!(updates);
                while let Some(update) = updates.next().await {
                    if let Err(err) = update {
                        // The stream ends after an error it could not reconnect through;
                        // the schedule goes on reading.
                        tracing::warn!(%err, "Proof's live updates ended");
                        return;
                    }
                    match tracker.poke(&listened).await {
                        Ok(true) => {}
                        Ok(false) => return, // no longer followed: at its end, or forgotten
                        Err(err) => {
                            tracing::warn!(%err, "a live update could not poke the tracker");
                        }
                    }
                }
            };
            // Never longer than the order may be followed.
            let _ = tokio::time::timeout(tracker.longest(), listen).await;
            tracker.live_ended(&listened, id);
        });
        self.set_live(&order, id, task.abort_handle());
        Ok(true)
    }
}
