#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod amount;
mod client;
mod error;
mod json;
mod payment_method;
mod quote;
mod redirect;
mod testnet;
mod validate;
mod widget_session;

pub use amount::Amount;
pub use client::{API_KEY_HEADER, Client, ClientBuilder, SIGNATURE_HEADER};
pub use error::{Error, ErrorKind};
pub use payment_method::PaymentMethod;
pub use quote::{ChainId, Quote, QuoteRequest, QuoteRequestBuilder};
pub use redirect::{Redirect, RedirectStatus};
pub use widget_session::{
    EXTERNAL_PARTNER_ID, UnlockedField, WidgetSession, WidgetSessionRequest,
    WidgetSessionRequestBuilder,
};

/// The wallet address checks this crate runs (`ramp-address`), re-exported.
pub use ramp_address;
pub use ramp_core::http::{
    ApiError, Error as HttpError, ErrorKind as HttpErrorKind, HttpConfig, RetryPolicy, reqwest,
};
pub use ramp_core::{EnvSecretError, ExposeSecret, SecretString, secret_from_env};
pub use rust_decimal::Decimal;
pub use time::OffsetDateTime;
pub use url::Url;

/// The `X-Request-Signature` value for a body: lowercase hex of HMAC-SHA256 keyed with the
/// signature secret, over exactly these bytes.
///
/// Sign the bytes you send. Serializing twice (once to sign, once to send) is the usual cause
/// of Kryptonim's `UNAUTHORIZED`: key order, spacing or number formatting differ and the
/// signature no longer matches. [`Client`] does this for you; use this function when you
/// send with your own HTTP stack.
///
/// A secret that is empty or whitespace only is [`ErrorKind::EmptySecret`]: anyone could compute
/// that signature.
///
/// ```
/// use ramp_kryptonim::{SecretString, sign_body};
///
/// let body = br#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}"#;
/// let secret = SecretString::from("your_signature_secret");
/// assert_eq!(
///     sign_body(body, &secret)?,
///     "89bb1986a2abdef1aae173026af1c04ab07b0366ea7c5c67be96c44168053fab"
/// );
/// assert!(sign_body(body, &SecretString::from("")).is_err());
/// # Ok::<(), ramp_kryptonim::Error>(())
/// ```
pub fn sign_body(body: &[u8], secret: &SecretString) -> Result<String, Error> {
    let secret = ramp_core::require_secret("Kryptonim signature secret", secret)?;
    Ok(ramp_core::hmac_sha256_hex(secret.as_bytes(), body))
}
