//! What a store of your own implements: [`DedupStore`] (the handled events), and with
//! feature `track` [`OrderBook`](crate::track::OrderBook) (the followed orders). Both are
//! implemented with `async fn` through [`macro@async_trait`] (re-exported: no dependency of
//! your own), and `conformance` (feature `test-util`) checks the promises every store here
//! keeps against yours.
//!
//! The stores this crate has: [`MemoryStore`] (one process),
//! `RedisStore` (feature `redis`) and `postgres::PgStore` (feature `postgres`).
//!
//! A store of your own, complete (one process, like `MemoryStore`: it shows the
//! promises, not a database), is `examples/custom_store.rs` in this crate's repository; its
//! shape:
//!
//! ```
//! use std::time::Duration;
//! use ramp::store::{async_trait, Claim, ClaimToken, DedupStore, EventKey, StoreError};
//! use ramp::Unreadable;
//!
//! struct MyStore { /* a connection */ }
//!
//! #[async_trait]
//! impl DedupStore for MyStore {
//!     async fn claim(&self, key: &EventKey) -> Result<Claim, StoreError> {
//!         // Atomically: the order ended (`key.is_ended_by(its finality)`) → `Ended`; the
//!         // event committed → `Duplicate`; the order claimed and its claim not lapsed →
//!         // `InFlight`; else claim the order for `claim_lease()` under a new token → `New`.
//!         # Ok(Claim::New(ClaimToken::new("t")))
//!     }
//!     async fn renew(&self, key: &EventKey, token: &ClaimToken) -> Result<bool, StoreError> {
//!         // Extend the claim by a lease if `token` still holds it.
//!         # Ok(true)
//!     }
//!     async fn commit(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
//!         // Record the event (a final one: the order ended at `key.finality()`, for good);
//!         // drop the claim if `token` holds it.
//!         # Ok(())
//!     }
//!     async fn release(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
//!         // Drop the claim if `token` holds it.
//!         # Ok(())
//!     }
//!     fn claim_lease(&self) -> Duration {
//!         ramp::store::DEFAULT_LEASE
//!     }
//!     async fn keep_unreadable(&self, delivery: &Unreadable) -> Result<(), StoreError> {
//!         // Keep it once per `delivery.id`.
//!         # Ok(())
//!     }
//!     async fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError> {
//!         # Ok(Vec::new())
//!     }
//!     async fn forget_unreadable(&self, id: &str) -> Result<(), StoreError> {
//!         # Ok(())
//!     }
//! }
//! ```

pub use async_trait::async_trait;

pub use crate::dedup::{
    Claim, ClaimToken, DEFAULT_KEEP, DEFAULT_LEASE, DedupStore, EventKey, SHORTEST_LEASE,
    StoreError,
};
pub use crate::memory_store::MemoryStore;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use crate::redis_store::RedisStore;

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod conformance;

#[cfg(feature = "track")]
mod pair;
#[cfg(feature = "track")]
#[cfg_attr(docsrs, doc(cfg(feature = "track")))]
pub use pair::Store;
