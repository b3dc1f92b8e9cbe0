#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod builder;
mod content;
mod error;
mod ip;
mod sign;
#[cfg(feature = "v2")]
#[cfg_attr(docsrs, doc(cfg(feature = "v2")))]
pub mod v2;
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;

pub use builder::WidgetUrlBuilder;
pub use content::{MAX_INPUT_BYTES, SIGNATURE_PARAMETER, SIGNED_PARAMETERS};
pub use error::{Error, ErrorKind};
pub use ip::{END_USER_IP_HASH, end_user_ip_hash};
/// The wallet address checks this crate runs (`ramp-address`), re-exported.
pub use ramp_address;
pub use ramp_core::{EnvSecretError, SecretString, secret_from_env};
pub use sign::{sign_content, sign_url, signature, verify_url};
#[cfg(feature = "v2")]
pub use v2::{
    PublicKey, SigningKey, sign_request_v2, sign_widget_url_v2, verify_request_v2,
    verify_widget_url_v2,
};
#[cfg(feature = "webhook")]
pub use webhook::{
    Event, HeaderMap, OrderStatus, Verify, WebhookError, WebhookEvent, WebhookVerifier,
};
