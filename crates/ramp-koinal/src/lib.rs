#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod auth;
mod client;
mod error;
mod order;
mod quote;
pub mod webhook;

pub use auth::{AuthHash, HASH_FUTURE_SKEW, MAX_HASH_HEADER_BYTES};
pub use client::{Client, ClientBuilder, HASH_HEADER, SUCCESS_CODE};
pub use error::{Error, ErrorKind, HashError};
pub use order::{Order, OrderReport, OrderRequest, OrderRequestBuilder, OrderStatus};
pub use quote::{Quote, QuoteRequest, QuoteRequestBuilder};
/// The webhook shape every provider crate shares: verify a delivery, read what any event answers.
pub use webhook::{
    CallbackScheme, Event, HeaderMap, Verify, WebhookError, WebhookEvent, WebhookVerifier,
};

/// The wallet address checks this crate runs (`ramp-address`), re-exported.
pub use ramp_address;
pub use ramp_core::http::{
    ApiError, Error as HttpError, ErrorKind as HttpErrorKind, HttpConfig, RetryPolicy, reqwest,
};
pub use ramp_core::{EnvSecretError, ExposeSecret, SecretString, secret_from_env};
pub use rust_decimal::Decimal;
pub use url::Url;
