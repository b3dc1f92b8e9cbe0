#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod secret;
mod sign;
pub mod validate;

#[cfg(feature = "http-base")]
pub mod http;

#[cfg(feature = "decimal")]
pub mod decimal;

pub use secret::{EnvSecretError, ExposeSecret, SecretString, secret_from_env};
pub use sign::{
    Base64Error, SHA256_LEN, base64_decode, base64_encode, hmac_sha256, hmac_sha256_hex,
    sha256_hex, verify_hmac_sha256, verify_hmac_sha256_hex, verify_sha256_hex,
};

/// `"<crate name>/<crate version>"` of the crate that expands it, for the `User-Agent` header.
///
/// A provider crate passes `ramp_core::user_agent!()` to the HTTP client builder, so every
/// request says which crate and version sent it.
///
/// ```
/// assert_eq!(ramp_core::user_agent!(), concat!("ramp-core/", env!("CARGO_PKG_VERSION")));
/// ```
#[macro_export]
macro_rules! user_agent {
    () => {
        concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))
    };
}
