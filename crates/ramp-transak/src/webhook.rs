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
//! client knows. An empty or blank token is refused before anything is computed: an HMAC
//! under the empty key is one anyone can forge.
//!
//! # Freshness
//!
//! Where the JWT carries the registered claims `exp`, `nbf` or `iat` (RFC 7519 §4.1), they
//! are enforced against the clock with a small leeway ([`DEFAULT_LEEWAY`], configurable with
//! [`verify_at`] and [`ClientBuilder::webhook_leeway`](crate::ClientBuilder::webhook_leeway)):
//! an expired token, one not valid yet, or one issued in the future is refused. Transak does
//! not document these claims, and a webhook without them carries no time at all: nothing
//! then stops a captured webhook from being replayed, so make the handler idempotent on the
//! order id and status (see [`WebhookEvent`]) and confirm with
//! [`Client::order`](crate::Client::order) before anything moves money.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ramp_core::SecretString;
use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind, Order, WebhookError};

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
    /// `ORDER_CANCELLED` (listed by Get Webhooks).
    OrderCancelled,
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
    OrderCancelled => "ORDER_CANCELLED",
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

impl WebhookEvent {
    pub(crate) fn new(event: EventType, order: Order) -> Self {
        Self { event, order }
    }
}

#[derive(Deserialize)]
struct Body {
    data: String,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// The registered time claims, where present (NumericDate: seconds since the epoch, an
/// integer or not; anything else is [`WebhookError::InvalidClaim`]).
#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    exp: Option<serde_json::Value>,
    #[serde(default)]
    nbf: Option<serde_json::Value>,
    #[serde(default)]
    iat: Option<serde_json::Value>,
}

/// How far the clocks of Transak and the verifier may disagree when `exp`, `nbf` and `iat`
/// are checked.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Which secret [`require_secret`](ramp_core::require_secret) names when it refuses one.
const WEBHOOK_KEY: &str = "Transak webhook key (partner access token)";

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
/// let body = webhook::sign(&payload, &token)?;
/// let event = webhook::verify(&body, &[&token])?;
/// assert_eq!(event.order.crypto_amount.unwrap().to_string(), "0.05");
/// # Ok::<(), ramp_transak::Error>(())
/// ```
///
/// The time claims, where present, are checked against the system clock with
/// [`DEFAULT_LEEWAY`]; see [`verify_at`].
pub fn verify(raw_body: &[u8], tokens: &[&SecretString]) -> Result<WebhookEvent, Error> {
    verify_at(raw_body, tokens, SystemTime::now(), DEFAULT_LEEWAY)
}

/// [`verify`] at the time `now`, with `leeway` for the clocks' disagreement: `exp` must be
/// after `now - leeway`, `nbf` and `iat` before `now + leeway`.
///
/// Errors: [`WebhookError::NoToken`] when no token is given and [`ErrorKind::EmptySecret`] when
/// one is blank (both before anything is computed); then [`WebhookError`] says which check
/// failed.
pub fn verify_at(
    raw_body: &[u8],
    tokens: &[&SecretString],
    now: SystemTime,
    leeway: Duration,
) -> Result<WebhookEvent, Error> {
    let reject = |why| Error::from(ErrorKind::Webhook(why));
    if tokens.is_empty() {
        return Err(reject(WebhookError::NoToken));
    }
    let keys = tokens
        .iter()
        .map(|token| ramp_core::require_secret(WEBHOOK_KEY, token))
        .collect::<Result<Vec<_>, _>>()?;
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
    let verified = keys
        .iter()
        .any(|key| ramp_core::verify_hmac_sha256(key.as_bytes(), signed, &signature));
    if !verified {
        return Err(reject(WebhookError::Signature));
    }
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| reject(WebhookError::Malformed))?;
    // The claims and the event in one reading; only a payload that does not decode is read
    // again, in two steps, so that a time check still comes before a shape error.
    if let Ok(payload) = serde_json::from_slice::<Payload>(&payload) {
        let claims = Claims {
            exp: payload.exp,
            nbf: payload.nbf,
            iat: payload.iat,
        };
        check_times(&claims, now, leeway).map_err(reject)?;
        return Ok(WebhookEvent {
            event: payload.event,
            order: payload.order,
        });
    }
    let payload_error = |err: ramp_core::json::JsonError| {
        reject(WebhookError::Payload {
            path: err.path,
            message: err.message,
        })
    };
    let claims: Claims = ramp_core::http::from_json_slice(&payload).map_err(payload_error)?;
    check_times(&claims, now, leeway).map_err(reject)?;
    ramp_core::http::from_json_slice(&payload).map_err(payload_error)
}

/// A webhook's payload: the fields of [`Claims`] and of [`WebhookEvent`], side by side.
#[derive(Deserialize)]
struct Payload {
    #[serde(default)]
    exp: Option<serde_json::Value>,
    #[serde(default)]
    nbf: Option<serde_json::Value>,
    #[serde(default)]
    iat: Option<serde_json::Value>,
    #[serde(rename = "eventID")]
    event: EventType,
    #[serde(rename = "webhookData")]
    order: Order,
}

/// `exp`, `nbf` and `iat`, where present, against `now` with `leeway`.
fn check_times(claims: &Claims, now: SystemTime, leeway: Duration) -> Result<(), WebhookError> {
    let time = |name: &'static str, value: &serde_json::Value| {
        value
            .as_f64()
            .filter(|seconds| seconds.is_finite() && *seconds >= 0.0 && *seconds < 1e12)
            .map(|seconds| UNIX_EPOCH + Duration::from_secs_f64(seconds))
            .ok_or(WebhookError::InvalidClaim(name))
    };
    let latest = now.checked_add(leeway).unwrap_or(now);
    let earliest = now.checked_sub(leeway).unwrap_or(UNIX_EPOCH);
    if let Some(exp) = &claims.exp
        && time("exp", exp)? <= earliest
    {
        return Err(WebhookError::Expired);
    }
    if let Some(nbf) = &claims.nbf
        && time("nbf", nbf)? > latest
    {
        return Err(WebhookError::NotYetValid);
    }
    if let Some(iat) = &claims.iat
        && time("iat", iat)? > latest
    {
        return Err(WebhookError::IssuedInTheFuture);
    }
    Ok(())
}

/// The length of `header.payload`, the part of a JWT the signature covers.
fn header_len(jwt: &str) -> usize {
    jwt.rfind('.').unwrap_or(jwt.len())
}

/// A webhook body as Transak would send it: `{"data": "<HS256 JWT of payload>"}`, signed with
/// `token`. For tests and emulators. A blank token is [`ErrorKind::EmptySecret`].
pub fn sign(payload: &serde_json::Value, token: &SecretString) -> Result<Vec<u8>, Error> {
    let key = ramp_core::require_secret(WEBHOOK_KEY, token)?;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    let signed = format!("{header}.{payload}");
    let signature =
        URL_SAFE_NO_PAD.encode(ramp_core::hmac_sha256(key.as_bytes(), signed.as_bytes()));
    Ok(
        serde_json::json!({ "data": format!("{signed}.{signature}") })
            .to_string()
            .into_bytes(),
    )
}
