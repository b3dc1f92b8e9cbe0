//! One read of one followed order, and what follows from it.

use std::time::Duration;

use super::{MAX_REFUSED, Tracker};
use crate::once::Outcome;
use crate::track::book::{BookEntry, ms, now_ms};
use crate::track::{OrderRef, ReadError, StatusRead};
use crate::{OrderEvent, StoreError};

impl Tracker {
    /// One read of one order: the event handled if its status changed (the webhooks missed
    /// before it first, where the provider lists them), the order closed at a final status,
    /// given up past its age or after too many refusals, rescheduled otherwise.
    pub(super) async fn advance(&self, mut entry: BookEntry) -> Result<(), StoreError> {
        let (first, max) = (
            self.first_wait(),
            ms(self.schedule.max).max(self.first_wait()),
        );
        let longer = |wait: u64| wait.saturating_mul(2).clamp(first, max);
        let now = now_ms();
        if entry.since_ms == 0 {
            entry.since_ms = now; // written before the age was kept
        }
        let age = Duration::from_millis(now.saturating_sub(entry.since_ms));
        if age > self.max_age {
            tracing::warn!(
                order = entry.order.key(),
                max_age = ?self.max_age,
                last_status = entry.last_status,
                "an order followed for longer than the tracker's maximum age reached no final status: it is given up"
            );
            let why = ReadError {
                message: format!(
                    "followed longer than {:?} without a final status",
                    self.max_age
                ),
                retryable: false,
            };
            return self.give_up(&entry.order, "max_age", Some(&why)).await;
        }
        let Some(source) = self.sources.get(&entry.order.provider) else {
            // Followed by a replica that reads this provider; this one does not.
            return self.reschedule(&entry).await;
        };
        let read = source.read_order(&entry.order).await;
        let provider = entry.order.provider;
        crate::metrics::read(
            provider,
            match &read {
                Ok(event)
                    if entry.last_status.as_deref() == Some(event.provider_status.as_str()) =>
                {
                    "unchanged"
                }
                Ok(_) => "changed",
                Err(err) if err.retryable => "failed",
                Err(_) => "refused",
            },
        );
        entry.refused = match &read {
            Err(err) if !err.retryable => entry.refused.saturating_add(1),
            _ => 0,
        };
        match read {
            Ok(event) if entry.last_status.as_deref() == Some(event.provider_status.as_str()) => {
                entry.seen = true;
                entry.wait_ms = longer(entry.wait_ms);
            }
            Ok(event) => {
                entry.seen = true;
                let (terminal, status) = (event.is_terminal(), event.provider_status.clone());
                let outcome = match self.recover(source.as_ref(), &entry).await {
                    Some(outcome) => outcome,
                    None => self.once.handle(event).await,
                };
                entry.wait_ms = match outcome {
                    Outcome::Ended => return self.give_up(&entry.order, "ended", None).await,
                    Outcome::Handled | Outcome::Duplicate | Outcome::GaveUp if terminal => {
                        return self.give_up(&entry.order, "ended", None).await;
                    }
                    Outcome::Handled | Outcome::Duplicate | Outcome::GaveUp => {
                        entry.last_status = Some(status);
                        first
                    }
                    // Another event of it is being handled: read again soon.
                    Outcome::InFlight => first,
                    // Not handled: read again, less often while it keeps failing.
                    _ => longer(entry.wait_ms),
                };
            }
            Err(err) if err.retryable => {
                // The provider or the network failed: read again, less often meanwhile.
                tracing::warn!(order = entry.order.key(), %err, "an order's status read failed; it is read again later");
                entry.wait_ms = longer(entry.wait_ms);
            }
            Err(err) if !err.retryable && self.refused.is_some() => {
                return self.give_up(&entry.order, "refused", Some(&err)).await;
            }
            Err(err) if !entry.seen && age >= self.unknown_for => {
                tracing::warn!(order = entry.order.key(), %err, unknown_for = ?self.unknown_for, "an order only a hint named, that its provider never knew, is given up");
                return self.give_up(&entry.order, "unknown", Some(&err)).await;
            }
            Err(err) if !entry.seen => {
                // Not known yet: the read may lag a new order; read again on the schedule.
                tracing::info!(order = entry.order.key(), %err, "an order its provider does not know yet");
                entry.wait_ms = longer(entry.wait_ms);
            }
            Err(err) if entry.refused >= MAX_REFUSED => {
                tracing::error!(order = entry.order.key(), %err, "an order's status read was refused {MAX_REFUSED} times in a row: it is given up");
                return self.give_up(&entry.order, "refused", Some(&err)).await;
            }
            Err(err) => {
                // A refusal (a bad credential) is tried again at the longest wait: a fixed
                // credential finds the order again.
                tracing::error!(order = entry.order.key(), %err, "an order's status read was refused");
                entry.wait_ms = max;
            }
        }
        self.reschedule(&entry).await
    }

    /// Stops following `order`, counted under `reason`; `why`, when it was given up before
    /// its end, is told to whoever asked ([`track`](crate::track::track)).
    async fn give_up(
        &self,
        order: &OrderRef,
        reason: &'static str,
        why: Option<&ReadError>,
    ) -> Result<(), StoreError> {
        if let (Some(told), Some(why)) = (&self.refused, why) {
            told(why);
        }
        self.forget(order).await?;
        crate::metrics::close(order.provider, reason);
        Ok(())
    }

    async fn reschedule(&self, entry: &BookEntry) -> Result<(), StoreError> {
        self.book
            .reschedule(entry, Duration::from_millis(entry.wait_ms))
            .await
    }

    /// The webhooks the provider sent for the order, handed to the handler in the order sent
    /// before the read that found it changed: `Some` outcome when one was not settled (the
    /// read's event waits for the next read), `None` when all were, or none could be listed.
    async fn recover(&self, source: &dyn StatusRead, entry: &BookEntry) -> Option<Outcome> {
        if !self.recover {
            return None;
        }
        let missed: Vec<OrderEvent> = match source.missed(&entry.order).await {
            Ok(missed) => missed,
            Err(ReadError { message, .. }) => {
                tracing::warn!(
                    order = entry.order.key(),
                    message,
                    "the webhooks sent for an order could not be listed"
                );
                return None;
            }
        };
        for event in missed {
            let outcome = self.once.handle(event).await;
            if !outcome.is_settled() {
                return Some(outcome);
            }
        }
        None
    }
}
