//! Transak's webhook JWT: its signature, its time claims and its payload.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ramp_core::json::JsonError;
use ramp_core::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::{EventType, WebhookError, WebhookEvent};
use crate::Order;

#[derive(Deserialize)]
struct Body {
    data: String,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// The registered time claims, where present (NumericDate: seconds since the epoch, an
/// integer or not; anything else is [`WebhookError::Malformed`] naming the claim).
#[derive(Deserialize)]
pub(super) struct Claims {
    #[serde(default)]
    exp: Option<serde_json::Value>,
    #[serde(default)]
    nbf: Option<serde_json::Value>,
    #[serde(default)]
    iat: Option<serde_json::Value>,
}

/// The payload of the JWT in `raw_body`, once its signature is checked against `tokens`
/// (none blank: the constructors refuse them); its time claims are not checked yet.
pub(super) fn signed_payload(
    raw_body: &[u8],
    tokens: &[SecretString],
) -> Result<Vec<u8>, WebhookError> {
    let malformed_jwt = WebhookError::BadSignature("`data` is not a well-formed JWT");
    let body: Body = serde_json::from_slice(raw_body).map_err(|_| {
        WebhookError::BadSignature("the body is not JSON with a string `data` field")
    })?;
    let jwt = body.data.trim();
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed_jwt);
    };
    let header_json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| malformed_jwt.clone())?;
    let header: Header = serde_json::from_slice(&header_json).map_err(|_| malformed_jwt.clone())?;
    if header.alg != "HS256" {
        return Err(WebhookError::BadSignature(
            "the JWT algorithm is not HS256, the only one accepted",
        ));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| malformed_jwt.clone())?;
    let signed = &jwt.as_bytes()[..header_len(jwt)];
    let verified = tokens.iter().any(|token| {
        ramp_core::verify_hmac_sha256(token.expose_secret().as_bytes(), signed, &signature)
    });
    if !verified {
        return Err(WebhookError::BadSignature(
            "the JWT signature matches none of the given access tokens",
        ));
    }
    URL_SAFE_NO_PAD.decode(payload).map_err(|_| malformed_jwt)
}

/// The event of the JWT in `raw_body`, its signature checked against `tokens` and its time
/// claims against `now`.
pub(crate) fn verify_jwt(
    raw_body: &[u8],
    tokens: &[SecretString],
    now: SystemTime,
    leeway: Duration,
) -> Result<WebhookEvent, WebhookError> {
    let payload = signed_payload(raw_body, tokens)?;
    // The claims and the event in one reading; only a payload that does not decode is read
    // again, in two steps, so that a time check still comes before a shape error.
    if let Ok(payload) = serde_json::from_slice::<Payload>(&payload) {
        let claims = Claims {
            exp: payload.exp,
            nbf: payload.nbf,
            iat: payload.iat,
        };
        check_times(&claims, now, leeway)?;
        return Ok(WebhookEvent {
            event: payload.event,
            order: payload.order,
        });
    }
    let claims: Claims =
        ramp_core::json::from_json_slice(&payload).map_err(WebhookError::malformed)?;
    check_times(&claims, now, leeway)?;
    ramp_core::json::from_json_slice(&payload).map_err(WebhookError::malformed)
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
pub(super) fn check_times(
    claims: &Claims,
    now: SystemTime,
    leeway: Duration,
) -> Result<(), WebhookError> {
    let time = |name: &'static str, value: &serde_json::Value| {
        value
            .as_f64()
            .filter(|seconds| seconds.is_finite() && *seconds >= 0.0 && *seconds < 1e12)
            .map(|seconds| UNIX_EPOCH + Duration::from_secs_f64(seconds))
            .ok_or_else(|| {
                WebhookError::malformed(JsonError::at(
                    name,
                    "not a time in seconds since the epoch",
                ))
            })
    };
    let latest = now.checked_add(leeway).unwrap_or(now);
    let earliest = now.checked_sub(leeway).unwrap_or(UNIX_EPOCH);
    if let Some(exp) = &claims.exp
        && time("exp", exp)? <= earliest
    {
        return Err(WebhookError::Expired("the JWT has expired (exp)"));
    }
    if let Some(nbf) = &claims.nbf
        && time("nbf", nbf)? > latest
    {
        return Err(WebhookError::Expired("the JWT is not valid yet (nbf)"));
    }
    if let Some(iat) = &claims.iat
        && time("iat", iat)? > latest
    {
        return Err(WebhookError::Expired(
            "the JWT was issued in the future (iat)",
        ));
    }
    Ok(())
}

/// The length of `header.payload`, the part of a JWT the signature covers.
fn header_len(jwt: &str) -> usize {
    jwt.rfind('.').unwrap_or(jwt.len())
}

/// The payload of the JWT in `raw_body`, decoded and **not verified**; `None` when the body
/// is not `{"data": "<JWT>"}` with a base64url payload.
pub(super) fn unverified_payload(raw_body: &[u8]) -> Option<Vec<u8>> {
    let body: Body = serde_json::from_slice(raw_body).ok()?;
    let payload = body.data.trim().split('.').nth(1)?;
    URL_SAFE_NO_PAD.decode(payload).ok()
}
