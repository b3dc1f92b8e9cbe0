//! Kryptonim: `POST /v1/widget-sessions` (signed) and `POST /v1/quotes`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};

use crate::credentials::{KRYPTONIM_API_KEY, KRYPTONIM_SIGNATURE_SECRET};
use crate::reply::{header, json, text, timestamp_in};
use crate::{App, state};

/// Networks the sandbox supports; anything else is "Unsupported network", as documented.
const NETWORKS: [&str; 5] = ["polygon", "80002", "ethereum", "bsc", "solana"];

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/v1/widget-sessions", post(widget_session))
        .route("/v1/quotes", post(quotes))
}

fn unauthorized() -> Response {
    json(
        401,
        json!({"code": "UNAUTHORIZED", "message": "Unauthorized request"}),
    )
}

fn invalid(message: &str) -> Response {
    json(400, json!({"code": "INVALID_REQUEST", "message": message}))
}

fn positive_number(body: &Value, field: &str) -> Option<bool> {
    body.get(field).map(|v| v.as_f64().is_some_and(|n| n > 0.0))
}

async fn widget_session(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if header(&headers, "x-api-key") != Some(KRYPTONIM_API_KEY) {
        return unauthorized();
    }
    // The signature is recomputed over the raw bytes received, as Kryptonim does.
    let signature = header(&headers, "x-request-signature").unwrap_or_default();
    if !ramp_core::verify_hmac_sha256_hex(KRYPTONIM_SIGNATURE_SECRET.as_bytes(), &body, signature) {
        return unauthorized();
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return invalid("Invalid JSON body");
    };
    match (
        positive_number(&request, "fiatAmount"),
        positive_number(&request, "cryptoAmount"),
    ) {
        (Some(true), None) | (None, Some(true)) => {}
        (Some(_), Some(_)) => return invalid("Provide either fiatAmount or cryptoAmount"),
        _ => return invalid("A positive fiatAmount or cryptoAmount is required"),
    }
    for field in [
        "fiatCurrency",
        "cryptoCurrency",
        "network",
        "destinationAddress",
    ] {
        if text(&request, field).is_none() {
            return invalid(&format!("{field} is required"));
        }
    }
    if !text(&request, "network").is_some_and(|n| NETWORKS.contains(&n)) {
        return invalid("Unsupported network");
    }
    let session_id = state::random_hex(16);
    if let Ok(mut state) = app.state.lock() {
        state.kryptonim_sessions.insert(session_id.clone(), ());
    }
    json(
        201,
        json!({
            "sessionId": session_id,
            "widgetUrl": format!("{}/kryptonim/exchange?session={session_id}", app.base),
            "expiresAt": timestamp_in(30 * 60),
        }),
    )
}

async fn quotes(headers: HeaderMap, body: Bytes) -> Response {
    if header(&headers, "x-api-key") != Some(KRYPTONIM_API_KEY) {
        return unauthorized();
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return invalid("Invalid JSON body");
    };
    let fiat = text(&request, "fiatCurrency").unwrap_or("EUR").to_owned();
    let token = text(&request, "tokenAddress").unwrap_or("USDC").to_owned();
    let amount = match (text(&request, "amount"), text(&request, "convertedAmount")) {
        (Some(amount), None) => amount.to_owned(),
        (None, Some(amount)) => amount.to_owned(),
        _ => return invalid("Provide either amount or convertedAmount"),
    };
    let quote = |method: &str, price: &str| {
        json!({
            "estimateID": format!("est_{}", state::random_hex(4)),
            "quoteID": format!("q_{}", state::random_hex(4)),
            "conversionPrice": price, "marketConversionPrice": "1.0000",
            "fiatCurrency": fiat, "cryptoCurrency": token, "paymentMethod": method,
            "fiatAmount": amount, "cryptoAmount": amount, "isBuyOrSell": "BUY",
        })
    };
    json(
        200,
        json!([quote("card", "1.0250"), quote("bank_transfer", "1.0100")]),
    )
}
