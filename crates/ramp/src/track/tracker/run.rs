//! The tracker's loop: take the due orders in batches, read each, until told to stop.

use std::sync::atomic::{AtomicBool, Ordering};

use super::{MAX_BATCHES, Tracker};
use crate::StoreError;

impl Tracker {
    /// Reads every order due now once (those another replica holds excepted) and returns how
    /// many were read.
    pub async fn tick(&self) -> Result<usize, StoreError> {
        self.tick_while(&AtomicBool::new(false)).await
    }

    /// [`tick`](Self::tick), taking no further batch once `stopping` is set.
    async fn tick_while(&self, stopping: &AtomicBool) -> Result<usize, StoreError> {
        let mut read = 0;
        for _ in 0..MAX_BATCHES {
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            let due = self.book.take_due(self.lease, self.batch).await?;
            let n = due.len();
            read += n;
            let steps = due.into_iter().map(|entry| self.advance(entry));
            for done in futures_util::future::join_all(steps).await {
                done?;
            }
            if n < self.batch {
                break;
            }
        }
        Ok(read)
    }

    /// Follows the orders for ever: [`tick`](Self::tick) whenever an order may be due. Run
    /// it in a task of its own, in every replica; a failing book is logged and retried.
    /// [`Ramp`](crate::Ramp) runs it for you, with a shutdown.
    pub async fn run(&self) {
        self.run_until(std::future::pending()).await;
    }

    /// [`run`](Self::run) until `stop` completes: the batch of reads under way is finished
    /// first (no order is left taken), no other is taken, and it returns.
    pub async fn run_until(&self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        let stopping = AtomicBool::new(false);
        loop {
            let tick = self.tick_while(&stopping);
            tokio::pin!(tick);
            let ticked = tokio::select! {
                ticked = &mut tick => ticked,
                () = &mut stop => {
                    stopping.store(true, Ordering::SeqCst);
                    let _ = tick.await;
                    return;
                }
            };
            let more = match ticked {
                // Cut short with more due: go on at once (once stop is looked at).
                Ok(read) => read >= MAX_BATCHES * self.batch,
                Err(err) => {
                    tracing::error!(%err, "the tracker could not read its book of orders");
                    false
                }
            };
            tokio::select! {
                biased;
                () = &mut stop => return,
                () = async {
                    if !more {
                        let _ = tokio::time::timeout(self.poll, self.wake.notified()).await;
                    }
                } => {}
            }
        }
    }
}
