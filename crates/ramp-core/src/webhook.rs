//! The one webhook shape every provider crate implements (feature `webhook`).
//!
//! A provider's verifier is built once from its secret(s) and implements [`Verify`]: it takes
//! the raw body, as received, and the request's headers (an `http::HeaderMap`, what axum,
//! hyper and reqwest hand a web handler), and returns the provider's typed event or a
//! [`WebhookError`] naming the cause. Every event implements [`Event`]: the order it is about,
//! the provider's status, whether that status is final, and the key to deduplicate it by.
//!
//! ```
//! use ramp_core::webhook::{Event, HeaderMap, Verify, WebhookError};
//!
//! /// What a web handler does with any provider's verifier.
//! fn handle<V: Verify>(verifier: &V, headers: &HeaderMap, body: &[u8]) -> u16 {
//!     match verifier.verify(body, headers) {
//!         Ok(event) => {
//!             println!("{} is {} ({})", event.order_id(), event.provider_status(), event.dedup_key());
//!             200
//!         }
//!         // Signed, but not the documented shape: redelivering will not help.
//!         Err(WebhookError::Malformed(_)) => 400,
//!         Err(_) => 401,
//!     }
//! }
//! ```

use std::fmt;

pub use http::{HeaderMap, HeaderName, HeaderValue};

use crate::json::JsonError;

/// Verifies a provider's webhook deliveries: implemented by each provider crate's verifier.
///
/// Verifying is two steps, each of its own: [`verify_signed`](Self::verify_signed) checks the
/// signature and returns the document the provider signed, unread; [`read_event`](Self::read_event)
/// reads the typed event from it. [`verify`](Self::verify) does both. A receiver that must not
/// drop a genuine delivery its reader cannot read (a field the provider left out, say) uses
/// the two steps: after the first, the document is known to be the provider's, whatever the
/// second says.
pub trait Verify {
    /// The typed event a verified delivery carries.
    type Event: Event;

    /// Checks the signature of `raw_body` (the bytes as received, before any parsing) with
    /// the request's `headers`, and returns the document the provider signed: the raw body
    /// itself, or the payload the body carries (Transak's JWT). Nothing in it is read as the
    /// event yet. Every refusal but [`WebhookError::Malformed`] means nothing may be trusted;
    /// `Malformed` here means the signature held but a signed part needed to check it (a time
    /// claim) could not be read.
    fn verify_signed<'b>(
        &self,
        raw_body: &'b [u8],
        headers: &HeaderMap,
    ) -> Result<std::borrow::Cow<'b, [u8]>, WebhookError>;

    /// Reads the event from a document [`verify_signed`](Self::verify_signed) returned;
    /// [`WebhookError::Malformed`] naming the path where it is not the documented event.
    fn read_event(&self, signed: &[u8]) -> Result<Self::Event, WebhookError>;

    /// Verifies `raw_body` (the bytes as received, before any parsing) with the request's
    /// `headers`, and only then reads the event.
    fn verify(&self, raw_body: &[u8], headers: &HeaderMap) -> Result<Self::Event, WebhookError> {
        let signed = self.verify_signed(raw_body, headers)?;
        self.read_event(&signed)
    }
}

/// An order's status, the same for every provider: each provider crate maps its own statuses
/// onto these, next to their definitions (`normalized()`), as the table in
/// `docs/architecture.md` says.
///
/// ```
/// use ramp_core::webhook::OrderStatus;
///
/// assert!(OrderStatus::Refunded.is_terminal());
/// assert!(!OrderStatus::Processing.is_terminal());
/// assert_eq!(OrderStatus::Cancelled.to_string(), "cancelled");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum OrderStatus {
    /// Made, nothing asked of the user yet.
    Created,
    /// Waiting for the user's payment.
    Pending,
    /// Paid; the crypto is on its way.
    Processing,
    /// The crypto was delivered (final).
    Completed,
    /// The order failed (final).
    Failed,
    /// The order was cancelled (final).
    Cancelled,
    /// The order expired before it was paid (final).
    Expired,
    /// The payment was refunded (final).
    Refunded,
    /// A status the provider has not documented: read the provider's own status beside it.
    Unknown,
}

impl OrderStatus {
    /// Whether nothing follows it: completed, failed, cancelled, expired, refunded.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Cancelled | Self::Expired | Self::Refunded
        )
    }

    /// Its name: `created`, `pending`, ..., `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Refunded => "refunded",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What every provider's webhook event answers.
pub trait Event {
    /// The provider's id of the order (transaction) the event is about.
    fn order_id(&self) -> &str;

    /// The order's status, as the provider wrote it.
    fn provider_status(&self) -> &str;

    /// The provider's status, normalized.
    fn status(&self) -> OrderStatus;

    /// Whether that status is final: nothing follows it.
    fn is_terminal(&self) -> bool {
        self.status().is_terminal()
    }

    /// The wallet address the crypto goes to, when the event carries one: compare it with the
    /// one you ordered for before acting on the event.
    fn wallet_address(&self) -> Option<&str> {
        None
    }

    /// `order_id:provider_status`: the same key means the same event, delivered again. A `:`
    /// or `%` in the order id is escaped (`%3A`, `%25`), so that no two events share a key.
    fn dedup_key(&self) -> String {
        format!("{}:{}", key_part(self.order_id()), self.provider_status())
    }
}

/// `text` with `%` and `:` escaped (`%25`, `%3A`), as a part of a key whose parts `:` joins;
/// text without either is returned as it is.
pub fn key_part(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains([':', '%']) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace('%', "%25").replace(':', "%3A"))
}

/// Why a delivery was refused: one variant per cause.
///
/// Only [`Malformed`](Self::Malformed) comes after a valid signature; every other variant
/// means nothing in the delivery may be trusted. No variant holds a secret or a signature.
/// Three words (a static reason and a tag); the body's path and message are boxed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The verifier has nothing to verify with; says what to configure.
    NoKey(&'static str),
    /// A header the provider always sends is absent or empty (its name).
    MissingHeader(&'static str),
    /// The signature is malformed, or does not verify under the configured key(s): a changed
    /// body, a forged or changed signature, or the wrong secret. Says which check failed.
    BadSignature(&'static str),
    /// The signature holds but the delivery is outside its validity window (expired, not
    /// valid yet, or issued in the future): stale or replayed. Says which.
    Expired(&'static str),
    /// The signature holds but the body is not the documented event (for a provider that
    /// signs nothing, such as Proof: the body is not the documented shape): where and why.
    Malformed(Box<JsonError>),
}

impl WebhookError {
    /// A [`Malformed`](Self::Malformed) error from a decoding failure.
    pub fn malformed(err: JsonError) -> Self {
        Self::Malformed(Box::new(err))
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoKey(what) => write!(f, "webhook refused: nothing to verify it with ({what})"),
            Self::MissingHeader(name) => {
                write!(f, "webhook refused: the {name} header is missing or empty")
            }
            Self::BadSignature(why) => write!(f, "webhook refused: bad signature: {why}"),
            Self::Expired(why) => write!(f, "webhook refused: {why}"),
            Self::Malformed(err) => write!(
                f,
                "webhook refused: signed, but the body could not be read at `{}`: {}",
                err.path, err.message
            ),
        }
    }
}

impl std::error::Error for WebhookError {}

/// A delivery as a provider would send it: the headers and the raw body. Made by each
/// provider crate's `test_util` (feature `test-util`) for tests and emulators.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    /// The request headers (the signature among them, where the provider signs in one).
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
}

/// The value of header `name` as text, trimmed; `MissingHeader(name)` when it is absent,
/// empty or not visible ASCII.
pub fn required_header<'a>(
    headers: &'a HeaderMap,
    name: &'static str,
) -> Result<&'a str, WebhookError> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or(WebhookError::MissingHeader(name))
}

/// A `HeaderMap` with one header, for building a [`Delivery`].
///
/// Returns `None` when `name` or `value` is not a valid header name or value.
pub fn header_map(name: &str, value: &str) -> Option<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_bytes(name.as_bytes()).ok()?,
        HeaderValue::from_str(value).ok()?,
    );
    Some(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_is_required_present_and_readable() {
        let headers = header_map("Signature", " abc ").unwrap();
        assert_eq!(required_header(&headers, "signature"), Ok("abc"));
        assert_eq!(
            required_header(&HeaderMap::new(), "Signature"),
            Err(WebhookError::MissingHeader("Signature"))
        );
        let blank = header_map("Signature", "  ").unwrap();
        assert_eq!(
            required_header(&blank, "Signature"),
            Err(WebhookError::MissingHeader("Signature"))
        );
        let mut opaque = HeaderMap::new();
        opaque.insert("signature", HeaderValue::from_bytes(&[0xff]).unwrap());
        assert!(required_header(&opaque, "signature").is_err());
    }

    #[test]
    fn an_order_id_with_a_colon_cannot_make_another_events_key() {
        assert_eq!(key_part("01HX9"), "01HX9");
        assert_eq!(key_part("a:b%c"), "a%3Ab%25c");
        // Order `a:b` at `c`, and order `a` at `b:c`: two events, two keys.
        let one = format!("{}:{}", key_part("a:b"), "c");
        let other = format!("{}:{}", key_part("a"), "b:c");
        assert_ne!(one, other);
        assert_ne!(key_part("a%3Ab"), key_part("a:b"));
    }

    #[test]
    fn errors_name_the_cause_and_are_small() {
        assert_eq!(
            WebhookError::malformed(JsonError::at("status", "invalid type")).to_string(),
            "webhook refused: signed, but the body could not be read at `status`: invalid type"
        );
        assert!(std::mem::size_of::<WebhookError>() <= 3 * std::mem::size_of::<usize>());
    }
}
