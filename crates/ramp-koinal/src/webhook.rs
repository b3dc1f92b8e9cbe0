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
//! [`WebhookError::BadSignature`] naming the scheme that matched, and you configure that one
//! with [`WebhookVerifier::new`]. The choice is made once, explicitly; it is never guessed per request,
//! and a callback is never accepted under a scheme you did not choose.
//!
//! # In a web handler
//!
//! [`WebhookVerifier`] implements [`ramp_core::webhook::Verify`], the webhook shape every
//! provider crate shares. Verify the raw bytes as received, before any JSON parsing, and answer
//! 2xx only for a verified callback. Koinal may deliver a callback more than once: deduplicate
//! on [`Event::dedup_key`] (`order_id:status`).
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::body::Bytes;
//! use axum::extract::State;
//! use axum::http::{HeaderMap, StatusCode};
//! use axum::routing::post;
//! use axum::Router;
//! use ramp_core::webhook::{Event, Verify, WebhookError};
//! use ramp_koinal::{CallbackScheme, SecretString, WebhookVerifier};
//!
//! async fn koinal_callback(
//!     State(verifier): State<Arc<WebhookVerifier>>,
//!     headers: HeaderMap,
//!     body: Bytes, // the raw body, not a re-serialized JSON value
//! ) -> StatusCode {
//!     match verifier.verify(&body, &headers) {
//!         Ok(callback) => {
//!             // Idempotent: the same (order_id, status) may arrive again.
//!             println!("order {} is {} ({})", callback.order_id, callback.status, callback.dedup_key());
//!             StatusCode::OK
//!         }
//!         Err(WebhookError::Malformed(_)) => StatusCode::BAD_REQUEST,
//!         Err(_) => StatusCode::UNAUTHORIZED,
//!     }
//! }
//!
//! # fn main() -> Result<(), ramp_koinal::Error> {
//! let secret = SecretString::from(std::env::var("KOINAL_CALLBACK_SECRET").unwrap_or_default());
//! let verifier = Arc::new(WebhookVerifier::new(secret, CallbackScheme::default())?);
//! let app: Router = Router::new()
//!     .route("/koinal/callback", post(koinal_callback))
//!     .with_state(verifier);
//! # let _ = app;
//! # Ok(()) }
//! ```

use std::borrow::Cow;
use std::fmt;

use ramp_core::webhook::required_header;
pub use ramp_core::webhook::{Event, HeaderMap, Verify, WebhookError};
use ramp_core::{ExposeSecret, SecretString};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::order::{optional_text, string_or_integer};
use crate::{Error, OrderStatus};

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
    /// What a signature that matches this scheme, and not the configured one, is refused with.
    fn matched_instead(self) -> &'static str {
        match self {
            Self::HmacBodyPlusSecret => {
                "the signature matches CallbackScheme::HmacBodyPlusSecret, not the configured \
                 scheme; verify this account's callbacks with that one"
            }
            Self::Sha256BodyPlusSecret => {
                "the signature matches CallbackScheme::Sha256BodyPlusSecret, not the configured \
                 scheme; verify this account's callbacks with that one"
            }
        }
    }

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
pub struct WebhookEvent {
    /// The order id.
    #[serde(deserialize_with = "string_or_integer")]
    pub order_id: String,
    /// The order's status.
    pub status: OrderStatus,
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

impl WebhookEvent {
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

impl Event for WebhookEvent {
    fn order_id(&self) -> &str {
        &self.order_id
    }

    fn provider_status(&self) -> &str {
        self.status.as_str()
    }

    fn status(&self) -> ramp_core::webhook::OrderStatus {
        self.status.normalized()
    }

    fn wallet_address(&self) -> Option<&str> {
        Some(&self.address)
    }
}

/// Verifies Koinal's callbacks with the callback secret, under one [`CallbackScheme`].
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
    scheme: CallbackScheme,
}

impl WebhookVerifier {
    /// A verifier for callbacks signed with `secret` under `scheme` (see the
    /// [module docs](self) for which). A blank secret is
    /// [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret): anyone can sign with it.
    ///
    /// ```
    /// use ramp_core::webhook::{Event, Verify, WebhookError, header_map};
    /// use ramp_koinal::{CallbackScheme, SecretString, WebhookVerifier};
    ///
    /// let secret = SecretString::from("11qq22ww");
    /// let body = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.10034116,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","blockchain_tx_id":null}"#;
    /// // What Koinal sends under the literal reading: hex(SHA-256(body + secret)).
    /// let signature = ramp_core::sha256_hex(&[&body[..], b"11qq22ww"].concat());
    /// let headers = header_map("Signature", &signature).unwrap();
    ///
    /// let literal = WebhookVerifier::new(secret.clone(), CallbackScheme::Sha256BodyPlusSecret)?;
    /// let callback = literal.verify(body, &headers)?;
    /// assert_eq!(callback.crypto_amount.to_string(), "0.10034116");
    /// assert!(callback.is_terminal());
    /// // The default scheme refuses it, and says which scheme it matched.
    /// let default = WebhookVerifier::new(secret, CallbackScheme::default())?;
    /// assert!(matches!(default.verify(body, &headers), Err(WebhookError::BadSignature(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(secret: SecretString, scheme: CallbackScheme) -> Result<Self, Error> {
        ramp_core::require_secret(CALLBACK_SECRET, &secret)?;
        Ok(Self { secret, scheme })
    }

    /// The scheme this verifier accepts.
    pub fn scheme(&self) -> CallbackScheme {
        self.scheme
    }
}

impl Verify for WebhookVerifier {
    type Event = WebhookEvent;

    /// Checks the `Signature` header over the raw body under the configured scheme, in
    /// constant time; the signed document is the body. Each refusal is distinct:
    /// [`WebhookError::MissingHeader`], [`WebhookError::BadSignature`] (not 64 hex digits;
    /// valid, but under the scheme not chosen, naming it; or not this body's signature). A
    /// correctly signed body that is not the callback JSON is [`WebhookError::Malformed`]
    /// from [`read_event`](Verify::read_event) (and [`verify`](Verify::verify)).
    fn verify_signed<'b>(
        &self,
        raw_body: &'b [u8],
        headers: &HeaderMap,
    ) -> Result<Cow<'b, [u8]>, WebhookError> {
        let signature = required_header(headers, SIGNATURE_HEADER)?;
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(WebhookError::BadSignature(
                "the Signature header is not 64 hex digits",
            ));
        }
        let secret = self.secret.expose_secret();
        if !self.scheme.verifies(raw_body, signature, secret) {
            let other = self.scheme.other();
            return Err(WebhookError::BadSignature(
                if other.verifies(raw_body, signature, secret) {
                    other.matched_instead()
                } else {
                    "the signature does not match the body (a changed body or signature, or the \
                     wrong callback secret)"
                },
            ));
        }
        Ok(Cow::Borrowed(raw_body))
    }

    /// Reads the callback JSON (the signed body).
    fn read_event(&self, signed: &[u8]) -> Result<WebhookEvent, WebhookError> {
        ramp_core::json::from_json_slice(signed).map_err(WebhookError::malformed)
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &"[REDACTED]")
            .field("scheme", &self.scheme)
            .finish()
    }
}

/// Signed callbacks as Koinal would send them, for tests and emulators (feature `test-util`).
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util {
    use ramp_core::webhook::{Delivery, HeaderValue, header_map};
    use ramp_core::{ExposeSecret, SecretString};

    use super::{CallbackScheme, SIGNATURE_HEADER};

    /// The `Signature` header value for `raw_body` under `scheme` (lower-case hex).
    pub fn signature(raw_body: &[u8], secret: &SecretString, scheme: CallbackScheme) -> String {
        let secret = secret.expose_secret();
        let message = [raw_body, secret.as_bytes()].concat();
        match scheme {
            CallbackScheme::HmacBodyPlusSecret => {
                ramp_core::hmac_sha256_hex(secret.as_bytes(), &message)
            }
            CallbackScheme::Sha256BodyPlusSecret => ramp_core::sha256_hex(&message),
        }
    }

    /// `raw_body` with its `Signature` header under `scheme`, and
    /// `Content-Type: application/json`.
    pub fn signed_webhook(
        raw_body: &[u8],
        secret: &SecretString,
        scheme: CallbackScheme,
    ) -> Delivery {
        let mut headers =
            header_map(SIGNATURE_HEADER, &signature(raw_body, secret, scheme)).unwrap_or_default();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        Delivery {
            headers,
            body: raw_body.to_vec(),
        }
    }
}
