//! Webhooks: the body's `data` is a JWT signed (HS256) with your partner access token.
//!
//! Verification is written here rather than with a JWT crate: checking an HS256 JWT is one
//! HMAC-SHA256 over `header.payload` compared in constant time, which `ramp-core` already
//! does; the JWT crates would add a second crypto backend for it. Only `alg` `HS256` is
//! accepted, so `none` and algorithm-confusion tokens are refused before any key is tried.
//!
//! Transak signs with the access token current when it sent the webhook. Right after a
//! refresh, a webhook may still carry the previous token's signature, so pass both:
//! [`Client::verify_webhook`](crate::Client::verify_webhook) does it with the tokens the
//! client knows.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ramp_core::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::{Error, Order, WebhookError};

/// The event a webhook reports (`eventID`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `ORDER_CREATED`.
    OrderCreated,
    /// `ORDER_PAYMENT_VERIFYING`.
    OrderPaymentVerifying,
    /// `ORDER_PROCESSING`.
    OrderProcessing,
    /// `ORDER_COMPLETED`.
    OrderCompleted,
    /// `ORDER_FAILED`.
    OrderFailed,
    /// `ORDER_REFUNDED`.
    OrderRefunded,
    /// Any other event, as written.
    Other(String),
}

ramp_core::wire_enum!(EventType {
    OrderCreated => "ORDER_CREATED",
    OrderPaymentVerifying => "ORDER_PAYMENT_VERIFYING",
    OrderProcessing => "ORDER_PROCESSING",
    OrderCompleted => "ORDER_COMPLETED",
    OrderFailed => "ORDER_FAILED",
    OrderRefunded => "ORDER_REFUNDED",
});

/// A verified webhook: the event and the order it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// What happened (`eventID`).
    #[serde(rename = "eventID")]
    pub event: EventType,
    /// The order (`webhookData`).
    #[serde(rename = "webhookData")]
    pub order: Order,
}

#[derive(Deserialize)]
struct Body {
    data: String,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// Verifies a webhook body against the given access tokens (the current one and, after a
/// refresh, the previous one) and returns the event.
///
/// ```
/// use ramp_transak::{SecretString, webhook};
///
/// let token = SecretString::from("eyJhbGciOiJIUzI1NiJ9.partner-access-token.sig");
/// let payload = serde_json::json!({
///     "eventID": "ORDER_COMPLETED",
///     "webhookData": {"id": "ord_1", "status": "COMPLETED", "cryptoAmount": 0.05, "fiatAmount": "100"}
/// });
/// let body = webhook::sign(&payload, &token);
/// let event = webhook::verify(&body, &[&token])?;
/// assert_eq!(event.order.crypto_amount.unwrap().to_string(), "0.05");
/// # Ok::<(), ramp_transak::Error>(())
/// ```
pub fn verify(raw_body: &[u8], tokens: &[&SecretString]) -> Result<WebhookEvent, Error> {
    let reject = |why| Error::Webhook(why);
    let body: Body = serde_json::from_slice(raw_body).map_err(|_| reject(WebhookError::NoData))?;
    let jwt = body.data.trim();
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(reject(WebhookError::Malformed));
    };
    let header_json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| reject(WebhookError::Malformed))?;
    let header: Header =
        serde_json::from_slice(&header_json).map_err(|_| reject(WebhookError::Malformed))?;
    if header.alg != "HS256" {
        return Err(reject(WebhookError::Algorithm(header.alg)));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| reject(WebhookError::Malformed))?;
    let signed = &jwt.as_bytes()[..header_len(jwt)];
    let verified = tokens.iter().any(|token| {
        ramp_core::verify_hmac_sha256(token.expose_secret().as_bytes(), signed, &signature)
    });
    if !verified {
        return Err(reject(WebhookError::Signature));
    }
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| reject(WebhookError::Malformed))?;
    ramp_core::http::from_json_slice(&payload).map_err(|err| {
        reject(WebhookError::Payload {
            path: err.path,
            message: err.message,
        })
    })
}

/// The length of `header.payload`, the part of a JWT the signature covers.
fn header_len(jwt: &str) -> usize {
    jwt.rfind('.').unwrap_or(jwt.len())
}

/// A webhook body as Transak would send it: `{"data": "<HS256 JWT of payload>"}`, signed with
/// `token`. For tests and emulators.
pub fn sign(payload: &serde_json::Value, token: &SecretString) -> Vec<u8> {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    let signed = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(ramp_core::hmac_sha256(
        token.expose_secret().as_bytes(),
        signed.as_bytes(),
    ));
    serde_json::json!({ "data": format!("{signed}.{signature}") })
        .to_string()
        .into_bytes()
}
