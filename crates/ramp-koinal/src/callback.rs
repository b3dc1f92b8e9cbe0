//! Callbacks: verify the `Signature` header over the raw body, then read the body.
//!
//! # Which signature?
//!
//! Koinal's documentation says the callback signature is "SHA-256 of `<JSON body>` + callback
//! secret". That wording allows two readings:
//!
//! - [`CallbackScheme::HmacBodyPlusSecret`] (the default): `hex(HMAC-SHA256(key = secret,
//!   message = body + secret))`. The same documentation describes the request hash in the same
//!   words, and its worked example proves that one is an HMAC keyed with the secret over the
//!   message with the secret appended; this is the callback analogue.
//! - [`CallbackScheme::Sha256BodyPlusSecret`]: `hex(SHA-256(body + secret))`, the literal
//!   reading.
//!
//! Neither is confirmed by an example. To tell which one your account uses, verify the first
//! real callback: when the signature matches the other scheme, verification fails with
//! [`SignatureError::OtherScheme`] naming the scheme that matched, and you configure that one
//! with [`verify_with`]. The choice is made once, explicitly; it is never guessed per request,
//! and a callback is never accepted under a scheme you did not choose.
//!
//! # In a web handler
//!
//! Verify the raw bytes as received, before any JSON parsing, and answer 2xx only for a
//! verified callback. Koinal may deliver a callback more than once: record it by `order_id`
//! and `status` and make processing idempotent.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::body::Bytes;
//! use axum::extract::State;
//! use axum::http::{HeaderMap, StatusCode};
//! use axum::routing::post;
//! use axum::Router;
//! use ramp_koinal::{callback, ErrorKind, SecretString};
//!
//! async fn koinal_callback(
//!     State(secret): State<Arc<SecretString>>,
//!     headers: HeaderMap,
//!     body: Bytes, // the raw body, not a re-serialized JSON value
//! ) -> StatusCode {
//!     let signature = headers
//!         .get(callback::SIGNATURE_HEADER)
//!         .and_then(|value| value.to_str().ok())
//!         .unwrap_or_default();
//!     match callback::verify(&body, signature, &secret) {
//!         Ok(callback) => {
//!             // Idempotent: the same (order_id, status) may arrive again.
//!             println!("order {} is {}", callback.order_id, callback.status);
//!             StatusCode::OK
//!         }
//!         Err(err) if matches!(err.kind(), ErrorKind::InvalidCallback { .. }) => {
//!             StatusCode::BAD_REQUEST
//!         }
//!         Err(_) => StatusCode::UNAUTHORIZED,
//!     }
//! }
//!
//! let secret = Arc::new(SecretString::from(std::env::var("KOINAL_CALLBACK_SECRET").unwrap_or_default()));
//! let app: Router = Router::new()
//!     .route("/koinal/callback", post(koinal_callback))
//!     .with_state(secret);
//! ```

use ramp_core::SecretString;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::order::{optional_text, string_or_integer};
use crate::{Error, ErrorKind, OrderState, SignatureError};

/// Which secret [`require_secret`](ramp_core::require_secret) names when it refuses one.
const CALLBACK_SECRET: &str = "Koinal callback secret";

/// The header Koinal sends the callback signature in.
pub const SIGNATURE_HEADER: &str = "Signature";

/// How the callback signature is computed; see the [module docs](self) for why there are two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum CallbackScheme {
    /// `hex(HMAC-SHA256(key = secret, message = raw_body + secret))` (the default).
    #[default]
    HmacBodyPlusSecret,
    /// `hex(SHA-256(raw_body + secret))`.
    Sha256BodyPlusSecret,
}

impl CallbackScheme {
    fn other(self) -> Self {
        match self {
            Self::HmacBodyPlusSecret => Self::Sha256BodyPlusSecret,
            Self::Sha256BodyPlusSecret => Self::HmacBodyPlusSecret,
        }
    }

    /// Whether `signature_hex` is this scheme's signature of `raw_body` (constant-time).
    fn verifies(self, raw_body: &[u8], signature_hex: &str, secret: &str) -> bool {
        let message = [raw_body, secret.as_bytes()].concat();
        match self {
            Self::HmacBodyPlusSecret => {
                ramp_core::verify_hmac_sha256_hex(secret.as_bytes(), &message, signature_hex)
            }
            Self::Sha256BodyPlusSecret => ramp_core::verify_sha256_hex(&message, signature_hex),
        }
    }
}

/// A verified callback. Unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Callback {
    /// The order id.
    #[serde(deserialize_with = "string_or_integer")]
    pub order_id: String,
    /// The order's state.
    pub status: OrderState,
    /// Your reference for the customer, as given when the order was made.
    pub customer_reference: String,
    /// The cryptocurrency amount, exact.
    #[serde(with = "ramp_core::decimal::exact")]
    pub crypto_amount: Decimal,
    /// The cryptocurrency code.
    pub cryptocurrency_code: String,
    /// The wallet address the crypto went to. Compare it with the address you ordered for.
    pub address: String,
    /// The blockchain transaction id (`null` or empty means none).
    #[serde(default, deserialize_with = "optional_text")]
    pub blockchain_tx_id: Option<String>,
}

impl Callback {
    /// Whether [`address`](Self::address) is a well-formed address for
    /// [`cryptocurrency_code`](Self::cryptocurrency_code), where the code says which format
    /// (`BTC`, `ETH`, `SOL`, `TRX`, ...): compare it with the address you ordered for before
    /// acting on the callback.
    pub fn address_check(&self) -> ramp_address::Checked {
        match ramp_address::family_of_crypto(&self.cryptocurrency_code) {
            Some(family) => ramp_address::assess(family.name(), &self.address, false),
            None => ramp_address::Checked::UnknownNetwork,
        }
    }
}

/// Verifies a callback with the default scheme ([`CallbackScheme::HmacBodyPlusSecret`]) and
/// returns it parsed. See [`verify_with`].
pub fn verify(
    raw_body: &[u8],
    signature_header: &str,
    secret: &SecretString,
) -> Result<Callback, Error> {
    verify_with(
        raw_body,
        signature_header,
        secret,
        CallbackScheme::default(),
    )
}

/// Verifies `signature_header` over `raw_body` (the bytes as received) under `scheme`, in
/// constant time, and only then parses the body.
///
/// Errors, each distinct: [`ErrorKind::EmptySecret`] (a blank callback secret, refused before
/// anything is computed: anyone can sign with it), [`SignatureError::Missing`] (empty header),
/// [`SignatureError::Malformed`] (not 64 hex digits), [`SignatureError::OtherScheme`] (valid,
/// but under the scheme not chosen), [`SignatureError::Mismatch`] (anything else), and
/// [`ErrorKind::InvalidCallback`] for a correctly signed body that is not the callback JSON.
///
/// ```
/// use ramp_koinal::{callback, CallbackScheme, SecretString};
///
/// let secret = SecretString::from("11qq22ww");
/// let body = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.10034116,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","blockchain_tx_id":null}"#;
/// let signature = callback::sign(body, &secret, CallbackScheme::Sha256BodyPlusSecret)?;
/// let received = callback::verify_with(body, &signature, &secret, CallbackScheme::Sha256BodyPlusSecret)?;
/// assert_eq!(received.crypto_amount.to_string(), "0.10034116");
/// // The default scheme refuses it, and says which scheme it matched.
/// assert!(callback::verify(body, &signature, &secret).is_err());
/// # Ok::<(), ramp_koinal::Error>(())
/// ```
pub fn verify_with(
    raw_body: &[u8],
    signature_header: &str,
    secret: &SecretString,
    scheme: CallbackScheme,
) -> Result<Callback, Error> {
    let secret = ramp_core::require_secret(CALLBACK_SECRET, secret)?;
    let signature = signature_header.trim();
    if signature.is_empty() {
        return Err(Error::from(ErrorKind::Signature(SignatureError::Missing)));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::from(ErrorKind::Signature(SignatureError::Malformed)));
    }
    if !scheme.verifies(raw_body, signature, secret) {
        let other = scheme.other();
        return Err(Error::from(ErrorKind::Signature(
            if other.verifies(raw_body, signature, secret) {
                SignatureError::OtherScheme {
                    configured: scheme,
                    matches: other,
                }
            } else {
                SignatureError::Mismatch
            },
        )));
    }
    ramp_core::http::from_json_slice(raw_body).map_err(|err| {
        Error::from(ErrorKind::InvalidCallback {
            path: err.path,
            message: err.message,
        })
    })
}

/// The `Signature` header value for `raw_body` under `scheme` (lower-case hex): for tests
/// and for emulating Koinal. A blank secret is [`ErrorKind::EmptySecret`].
pub fn sign(
    raw_body: &[u8],
    secret: &SecretString,
    scheme: CallbackScheme,
) -> Result<String, Error> {
    let secret = ramp_core::require_secret(CALLBACK_SECRET, secret)?;
    let message = [raw_body, secret.as_bytes()].concat();
    Ok(match scheme {
        CallbackScheme::HmacBodyPlusSecret => {
            ramp_core::hmac_sha256_hex(secret.as_bytes(), &message)
        }
        CallbackScheme::Sha256BodyPlusSecret => ramp_core::sha256_hex(&message),
    })
}
