#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod client;
mod error;
mod kyc;
#[cfg(feature = "websocket")]
#[cfg_attr(docsrs, doc(cfg(feature = "websocket")))]
pub mod live;
#[cfg(feature = "websocket")]
mod live_watch;
mod session;
mod transaction;
pub mod webhook;
mod widget_session;

pub use client::{Client, ClientBuilder};
pub use error::{ApiErrorKind, Error, ErrorKind};
pub use kyc::{Kyc, KycStatus};
#[cfg(feature = "websocket")]
pub use live::{LiveUpdate, UpdateSource, WatchOptions};
/// The webhook shape every provider crate shares; Proof's webhooks are unsigned, so they are
/// a [`WebhookHint`] and the [`Transaction`] read from Proof is the [`Event`].
pub use ramp_core::webhook::{Event, WebhookError};
pub use session::{SessionRequest, SessionRequestBuilder};
pub use transaction::{OrderStatus, Transaction, TransactionType, TransactionUpdate};
pub use webhook::WebhookHint;
pub use widget_session::WidgetSession;

/// The wallet address checks this crate runs (`ramp-address`), re-exported.
pub use ramp_address;
pub use ramp_core::http::{
    ApiError, Error as HttpError, ErrorKind as HttpErrorKind, HttpConfig, RetryPolicy, reqwest,
};
pub use ramp_core::{EnvSecretError, ExposeSecret, SecretString, secret_from_env};
pub use rust_decimal::Decimal;
pub use time::OffsetDateTime;
pub use url::Url;
