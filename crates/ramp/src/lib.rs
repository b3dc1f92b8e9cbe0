#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

#[cfg(all(feature = "axum", feature = "track"))]
mod backend;
mod dedup;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod endpoint;
mod event;
mod from_providers;
mod handler;
mod memory_store;
pub mod metrics;
#[cfg(any(feature = "axum", feature = "track"))]
mod once;
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub mod postgres;
mod provider_event;
#[cfg(feature = "quote")]
#[cfg_attr(docsrs, doc(cfg(feature = "quote")))]
pub mod quote;
#[cfg(feature = "redis")]
mod redis_store;
#[cfg(feature = "axum")]
mod salvage;
pub mod store;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
#[cfg(feature = "track")]
#[cfg_attr(docsrs, doc(cfg(feature = "track")))]
pub mod track;
mod unreadable;

#[cfg(all(feature = "axum", feature = "track"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "axum", feature = "track"))))]
pub use backend::{Ramp, RampBuilder};
pub use dedup::{BoxFuture, StoreError};
pub use event::{Money, OrderEvent, OtherName, Provider, ProviderNameError};
pub use handler::{BoxError, HandlerError};
pub use memory_store::MemoryStore;
#[cfg(any(feature = "axum", feature = "track"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "axum", feature = "track"))))]
pub use once::{DEFAULT_HANDLER_LIMIT, Outcome};
pub use provider_event::ProviderEvent;
pub use ramp_core::webhook::{Event, OrderStatus, Verify, WebhookError};
/// Exact amounts ([`Money::amount`]), and the secrets verifiers take, read from the
/// environment without ever printing.
pub use ramp_core::{SecretString, secret_from_env};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_store::RedisStore;
pub use rust_decimal::Decimal;
pub use unreadable::Unreadable;

/// Transak (feature `transak`).
#[cfg(feature = "transak")]
#[cfg_attr(docsrs, doc(cfg(feature = "transak")))]
pub use ramp_transak as transak;

/// Proof (feature `proof`).
#[cfg(feature = "proof")]
#[cfg_attr(docsrs, doc(cfg(feature = "proof")))]
pub use ramp_proof as proof;

/// Koinal (feature `koinal`).
#[cfg(feature = "koinal")]
#[cfg_attr(docsrs, doc(cfg(feature = "koinal")))]
pub use ramp_koinal as koinal;

/// Onramper's API (feature `onramper`).
#[cfg(feature = "onramper")]
#[cfg_attr(docsrs, doc(cfg(feature = "onramper")))]
pub use ramp_onramper as onramper;

/// Onramper's signing and webhooks (feature `onramper`).
#[cfg(feature = "onramper")]
#[cfg_attr(docsrs, doc(cfg(feature = "onramper")))]
pub use ramp_onramper_sign as onramper_sign;

/// Kryptonim (feature `kryptonim`). It publishes no webhooks and no status API, and the
/// `status=` of its redirect comes from the user's browser, which anyone can forge: it is
/// never an [`OrderEvent`].
#[cfg(feature = "kryptonim")]
#[cfg_attr(docsrs, doc(cfg(feature = "kryptonim")))]
pub use ramp_kryptonim as kryptonim;
