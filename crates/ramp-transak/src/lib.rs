#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod builder;
mod client;
mod environment;
mod error;
mod order;
mod order_wire;
mod orders;
mod price;
mod price_quote;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod redis_store;
mod sent_webhooks;
pub mod token;
mod token_manager;
pub mod webhook;
mod widget;
mod widget_rules;
mod widget_types;

pub use builder::ClientBuilder;
pub use client::{Client, DEFAULT_REFRESH_MARGIN};
pub use environment::Environment;
pub use error::{Error, ErrorKind, codes};
pub use order::{Order, OrderStatus};
pub use orders::{MAX_PAGE_SIZE, OrdersPage, OrdersQuery, OrdersQueryBuilder, SortOrder};
pub use price::{BuyOrSell, PriceQuoteRequest, PriceQuoteRequestBuilder};
pub use price_quote::{Fee, PriceQuote};
pub use sent_webhooks::SentWebhook;
pub use token::{AccessToken, BoxFuture, MemoryTokenStore, RefreshLease, StoreError, TokenStore};
pub use webhook::{
    Event, EventType, HeaderMap, Verify, WebhookError, WebhookEvent, WebhookVerifier,
};
pub use widget::{WIDGET_URL_LIFETIME, WidgetParams, WidgetParamsBuilder, WidgetUrl};
pub use widget_types::{
    ColorMode, Products, UserAddress, UserData, WalletAddress, WalletAddressesData,
};

/// The wallet address checks this crate runs (`ramp-address`), re-exported.
pub use ramp_address;
pub use ramp_core::http::{
    ApiError, Error as HttpError, ErrorKind as HttpErrorKind, HttpConfig, RetryPolicy, reqwest,
};
pub use ramp_core::{EnvSecretError, ExposeSecret, SecretString, secret_from_env};
pub use rust_decimal::Decimal;
pub use time::{Date, Month, OffsetDateTime};
pub use url::Url;
