//! Webhooks (feature `webhook`, on by default): Onramper signs each delivery's raw body with
//! your webhook secret, `X-Onramper-Webhook-Signature: <lower-case hex HMAC-SHA256>`.
//!
//! [`WebhookVerifier`] is built once from the webhook secret and implements
//! [`ramp_core::webhook::Verify`], the shape every provider crate shares: it verifies the raw
//! bytes as received with the request's headers, and only then reads the event. The webhook
//! secret is its own secret from Onramper (not the API key, not the V1 signing secret). No
//! timestamp or nonce is documented, so nothing stops a captured delivery from being sent
//! again: deduplicate on [`Event::dedup_key`] (`transactionId:status`).
//!
//! ```
//! use ramp_onramper_sign::webhook::{OrderStatus, WebhookVerifier};
//! use ramp_onramper_sign::SecretString;
//! use ramp_core::webhook::{header_map, Event, Verify};
//!
//! let verifier = WebhookVerifier::new(SecretString::from("whsec_onramper_test"))?;
//! let body = br#"{"transactionId":"01H9","status":"completed","transactionType":"buy","inAmount":100,"outAmount":0.00123456789012345678,"targetCurrency":"btc","walletAddress":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}"#;
//! // What Onramper sends: the hex HMAC-SHA256 of the body under the webhook secret.
//! let signature = ramp_core::hmac_sha256_hex(b"whsec_onramper_test", body);
//! let headers = header_map("X-Onramper-Webhook-Signature", &signature).unwrap();
//! let event = verifier.verify(body, &headers)?;
//! assert_eq!(event.status, OrderStatus::Completed);
//! assert_eq!(event.out_amount.unwrap().to_string(), "0.00123456789012345678");
//! assert!(event.is_terminal());
//! assert_eq!(event.dedup_key(), "01H9:completed");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use ramp_core::webhook::required_header;
pub use ramp_core::webhook::{Event, HeaderMap, Verify, WebhookError};
use ramp_core::{ExposeSecret, SecretString};
use rust_decimal::Decimal;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::Error;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Onramper-Webhook-Signature";

/// A transaction's status, as Onramper's webhooks write it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// `new`.
    New,
    /// `pending`.
    Pending,
    /// `paid`.
    Paid,
    /// `completed`.
    Completed,
    /// `failed`.
    Failed,
    /// `canceled`.
    Canceled,
    /// Any other value, as written.
    Other(String),
}

/// A transaction's direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransactionType {
    /// `buy`: fiat to crypto.
    Buy,
    /// `sell`: crypto to fiat.
    Sell,
    /// Any other value, as written.
    Other(String),
}

ramp_core::wire_enum!(OrderStatus {
    New => "new",
    Pending => "pending",
    Paid => "paid",
    Completed => "completed",
    Failed => "failed",
    Canceled => "canceled",
});

ramp_core::wire_enum!(TransactionType { Buy => "buy", Sell => "sell" });

/// A verified webhook: the documented fields, amounts exact. Unknown fields are ignored; the
/// fields Onramper may leave out are `Option`s.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookEvent {
    /// Onramper's transaction id.
    pub transaction_id: String,
    /// The transaction's status.
    pub status: OrderStatus,
    /// `buy` or `sell`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<TransactionType>,
    /// The publishable API key the transaction came through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// The user's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The amount paid in, in the source currency, exact.
    #[serde(
        default,
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub in_amount: Option<Decimal>,
    /// The amount paid out, in the target currency, exact.
    #[serde(
        default,
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub out_amount: Option<Decimal>,
    /// The on-ramp provider that handled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onramp: Option<String>,
    /// The provider's own transaction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onramp_transaction_id: Option<String>,
    /// The `partnerContext` given in the widget URL or API call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_context: Option<String>,
    /// The payment method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// The source currency (fiat for a buy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_currency: Option<String>,
    /// The target currency (crypto for a buy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_currency: Option<String>,
    /// When the status changed (RFC 3339, or seconds or milliseconds since the epoch).
    #[serde(
        default,
        with = "ramp_core::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_date: Option<OffsetDateTime>,
    /// The blockchain transaction hash, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_hash: Option<String>,
    /// The wallet address the crypto goes to (a buy). Compare it with the one you asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_address: Option<String>,
}

impl OrderStatus {
    /// Whether the status is final: `completed`, `failed` or `canceled`.
    pub fn is_terminal(&self) -> bool {
        self.normalized().is_terminal()
    }

    /// The status every provider shares: `new` is created, `pending` pending, `paid`
    /// processing, `completed` completed, `failed` failed, `canceled` cancelled, anything else
    /// unknown.
    pub fn normalized(&self) -> ramp_core::webhook::OrderStatus {
        use ramp_core::webhook::OrderStatus as Normal;
        match self {
            Self::New => Normal::Created,
            Self::Pending => Normal::Pending,
            Self::Paid => Normal::Processing,
            Self::Completed => Normal::Completed,
            Self::Failed => Normal::Failed,
            Self::Canceled => Normal::Cancelled,
            Self::Other(_) => Normal::Unknown,
        }
    }
}

impl Event for WebhookEvent {
    fn order_id(&self) -> &str {
        &self.transaction_id
    }

    fn provider_status(&self) -> &str {
        self.status.as_str()
    }

    fn status(&self) -> ramp_core::webhook::OrderStatus {
        self.status.normalized()
    }

    fn wallet_address(&self) -> Option<&str> {
        self.wallet_address.as_deref()
    }
}

/// Verifies Onramper's webhook deliveries with the webhook secret.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
}

impl WebhookVerifier {
    /// A verifier for deliveries signed with `secret`. A blank secret is
    /// [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret): anyone can sign with it.
    pub fn new(secret: SecretString) -> Result<Self, Error> {
        ramp_core::require_secret(WEBHOOK_SECRET, &secret)?;
        Ok(Self { secret })
    }
}

impl Verify for WebhookVerifier {
    type Event = WebhookEvent;

    /// Checks `X-Onramper-Webhook-Signature` over the raw body in constant time; the signed
    /// document is the body. Refusals: [`WebhookError::MissingHeader`],
    /// [`WebhookError::BadSignature`] (not 64 hex digits, or not this body's signature). A
    /// signed body that is not the documented JSON is [`WebhookError::Malformed`] from
    /// [`read_event`](Verify::read_event) (and [`verify`](Verify::verify)).
    fn verify_signed<'b>(
        &self,
        raw_body: &'b [u8],
        headers: &HeaderMap,
    ) -> Result<std::borrow::Cow<'b, [u8]>, WebhookError> {
        let signature = required_header(headers, SIGNATURE_HEADER)?;
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(WebhookError::BadSignature(
                "the signature is not 64 hex digits",
            ));
        }
        let key = self.secret.expose_secret();
        if !ramp_core::verify_hmac_sha256_hex(key.as_bytes(), raw_body, signature) {
            return Err(WebhookError::BadSignature(
                "the signature does not match the body (a changed body, or the wrong webhook secret)",
            ));
        }
        Ok(std::borrow::Cow::Borrowed(raw_body))
    }

    /// Reads the event JSON (the signed body).
    fn read_event(&self, signed: &[u8]) -> Result<WebhookEvent, WebhookError> {
        ramp_core::json::from_json_slice(signed).map_err(WebhookError::malformed)
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &"[REDACTED]")
            .finish()
    }
}

/// Which secret [`require_secret`](ramp_core::require_secret) names when it refuses one.
const WEBHOOK_SECRET: &str = "Onramper webhook secret";

/// Deliveries as Onramper would send them, for tests and emulators (feature `test-util`).
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util {
    use ramp_core::webhook::{Delivery, header_map};
    use ramp_core::{ExposeSecret, SecretString};

    /// `raw_body` with `X-Onramper-Webhook-Signature`: its lower-case hex HMAC-SHA256 under
    /// `secret`, and `Content-Type: application/json`.
    pub fn signed_webhook(raw_body: &[u8], secret: &SecretString) -> Delivery {
        let signature = ramp_core::hmac_sha256_hex(secret.expose_secret().as_bytes(), raw_body);
        let mut headers = header_map(super::SIGNATURE_HEADER, &signature).unwrap_or_default();
        headers.insert(
            "content-type",
            ramp_core::webhook::HeaderValue::from_static("application/json"),
        );
        Delivery {
            headers,
            body: raw_body.to_vec(),
        }
    }
}
