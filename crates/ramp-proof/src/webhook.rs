//! The partner webhook: Proof posts the transaction shape on every status change.
//!
//! **Proof documents no webhook signature.** Nothing in a delivery proves it came from Proof,
//! so treat it as a hint and protect the endpoint:
//!
//! - put it on a secret, unguessable path (`/webhooks/proof/3f9c…`), kept out of logs, and
//!   rotate it with Proof if it leaks;
//! - allow only Proof's source addresses, if Proof gives you a list, at the edge or in the
//!   handler;
//! - never act on the webhook's content alone: confirm with [`Client::transaction`] before
//!   anything that moves money or marks an order paid.
//!
//! Delivery is best effort and may repeat, and deliveries may arrive out of order. So
//! [`parse`] returns a [`WebhookHint`], not an event: it names the transaction and what the
//! delivery claims, and [`Client::confirm`] reads the transaction from Proof, which is the
//! event to act on ([`Transaction`] implements [`ramp_core::webhook::Event`]: deduplicate on
//! its `dedup_key()`, never move a transaction back from a final status, and answer 2xx once
//! stored).
//!
//! [`Client::transaction`]: crate::Client::transaction
//! [`Client::confirm`]: crate::Client::confirm
//! [`Transaction`]: crate::Transaction

use ramp_core::webhook::WebhookError;

use crate::{Client, Error, OrderStatus, TransactionUpdate};

/// An unsigned delivery from Proof: a hint that a transaction changed, not a verified event.
/// Nothing in it proves it came from Proof; [`Client::confirm`] reads what is true. It is not
/// an [`Event`](ramp_core::webhook::Event), so no event handler can take it by mistake; it
/// serializes as the delivery's JSON, for logging.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct WebhookHint {
    claimed: TransactionUpdate,
}

impl WebhookHint {
    /// The transaction the delivery names.
    pub fn merchant_transaction_id(&self) -> &str {
        &self.claimed.merchant_transaction_id
    }

    /// The status the delivery claims (unverified).
    pub fn claimed_status(&self) -> &OrderStatus {
        &self.claimed.status
    }
}

/// Reads a webhook body (the raw bytes) as a hint. Unknown fields are ignored; a body that is
/// not the transaction JSON is [`WebhookError::Malformed`] naming the path.
///
/// ```
/// use ramp_proof::{webhook, OrderStatus};
///
/// let hint = webhook::parse(br#"{
///     "merchant_transaction_id": "550e8400-e29b-41d4-a716-446655440000",
///     "type": "buy", "status": "completed", "currency": "USDT", "network": "TRC20",
///     "crypto_amount": "100", "fiat_currency": "EUR", "fiat_amount": "92.57",
///     "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:04:10Z"
/// }"#)?;
/// assert_eq!(hint.merchant_transaction_id(), "550e8400-e29b-41d4-a716-446655440000");
/// assert_eq!(*hint.claimed_status(), OrderStatus::Completed);
/// // Then: let transaction = client.confirm(&hint).await?; and act on that.
/// # Ok::<(), ramp_proof::WebhookError>(())
/// ```
pub fn parse(raw_body: &[u8]) -> Result<WebhookHint, WebhookError> {
    let claimed: TransactionUpdate =
        ramp_core::json::from_json_slice(raw_body).map_err(WebhookError::malformed)?;
    Ok(WebhookHint { claimed })
}

impl Client {
    /// What is true of the transaction a [`WebhookHint`] names: `GET
    /// /widget/transactions/{merchant_transaction_id}`. Act on this, never on the hint. A
    /// transaction Proof does not know is its 404 (`not_found`).
    pub async fn confirm(&self, hint: &WebhookHint) -> Result<crate::Transaction, Error> {
        self.transaction(hint.merchant_transaction_id()).await
    }
}

/// Deliveries as Proof sends them, for tests and emulators (feature `test-util`). Proof signs
/// nothing, so a delivery is its body alone: what makes it trustworthy is the status read.
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util {
    use ramp_core::webhook::{Delivery, HeaderMap, HeaderValue};

    /// `raw_body` (the transaction JSON) with `Content-Type: application/json`, unsigned.
    pub fn unsigned_webhook(raw_body: &[u8]) -> Delivery {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        Delivery {
            headers,
            body: raw_body.to_vec(),
        }
    }
}
