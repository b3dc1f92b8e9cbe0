//! Onramper's Checkout V2 (`POST /checkout/v2/intent`) and quotes, as published in December
//! 2026.
//!
//! The checkout's Signature V2 is checked here with code of the sandbox's own, written from
//! Onramper's pages (`ed25519-dalek`, `serde_json_canonicalizer` and SHA-256 directly), not with
//! `ramp-onramper-sign`, which the SDK under test signs with. Nonces are single use here too.
//! Each refusal carries Onramper's documented code; a missing or malformed `endUserIpHash`
//! (Onramper publishes no code for it) is a 400 `INVALID_END_USER_IP_HASH`. The older name
//! `clientIpHash` is accepted in its place, and must agree when both are sent.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use base64::Engine as _;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::App;
use crate::credentials::{ONRAMPER_API_KEY, ONRAMPER_V2_PUBLIC_KEY_HEX};
use crate::reply::{header, json, json_text, text};
use crate::state;

/// Nonces seen by the checkout (at most [`state::MAX_ENTRIES`]; the window ends a nonce's use
/// long before it is forgotten in any test or demo).
#[derive(Default)]
pub(crate) struct Nonces(Mutex<HashSet<String>>);

fn refuse(status: u16, code: &str, message: &str) -> Response {
    json(status, json!({"error": {"code": code, "message": message}}))
}

/// The V2 headers of a checkout request against the registered key; `Err` is the refusal.
// The error is the HTTP answer itself, built once per refused request.
#[allow(clippy::result_large_err)]
fn verify(app: &App, headers: &HeaderMap, body: &[u8]) -> Result<(), Response> {
    let Some(authorization) = header(headers, "authorization") else {
        return Err(refuse(401, "API_KEY_MISSING", "Authorization is missing"));
    };
    if authorization.trim() != ONRAMPER_API_KEY {
        return Err(refuse(
            401,
            "PARTNER_NOT_FOUND",
            "no partner has this API key",
        ));
    }
    let Some(signature) = header(headers, "x-onramper-signature") else {
        return Err(refuse(
            401,
            "SIGNATURE_MISSING",
            "x-onramper-signature is missing",
        ));
    };
    let Some(signature) = signature.strip_prefix("v2:") else {
        return Err(refuse(
            401,
            "SIGNATURE_VERSION_MISMATCH",
            "use the v2: prefix",
        ));
    };
    let Some(timestamp) = header(headers, "x-onramper-timestamp") else {
        return Err(refuse(
            401,
            "TIMESTAMP_MISSING",
            "x-onramper-timestamp is missing",
        ));
    };
    let at = OffsetDateTime::parse(timestamp, &Rfc3339).ok().filter(|_| {
        timestamp.len() == 24 && timestamp.as_bytes()[19] == b'.' && timestamp.ends_with('Z')
    });
    let Some(at) = at else {
        return Err(refuse(
            401,
            "TIMESTAMP_INVALID_FORMAT",
            "use ISO 8601 with milliseconds",
        ));
    };
    let now = OffsetDateTime::now_utc();
    if at < now - time::Duration::minutes(15) {
        return Err(refuse(
            401,
            "TIMESTAMP_EXPIRED",
            "the signature is older than 15 minutes",
        ));
    }
    if at > now + time::Duration::seconds(30) {
        return Err(refuse(
            401,
            "TIMESTAMP_FUTURE",
            "the timestamp is in the future",
        ));
    }
    let Some(nonce) = header(headers, "x-onramper-nonce") else {
        return Err(refuse(401, "NONCE_MISSING", "x-onramper-nonce is missing"));
    };
    if !is_uuid_v4(nonce) {
        return Err(refuse(
            401,
            "NONCE_INVALID_FORMAT",
            "use a lowercase UUID v4",
        ));
    }
    let content_type = header(headers, "content-type").map(str::trim);
    let mut canonical_headers = format!("authorization:{}", authorization.trim());
    if let Some(content_type) = content_type {
        canonical_headers.push_str(&format!("\ncontent-type:{content_type}"));
    }
    let hashed = match serde_json::from_slice::<Value>(body) {
        Ok(value) if content_type == Some("application/json") => {
            match serde_json_canonicalizer::to_string(&value) {
                Ok(canonical) => canonical.into_bytes(),
                Err(_) => {
                    return Err(refuse(
                        400,
                        "INVALID_REQUEST",
                        "the body has no canonical form",
                    ));
                }
            }
        }
        _ => body.to_vec(),
    };
    let text = format!(
        "ONRAMPER-SIG-V2\n{timestamp}\n{nonce}\nPOST\n/checkout/v2/intent\n\n{canonical_headers}\n{}",
        ramp_core::sha256_hex(&hashed)
    );
    let key = hex::decode(ONRAMPER_V2_PUBLIC_KEY_HEX)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok());
    let signature = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .ok()
        .and_then(|bytes| ed25519_dalek::Signature::from_slice(&bytes).ok());
    let valid = match (key, signature) {
        (Some(key), Some(signature)) => key.verify_strict(text.as_bytes(), &signature).is_ok(),
        _ => false,
    };
    if !valid {
        return Err(refuse(
            401,
            "SIGNATURE_INVALID",
            "the V2 signature does not verify",
        ));
    }
    let Ok(mut seen) = app.checkout_nonces.0.lock() else {
        return Err(refuse(500, "INTERNAL_ERROR", "state unavailable"));
    };
    if seen.len() >= state::MAX_ENTRIES {
        seen.clear();
    }
    if !seen.insert(nonce.to_owned()) {
        return Err(refuse(401, "NONCE_REUSED", "this nonce was used before"));
    }
    Ok(())
}

fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            14 => *b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        })
}

/// `POST /checkout/v2/intent`: the signature, then the body (the documented required
/// fields, a positive amount, the IP hash), then a single-use session.
pub(crate) async fn checkout(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refused) = verify(&app, &headers, &body) {
        return refused;
    }
    let Ok(intent) = serde_json::from_slice::<Value>(&body) else {
        return refuse(400, "INVALID_REQUEST", "the body is not JSON");
    };
    for field in [
        "onramp",
        "source",
        "destination",
        "type",
        "paymentMethod",
        "network",
        "partnerContext",
    ] {
        if text(&intent, field).is_none() {
            return refuse(400, "INVALID_REQUEST", &format!("{field} is required"));
        }
    }
    if intent["wallet"]["address"]
        .as_str()
        .is_none_or(str::is_empty)
    {
        return refuse(400, "INVALID_REQUEST", "wallet.address is required");
    }
    let amount = intent["amount"].to_string();
    if !Decimal::from_str(&amount).is_ok_and(|a| a > Decimal::ZERO) {
        return refuse(400, "INVALID_REQUEST", "amount must be greater than zero");
    }
    let hashes: Vec<&str> = ["endUserIpHash", "clientIpHash"]
        .iter()
        .filter_map(|field| intent.get(*field))
        .map(|value| value.as_str().unwrap_or("?"))
        .collect();
    let well_formed = |hash: &&str| {
        hash.len() == 64
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    if hashes.is_empty()
        || !hashes.iter().all(well_formed)
        || hashes.windows(2).any(|w| w[0] != w[1])
    {
        return refuse(
            400,
            "INVALID_END_USER_IP_HASH",
            "endUserIpHash must be the lowercase hex SHA-256 of the end user's IP",
        );
    }
    let session = state::random_hex(13);
    let resume = state::random_hex(16);
    json(
        200,
        json!({
            "redirectUrl": format!("{}/onramper/checkout/{session}?resume={resume}", app.base),
            "sessionId": session,
        }),
    )
}

/// Unit prices of the sandbox in any fiat currency, per crypto id.
const PRICES: [(&str, &str); 4] = [
    ("eth", "3000"),
    ("btc", "60000"),
    ("usdc", "1"),
    ("sol", "150"),
];

/// `GET /quotes/{source}/{destination}`: two onramps; the second quotes only from 50 up.
pub(crate) async fn quotes(
    headers: HeaderMap,
    Path((source, destination)): Path<(String, String)>,
    uri: Uri,
) -> Response {
    if header(&headers, "authorization").map(str::trim) != Some(ONRAMPER_API_KEY) {
        return refuse(401, "PARTNER_NOT_FOUND", "no partner has this API key");
    }
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(amount) = get("amount")
        .and_then(|a| Decimal::from_str(a).ok())
        .filter(|a| *a > Decimal::ZERO)
    else {
        return refuse(400, "INVALID_REQUEST", "amount must be a positive number");
    };
    let Some(price) = PRICES
        .iter()
        .find(|(id, _)| destination.split('_').next() == Some(*id))
        .and_then(|(_, p)| Decimal::from_str(p).ok())
    else {
        return json(200, json!([]));
    };
    let method = Value::from(get("paymentMethod").unwrap_or("creditcard"));
    // Numbers are written from the decimals' text, so every digit reaches the client, as
    // Onramper writes JSON numbers.
    let quote = |ramp: &str, fee_percent: i64, minimum: i64| {
        let id = Value::from(format!("{}{ramp}", state::random_hex(8)));
        if amount < Decimal::from(minimum) {
            let message = Value::from(format!("The minimum amount is {minimum} {source}"));
            return format!(
                r#"{{"ramp":"{ramp}","paymentMethod":{method},"quoteId":{id},"errors":[{{"type":"LimitMismatch","errorId":6102,"message":{message},"minAmount":{minimum}}}]}}"#
            );
        }
        let fee = (amount * Decimal::new(fee_percent, 2)).round_dp(2);
        let payout = ((amount - fee) / price).round_dp(8);
        format!(
            r#"{{"ramp":"{ramp}","paymentMethod":{method},"rate":{price},"networkFee":0,"transactionFee":{fee},"payout":{payout},"quoteId":{id},"recommendations":["BestPrice"]}}"#
        )
    };
    let body = format!(
        "[{},{}]",
        quote("sandbox-a", 2, 10),
        quote("sandbox-b", 1, 50)
    );
    json_text(200, body)
}
