//! Kryptonim: `POST /v1/widget-sessions` (signed) and `POST /v1/quotes`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use rust_decimal::Decimal;
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
    // The market price of one unit of each asset, in any fiat (as the other sandboxes).
    let market = match token.to_ascii_uppercase().as_str() {
        "ETH" => Decimal::from(3000),
        "BTC" => Decimal::from(60000),
        "SOL" => Decimal::from(150),
        "MATIC" | "POL" => Decimal::new(5, 1),
        _ => Decimal::ONE, // USDC, USDT: stablecoins
    };
    let (fiat_amount, crypto_amount) = match (
        text(&request, "amount").and_then(|a| Decimal::from_str_exact(a).ok()),
        text(&request, "convertedAmount").and_then(|a| Decimal::from_str_exact(a).ok()),
    ) {
        (Some(fiat), None) if fiat > Decimal::ZERO => (Some(fiat), None),
        (None, Some(crypto)) if crypto > Decimal::ZERO => (None, Some(crypto)),
        _ => return invalid("Provide either amount or convertedAmount"),
    };
    let asked = text(&request, "paymentMethod").map(str::to_owned);
    // `conversionPrice` is fiat per 1 unit of crypto, fees included (this workspace's reading
    // of Kryptonim's "exchange rate including fees"): the market's, marked up by the method.
    let quote = |method: &str, markup: Decimal| {
        let price = (market * markup).round_dp(8);
        let (paid, bought) = match (fiat_amount, crypto_amount) {
            (Some(paid), _) => (paid, (paid / price).round_dp(8)),
            (_, Some(bought)) => ((bought * price).round_dp(2), bought),
            _ => (Decimal::ZERO, Decimal::ZERO),
        };
        json!({
            "estimateID": format!("est_{}", state::random_hex(4)),
            "quoteID": format!("q_{}", state::random_hex(4)),
            "conversionPrice": price.to_string(), "marketConversionPrice": market.to_string(),
            "fiatCurrency": fiat, "cryptoCurrency": token,
            "paymentMethod": method, "fiatAmount": paid.to_string(),
            "cryptoAmount": bought.to_string(), "isBuyOrSell": "BUY",
        })
    };
    let mut quotes = Vec::new();
    for (method, markup) in [
        ("card", Decimal::new(1025, 3)),
        ("bank_transfer", Decimal::new(101, 2)),
    ] {
        // As Kryptonim: a method asked for is the one quoted; none, every one.
        if asked.as_deref().is_none_or(|asked| asked == method) {
            quotes.push(quote(method, markup));
        }
    }
    json(200, Value::Array(quotes))
}
