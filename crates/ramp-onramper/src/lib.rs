#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod checkout;
mod checkout_wire;
mod client;
mod error;
mod quotes;
mod supported;

pub use checkout::{
    CheckoutRequest, CheckoutRequestBuilder, CheckoutSession, CheckoutType, Platform, RedirectUrl,
};
pub use client::{Client, ClientBuilder, Environment};
pub use error::{Error, ErrorKind};
pub use quotes::{Quote, QuoteError, QuoteRequest, QuoteRequestBuilder};
pub use supported::{
    Asset, Assets, Country, Crypto, DefaultPurchase, Defaults, Fiat, Limit, PaymentType,
    PaymentTypeDetails, Supported,
};

/// The wallet address checks this crate runs (`ramp-address`), re-exported.
pub use ramp_address;
pub use ramp_core::http::{
    ApiError, Error as HttpError, ErrorKind as HttpErrorKind, HttpConfig, RetryPolicy, reqwest,
};
pub use ramp_core::{EnvSecretError, ExposeSecret, SecretString, secret_from_env};
/// The Signature V2 key type, from `ramp-onramper-sign`.
pub use ramp_onramper_sign::v2::SigningKey;
pub use rust_decimal::Decimal;
pub use url::Url;
