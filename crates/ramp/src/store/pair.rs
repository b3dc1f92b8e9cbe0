//! A store that keeps both the handled events and the followed orders, so that the endpoint
//! and the tracker share it by construction.

use std::sync::Arc;

use crate::store::DedupStore;
use crate::track::{MemoryBook, OrderBook};

/// Where handled events and followed orders are kept: what
/// [`Ramp::builder`](crate::Ramp::builder) takes, once, for both the webhook endpoint and the
/// tracker. [`MemoryStore`](crate::MemoryStore) (with a [`MemoryBook`]),
/// `RedisStore` (with its `RedisBook`) and `postgres::PgStore` (with its `PgBook`) are
/// stores; so is a pair of your own `(Arc<dyn DedupStore>, Arc<dyn OrderBook>)`.
pub trait Store: Send + 'static {
    /// The store of handled events and the book of followed orders.
    fn into_parts(self) -> (Arc<dyn DedupStore>, Arc<dyn OrderBook>);
}

impl Store for crate::MemoryStore {
    fn into_parts(self) -> (Arc<dyn DedupStore>, Arc<dyn OrderBook>) {
        (Arc::new(self), Arc::new(MemoryBook::new()))
    }
}

#[cfg(feature = "redis")]
impl Store for crate::RedisStore {
    fn into_parts(self) -> (Arc<dyn DedupStore>, Arc<dyn OrderBook>) {
        let book = crate::track::RedisBook::new(&self);
        (Arc::new(self), Arc::new(book))
    }
}

#[cfg(feature = "postgres")]
impl Store for crate::postgres::PgStore {
    fn into_parts(self) -> (Arc<dyn DedupStore>, Arc<dyn OrderBook>) {
        let book = crate::postgres::PgBook::new(&self);
        (Arc::new(self), Arc::new(book))
    }
}

impl Store for (Arc<dyn DedupStore>, Arc<dyn OrderBook>) {
    fn into_parts(self) -> (Arc<dyn DedupStore>, Arc<dyn OrderBook>) {
        self
    }
}
