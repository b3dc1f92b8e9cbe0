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
//! Delivery is best effort and may repeat, and deliveries may arrive out of order: make the
//! handler idempotent on [`Transaction::idempotency_key`] (`merchant_transaction_id` +
//! `status`), never move a transaction back from a final status, and answer 2xx once stored.
//!
//! [`Client::transaction`]: crate::Client::transaction
//! [`Transaction::idempotency_key`]: crate::Transaction::idempotency_key

use crate::{Error, ErrorKind, TransactionUpdate};

/// Parses a webhook body (the raw bytes). Unknown fields are ignored; a body that is not the
/// transaction JSON is [`ErrorKind::InvalidWebhook`] naming the path.
///
/// ```
/// use ramp_proof::{webhook, TransactionStatus};
///
/// let update = webhook::parse(br#"{
///     "merchant_transaction_id": "550e8400-e29b-41d4-a716-446655440000",
///     "type": "buy", "status": "completed", "currency": "USDT", "network": "TRC20",
///     "crypto_amount": "100", "fiat_currency": "EUR", "fiat_amount": "92.57",
///     "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:04:10Z"
/// }"#)?;
/// assert_eq!(update.status, TransactionStatus::Completed);
/// assert_eq!(update.fiat_amount.unwrap().to_string(), "92.57");
/// # Ok::<(), ramp_proof::Error>(())
/// ```
pub fn parse(raw_body: &[u8]) -> Result<TransactionUpdate, Error> {
    ramp_core::http::from_json_slice(raw_body).map_err(|err| {
        Error::from(ErrorKind::InvalidWebhook {
            path: err.path,
            message: err.message,
        })
    })
}
