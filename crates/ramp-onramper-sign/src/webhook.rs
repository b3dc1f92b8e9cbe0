//! Webhooks (feature `webhook`, on by default): Onramper signs each delivery's raw body with
//! your webhook secret, `X-Onramper-Webhook-Signature: <lower-case hex HMAC-SHA256>`.
//!
//! Verify the raw bytes as received, before parsing; only then trust the event. The webhook
//! secret is its own secret from Onramper (not the API key, not the V1 signing secret). No
//! timestamp or nonce is documented, so nothing stops a captured delivery from being sent
//! again: make the handler idempotent on [`WebhookEvent::idempotency_key`].

use ramp_core::SecretString;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::Error;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Onramper-Webhook-Signature";

/// A transaction's status, as Onramper's webhooks write it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
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

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// The value as Onramper writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $name,)*
                    Self::Other(other) => other,
                }
            }
        }

        impl From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $($name => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::from(String::deserialize(d)?.as_str()))
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

text_enum!(Status {
    New => "new",
    Pending => "pending",
    Paid => "paid",
    Completed => "completed",
    Failed => "failed",
    Canceled => "canceled",
});

text_enum!(TransactionType { Buy => "buy", Sell => "sell" });

/// A verified webhook: the documented fields, amounts exact. Unknown fields are ignored; the
/// fields Onramper may leave out are `Option`s.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookEvent {
    /// Onramper's transaction id.
    pub transaction_id: String,
    /// The transaction's status.
    pub status: Status,
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
    /// When the status changed, as Onramper writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date: Option<String>,
    /// The blockchain transaction hash, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_hash: Option<String>,
    /// The wallet address the crypto goes to (a buy). Compare it with the one you asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_address: Option<String>,
}

impl WebhookEvent {
    /// `transactionId:status`: the key to make processing idempotent on.
    pub fn idempotency_key(&self) -> String {
        format!("{}:{}", self.transaction_id, self.status)
    }
}

/// Verifies `X-Onramper-Webhook-Signature` over the raw body (constant-time) and only then
/// parses the event.
///
/// Errors: [`Error::EmptySecret`] for a blank webhook secret (before anything is computed),
/// [`Error::WebhookSignature`] for a missing, malformed (not 64 hex digits) or wrong
/// signature, [`Error::InvalidWebhook`] for a signed body that is not the documented JSON.
///
/// ```
/// use ramp_onramper_sign::{webhook, SecretString};
///
/// let secret = SecretString::from("whsec_onramper_test");
/// let body = br#"{"transactionId":"01H9","status":"completed","transactionType":"buy","inAmount":100,"outAmount":0.00123456789012345678,"targetCurrency":"btc","walletAddress":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}"#;
/// let signature = webhook::sign(body, &secret)?;
/// let event = webhook::verify(body, &signature, &secret)?;
/// assert_eq!(event.status, webhook::Status::Completed);
/// assert_eq!(event.out_amount.unwrap().to_string(), "0.00123456789012345678");
/// assert!(webhook::verify(body, &signature, &SecretString::from("another")).is_err());
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn verify(
    raw_body: &[u8],
    signature_header: &str,
    secret: &SecretString,
) -> Result<WebhookEvent, Error> {
    let key = ramp_core::require_secret(WEBHOOK_SECRET, secret)?;
    let signature = signature_header.trim();
    if signature.is_empty() {
        return Err(Error::WebhookSignature {
            reason: "the X-Onramper-Webhook-Signature header is missing or empty",
        });
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::WebhookSignature {
            reason: "the signature is not 64 hex digits",
        });
    }
    if !ramp_core::verify_hmac_sha256_hex(key.as_bytes(), raw_body, signature) {
        return Err(Error::WebhookSignature {
            reason: "the signature does not match the body (changed body, or the wrong webhook secret)",
        });
    }
    ramp_core::json::from_json_slice(raw_body).map_err(|err| Error::InvalidWebhook {
        path: err.path,
        message: err.message,
    })
}

/// The `X-Onramper-Webhook-Signature` value for `raw_body`: lower-case hex HMAC-SHA256. For
/// tests and emulators. A blank secret is [`Error::EmptySecret`].
pub fn sign(raw_body: &[u8], secret: &SecretString) -> Result<String, Error> {
    let key = ramp_core::require_secret(WEBHOOK_SECRET, secret)?;
    Ok(ramp_core::hmac_sha256_hex(key.as_bytes(), raw_body))
}

/// Which secret [`require_secret`](ramp_core::require_secret) names when it refuses one.
const WEBHOOK_SECRET: &str = "Onramper webhook secret";
