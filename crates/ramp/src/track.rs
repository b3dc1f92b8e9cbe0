//! Following orders to their end when pushes are lost (feature `track`): the [`Tracker`]
//! reads each provider's status on a backoff schedule, at once when poked, hands each change
//! to the handler once, and stops at a final status. [`Ramp`](crate::Ramp) runs one beside
//! the webhook endpoint; [`track`] follows a single order with one, as a stream.

use std::time::Duration;

use crate::OrderEvent;

mod book;
mod memory_book;
mod one;
#[cfg(feature = "proof-live")]
mod proof_live;
#[cfg(feature = "redis")]
mod redis_book;
mod tracker;

pub use book::{BookEntry, OrderBook, OrderRef};
pub use memory_book::MemoryBook;
pub use one::{Poke, track};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_book::RedisBook;
pub use tracker::{DEFAULT_MAX_AGE, DEFAULT_UNKNOWN_FOR, MAX_REFUSED, TrackError, Tracker};

/// Why a status read failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ReadError {
    /// What failed, from the provider crate's error.
    pub message: String,
    /// Whether reading again soon may succeed (a timeout, a 5xx). A refusal (an unknown
    /// order, a bad credential) ends [`track`]'s stream; a [`Tracker`] tries it again at the
    /// longest wait, up to [`MAX_REFUSED`] times in a row.
    pub retryable: bool,
}

impl ReadError {
    #[allow(dead_code)] // unused when no provider feature is on
    fn new(retryable: bool, err: &impl std::fmt::Display) -> Self {
        Self {
            message: err.to_string(),
            retryable,
        }
    }
}

/// A provider's status read, as the tracker needs it.
#[async_trait::async_trait]
pub trait StatusRead: Send + Sync + 'static {
    /// The order's status now.
    async fn read(&self, order_id: &str) -> Result<OrderEvent, ReadError>;

    /// The status of a followed order now: [`read`](Self::read) of its id, unless the
    /// provider's read needs more of it (Koinal's needs the customer reference).
    async fn read_order(&self, order: &OrderRef) -> Result<OrderEvent, ReadError> {
        self.read(&order.order_id).await
    }

    /// Whether [`read_order`](Self::read_order) needs the order's `partner_reference`.
    fn needs_reference(&self) -> bool {
        false
    }

    /// The events the provider sent (or tried to send) for the order, oldest first, where it
    /// lists them: the way to recover a webhook that never arrived. None by default; Transak
    /// lists them (Get Webhooks).
    async fn missed(&self, _order: &OrderRef) -> Result<Vec<OrderEvent>, ReadError> {
        Ok(Vec::new())
    }
}

#[cfg(feature = "transak")]
#[async_trait::async_trait]
impl StatusRead for ramp_transak::Client {
    async fn read(&self, order_id: &str) -> Result<OrderEvent, ReadError> {
        self.order(order_id)
            .await
            .map(|order| OrderEvent::from(&order))
            .map_err(|err| ReadError::new(err.is_retryable(), &err))
    }

    /// Get Webhooks for the order: every webhook Transak sent for it, in the order sent.
    async fn missed(&self, order: &OrderRef) -> Result<Vec<OrderEvent>, ReadError> {
        let mut sent = self
            .sent_webhooks(&order.order_id, None)
            .await
            .map_err(|err| ReadError::new(err.is_retryable(), &err))?;
        // Stable: entries without a time keep Transak's order.
        sent.sort_by_key(|webhook| webhook.created_at);
        Ok(sent
            .iter()
            .map(|webhook| OrderEvent::from(&webhook.event))
            .collect())
    }
}

#[cfg(feature = "proof")]
#[async_trait::async_trait]
impl StatusRead for ramp_proof::Client {
    async fn read(&self, order_id: &str) -> Result<OrderEvent, ReadError> {
        self.transaction(order_id)
            .await
            .map(|tx| OrderEvent::from(&tx))
            .map_err(|err| ReadError::new(err.is_retryable(), &err))
    }
}

/// Koinal's status read needs the customer reference the order was made for.
#[cfg(feature = "koinal")]
#[derive(Debug, Clone)]
pub struct KoinalOrders {
    /// The client.
    pub client: ramp_koinal::Client,
    /// The customer reference the orders were made for.
    pub customer_reference: String,
}

#[cfg(feature = "koinal")]
#[async_trait::async_trait]
impl StatusRead for KoinalOrders {
    async fn read(&self, order_id: &str) -> Result<OrderEvent, ReadError> {
        let order = OrderRef::new(crate::Provider::Koinal, order_id)
            .partner_reference(self.customer_reference.as_str());
        self.client.read_order(&order).await
    }
}

/// Koinal's status read is signed for the customer the order was made for: a followed order
/// carries it as its `partner_reference`; a bare order id cannot be read.
#[cfg(feature = "koinal")]
#[async_trait::async_trait]
impl StatusRead for ramp_koinal::Client {
    async fn read(&self, _order_id: &str) -> Result<OrderEvent, ReadError> {
        Err(ReadError {
            message: "Koinal's status read needs the order's customer reference: follow a \
                      OrderRef with its partner_reference"
                .into(),
            retryable: false,
        })
    }

    fn needs_reference(&self) -> bool {
        true
    }

    async fn read_order(&self, order: &OrderRef) -> Result<OrderEvent, ReadError> {
        let Some(customer) = order.partner_reference.as_deref() else {
            return self.read(&order.order_id).await;
        };
        self.order_status(customer, &order.order_id)
            .await
            .map(|report| OrderEvent {
                // The report does not repeat the customer it was read for.
                partner_reference: Some(customer.to_owned()),
                ..OrderEvent::from(&report)
            })
            .map_err(|err| ReadError::new(err.is_retryable(), &err))
    }
}

/// The schedule: the first wait, doubled after every read that changed nothing, up to `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The wait after a change (and the first one).
    pub first: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for Schedule {
    /// 5 s, up to 5 min.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(5),
            max: Duration::from_secs(300),
        }
    }
}
