#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod builder;
mod content;
mod error;
mod sign;

pub use builder::WidgetUrlBuilder;
pub use content::{MAX_INPUT_BYTES, SIGNATURE_PARAMETER, SIGNED_PARAMETERS};
pub use error::Error;
pub use ramp_core::SecretString;
pub use sign::{sign_content, sign_url, signature, verify_url};
