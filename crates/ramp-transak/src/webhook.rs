//! Webhooks: the body's `data` is a JWT signed (HS256) with your partner access token.
//!
//! Verification is written here rather than with a JWT crate: checking an HS256 JWT is one
//! HMAC-SHA256 over `header.payload` compared in constant time, which `ramp-core` already
//! does; the JWT crates would add a second crypto backend for it. Only `alg` `HS256` is
//! accepted, so `none` and algorithm-confusion tokens are refused before any key is tried.
//!
//! [`WebhookVerifier`] implements [`ramp_core::webhook::Verify`], the webhook shape every
//! provider crate shares. Transak signs with the access token current when it sent the
//! webhook. Right after a refresh, a webhook may still carry the previous token's signature,
//! so give both ([`WebhookVerifier::with_previous`]);
//! [`Client::verify_webhook`](crate::Client::verify_webhook) does it with the tokens the
//! client knows. An empty or blank token is refused when the verifier is built: an HMAC under
//! the empty key is one anyone can forge.
//!
//! # Freshness
//!
//! Where the JWT carries the registered claims `exp`, `nbf` or `iat` (RFC 7519 §4.1), they
//! are enforced against the clock with a small leeway ([`DEFAULT_LEEWAY`], configurable with
//! [`WebhookVerifier::leeway`] and
//! [`ClientBuilder::webhook_leeway`](crate::ClientBuilder::webhook_leeway)):
//! an expired token, one not valid yet, or one issued in the future is refused. Transak does
//! not document these claims, and a webhook without them carries no time at all: nothing
//! then stops a captured webhook from being replayed, so make the handler idempotent on the
//! order id and status ([`Event::dedup_key`]) and confirm with
//! [`Client::order`](crate::Client::order) before anything moves money.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use ramp_core::SecretString;
pub use ramp_core::webhook::{Event, HeaderMap, Verify, WebhookError};
use serde::{Deserialize, Serialize};

use crate::{Error, Order};

mod jwt;
use jwt::{Claims, check_times, signed_payload, verify_jwt};

/// The JWT payload of a delivery's body, decoded but **not verified**: only for a body whose
/// signature [`WebhookVerifier::verify_signed`](Verify::verify_signed) already checked, such as
/// one it answered [`WebhookError::Malformed`] because a time claim could not be read (the
/// payload is what Transak signed, and what its event is read from). `None` when the body is
/// not `{"data": "<JWT>"}`.
pub fn unverified_payload(raw_body: &[u8]) -> Option<Vec<u8>> {
    jwt::unverified_payload(raw_body)
}

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

impl Event for WebhookEvent {
    fn order_id(&self) -> &str {
        &self.order.id
    }

    fn provider_status(&self) -> &str {
        self.order.status.as_str()
    }

    fn status(&self) -> ramp_core::webhook::OrderStatus {
        self.order.status.normalized()
    }

    fn wallet_address(&self) -> Option<&str> {
        self.order.wallet_address.as_deref()
    }
}

/// How far the clocks of Transak and the verifier may disagree when `exp`, `nbf` and `iat`
/// are checked.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Which secret [`require_secret`](ramp_core::require_secret) names when it refuses one.
const WEBHOOK_KEY: &str = "Transak webhook key (partner access token)";

/// Verifies Transak's webhooks with the partner access token (and, during a rotation, the one
/// it replaced).
///
/// ```
/// use ramp_transak::webhook::{Event, HeaderMap, Verify, WebhookVerifier};
/// use ramp_transak::SecretString;
///
/// let token = SecretString::from("eyJhbGciOiJIUzI1NiJ9.partner-access-token.sig");
/// let payload = serde_json::json!({
///     "eventID": "ORDER_COMPLETED",
///     "webhookData": {"id": "ord_1", "status": "COMPLETED", "cryptoAmount": 0.05, "fiatAmount": "100"}
/// });
/// # let body = ramp_transak::webhook::test_util::signed_webhook(&payload, &token).body;
/// // `body`: the raw bytes Transak posted, `{"data": "<JWT>"}`.
/// let verifier = WebhookVerifier::new(token)?;
/// let event = verifier.verify(&body, &HeaderMap::new())?;
/// assert_eq!(event.order.crypto_amount.unwrap().to_string(), "0.05");
/// assert_eq!((event.order_id(), event.provider_status(), event.is_terminal()), ("ord_1", "COMPLETED", true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    tokens: Vec<SecretString>,
    leeway: Duration,
    now: Now,
}

/// Where a verifier reads the time: the system clock, a fixed time (tests), or a client's
/// clock, read at each verification.
#[derive(Clone)]
enum Now {
    System,
    Fixed(SystemTime),
    Clock(crate::token::Clock),
}

impl WebhookVerifier {
    /// A verifier for webhooks signed with `token`, the partner access token. A blank token is
    /// [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret).
    pub fn new(token: SecretString) -> Result<Self, Error> {
        ramp_core::require_secret(WEBHOOK_KEY, &token)?;
        Ok(Self {
            tokens: vec![token],
            leeway: DEFAULT_LEEWAY,
            now: Now::System,
        })
    }

    /// Also accepts `token`, the access token the current one replaced: right after a
    /// refresh, a webhook may still be signed with it.
    pub fn with_previous(mut self, token: SecretString) -> Result<Self, Error> {
        ramp_core::require_secret(WEBHOOK_KEY, &token)?;
        self.tokens.push(token);
        Ok(self)
    }

    /// How far the clocks may disagree when `exp`, `nbf` and `iat` are checked (default
    /// [`DEFAULT_LEEWAY`]): `exp` must be after `now - leeway`, `nbf` and `iat` before
    /// `now + leeway`.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Checks the time claims against `now` instead of the system clock (for tests).
    pub fn at(mut self, now: SystemTime) -> Self {
        self.now = Now::Fixed(now);
        self
    }

    /// Reads the time from a client's clock at each verification.
    pub(crate) fn with_clock(mut self, clock: crate::token::Clock) -> Self {
        self.now = Now::Clock(clock);
        self
    }
}

impl WebhookVerifier {
    fn now(&self) -> SystemTime {
        match &self.now {
            Now::System => SystemTime::now(),
            Now::Fixed(now) => *now,
            Now::Clock(clock) => crate::token::unix_time(clock),
        }
    }
}

impl Verify for WebhookVerifier {
    type Event = WebhookEvent;

    /// Verifies the body's JWT (the headers carry nothing Transak signs) and its time claims;
    /// the signed document is the JWT's payload (JSON).
    ///
    /// Refusals: [`WebhookError::BadSignature`] for a body without a `data` JWT, a malformed
    /// JWT, an algorithm other than `HS256` (`none` included), or a signature none of the
    /// tokens makes; [`WebhookError::Expired`] for an `exp` passed, an `nbf` not reached or an
    /// `iat` in the future (beyond the leeway); [`WebhookError::Malformed`] for a time claim
    /// that is not a number, or a payload that is not a JSON object.
    fn verify_signed<'b>(
        &self,
        raw_body: &'b [u8],
        _headers: &HeaderMap,
    ) -> Result<Cow<'b, [u8]>, WebhookError> {
        let payload = signed_payload(raw_body, &self.tokens)?;
        let claims: Claims =
            ramp_core::json::from_json_slice(&payload).map_err(WebhookError::malformed)?;
        check_times(&claims, self.now(), self.leeway)?;
        Ok(Cow::Owned(payload))
    }

    /// Reads the event (`eventID`, `webhookData`) from the JWT's payload.
    fn read_event(&self, signed: &[u8]) -> Result<WebhookEvent, WebhookError> {
        ramp_core::json::from_json_slice(signed).map_err(WebhookError::malformed)
    }

    /// Both steps, reading the payload once: [`WebhookError::Malformed`] also for a signed
    /// payload that is not the documented event.
    fn verify(&self, raw_body: &[u8], _headers: &HeaderMap) -> Result<WebhookEvent, WebhookError> {
        verify_jwt(raw_body, &self.tokens, self.now(), self.leeway)
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("tokens", &format_args!("[{} REDACTED]", self.tokens.len()))
            .field("leeway", &self.leeway)
            .finish_non_exhaustive()
    }
}

/// Webhooks as Transak would send them, for tests and emulators (feature `test-util`).
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ramp_core::webhook::{Delivery, HeaderMap, HeaderValue};
    use ramp_core::{ExposeSecret, SecretString};

    /// `{"data": "<HS256 JWT of payload>"}` signed with `token`, with
    /// `Content-Type: application/json`.
    pub fn signed_webhook(payload: &serde_json::Value, token: &SecretString) -> Delivery {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
        let signed = format!("{header}.{payload}");
        let signature = URL_SAFE_NO_PAD.encode(ramp_core::hmac_sha256(
            token.expose_secret().as_bytes(),
            signed.as_bytes(),
        ));
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        Delivery {
            headers,
            body: serde_json::json!({ "data": format!("{signed}.{signature}") })
                .to_string()
                .into_bytes(),
        }
    }
}
