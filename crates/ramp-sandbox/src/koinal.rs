//! Koinal: `POST /quotes`, `POST /orders`, `GET /orders/{id}/status`, each behind a verified
//! `Hash` header; quote tokens bind orders; callbacks signed with the callback secret.
//!
//! Koinal documents no error codes besides `"00"`; the sandbox answers failures in the same
//! envelope with its own codes: `97` bad hash, `14` bad quote token, `12` invalid request,
//! `25` unknown order.

use std::str::FromStr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::credentials::{KOINAL_CALLBACK_SECRET, KOINAL_MERCHANT_CODE, KOINAL_SECRET};
use crate::reply::{header, json, text};
use crate::state::{KoinalOrder, KoinalQuote};
use crate::{App, state};

/// Sandbox prices in USD (and EUR, the same for simplicity).
const PRICES: [(&str, &str); 5] = [
    ("BTC", "50000"),
    ("ETH", "2500"),
    ("LTC", "80"),
    ("BCH", "300"),
    ("XRP", "0.5"),
];

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/quotes", post(quote))
        .route("/orders", post(order))
        .route("/orders/{id}/status", get(status))
}

fn fail(status: u16, code: &str, message: &str) -> Response {
    json(
        status,
        json!({"data": null, "code": code, "message": message, "status": "DECLINED"}),
    )
}

fn approved(status: u16, data: Value) -> Response {
    json(
        status,
        json!({"data": data, "code": "00", "message": "APPROVED", "status": "APPROVED"}),
    )
}

/// Decodes and verifies the `Hash` header; the customer reference it carries.
// The error is the HTTP answer itself, built once per refused request.
#[allow(clippy::result_large_err)]
fn customer(headers: &HeaderMap) -> Result<String, Response> {
    let bad = || fail(401, "97", "Invalid hash");
    let decoded = header(headers, "hash")
        .and_then(|h| ramp_core::base64_decode(h.trim()).ok())
        .ok_or_else(bad)?;
    let hash: Value = serde_json::from_slice(&decoded).map_err(|_| bad())?;
    let (Some(code), Some(reference), Some(timestamp), Some(signature)) = (
        hash.get("merchant_code").and_then(Value::as_u64),
        text(&hash, "customer_reference"),
        text(&hash, "timestamp"),
        text(&hash, "signature"),
    ) else {
        return Err(bad());
    };
    let message = format!("{code}{reference}{timestamp}{KOINAL_SECRET}");
    if code != KOINAL_MERCHANT_CODE
        || !ramp_core::verify_hmac_sha256_hex(
            KOINAL_SECRET.as_bytes(),
            message.as_bytes(),
            signature,
        )
    {
        return Err(bad());
    }
    Ok(reference.to_owned())
}

/// A JSON number or numeric string as an exact decimal.
fn decimal(body: &Value, field: &str) -> Option<Decimal> {
    match body.get(field)? {
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

async fn quote(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let reference = match customer(&headers) {
        Ok(reference) => reference,
        Err(denied) => return denied,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return fail(400, "12", "Invalid JSON body");
    };
    let crypto = text(&body, "cryptocurrency").unwrap_or_default().to_owned();
    let Some(price) = PRICES
        .iter()
        .find(|(code, _)| *code == crypto)
        .and_then(|(_, p)| Decimal::from_str(p).ok())
    else {
        return fail(400, "12", "Unsupported cryptocurrency");
    };
    let currency = text(&body, "currency").unwrap_or("USD").to_owned();
    let (crypto_amount, fiat_amount) = match (
        decimal(&body, "cryptocurrency_amount"),
        decimal(&body, "currency_amount"),
    ) {
        (Some(c), None) if c > Decimal::ZERO => (c, (c * price).round_dp(2)),
        (None, Some(f)) if f > Decimal::ZERO => ((f / price).round_dp(8), f),
        _ => return fail(400, "12", "Exactly one positive amount is required"),
    };
    let token = state::random_hex(16);
    if let Ok(mut state) = app.state.lock() {
        state.koinal_quotes.insert(
            token.clone(),
            KoinalQuote {
                customer_reference: reference,
                cryptocurrency: crypto.clone(),
                cryptocurrency_amount: crypto_amount.to_string(),
                currency: currency.clone(),
                currency_amount: fiat_amount.to_string(),
                used: false,
            },
        );
    }
    // The amounts as JSON numbers; one that cannot be written is an error, never a null.
    let number = |d: Decimal| serde_json::from_str::<Value>(&d.to_string());
    let (Ok(crypto_number), Ok(fiat_number)) = (number(crypto_amount), number(fiat_amount)) else {
        return fail(500, "99", "The quote amounts could not be written");
    };
    approved(
        201,
        json!({
            "cryptocurrency_amount": crypto_number, "cryptocurrency": crypto,
            "currency_amount": fiat_number, "currency": currency, "token": token,
        }),
    )
}

async fn order(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let reference = match customer(&headers) {
        Ok(reference) => reference,
        Err(denied) => return denied,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return fail(400, "12", "Invalid JSON body");
    };
    let token = text(&body, "token").unwrap_or_default();
    if header(&headers, "authorization") != Some(token) {
        return fail(
            400,
            "14",
            "Authorization must carry the quote token of the body",
        );
    }
    let Some(wallet) = text(&body, "wallet_address").map(str::to_owned) else {
        return fail(400, "12", "wallet_address is required");
    };
    let Ok(mut state) = app.state.lock() else {
        return fail(500, "96", "state unavailable");
    };
    let Some(quote) = state.koinal_quotes.get_mut(&token.to_owned()) else {
        return fail(400, "14", "Unknown quote token");
    };
    if quote.used || quote.customer_reference != reference {
        return fail(
            400,
            "14",
            "The quote token was used or belongs to another customer",
        );
    }
    quote.used = true;
    let order = KoinalOrder {
        customer_reference: reference,
        cryptocurrency: quote.cryptocurrency.clone(),
        cryptocurrency_amount: quote.cryptocurrency_amount.clone(),
        currency: quote.currency.clone(),
        currency_amount: quote.currency_amount.clone(),
        wallet_address: wallet,
        completed_tx: None,
    };
    state.koinal_next_order += 1;
    let id = state.koinal_next_order.to_string();
    state.koinal_orders.insert(id.clone(), order);
    approved(
        201,
        json!({"order_id": id, "checkout_url": format!("{}/koinal/checkout/{id}", app.base)}),
    )
}

async fn status(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let reference = match customer(&headers) {
        Ok(reference) => reference,
        Err(denied) => return denied,
    };
    let Ok(state) = app.state.lock() else {
        return fail(500, "96", "state unavailable");
    };
    match state.koinal_orders.get(&id) {
        Some(order) if order.customer_reference == reference => approved(
            200,
            json!({
                "order_id": id.parse::<u64>().unwrap_or(0),
                "status": if order.completed_tx.is_some() { "COMPLETED" } else { "PAYMENT_WAITING" },
                "total_amount": order.currency_amount, "currency_code": order.currency,
                "cryptocurrency_amount": order.cryptocurrency_amount,
                "cryptocurrency_code": order.cryptocurrency,
                "blockchain_tx_id": order.completed_tx,
                "timestamp": std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
            }),
        ),
        _ => fail(404, "25", "Unknown order"),
    }
}

/// Completes `order_id` (its status read says so from now on) and gives its callback, signed
/// as the HMAC reading of the docs.
pub(crate) fn callback(app: &App, order_id: &str) -> Option<(Vec<u8>, String)> {
    let mut state = app.state.lock().ok()?;
    let order = state.koinal_orders.get_mut(&order_id.to_owned())?;
    let tx = order
        .completed_tx
        .get_or_insert_with(|| state::random_hex(32))
        .clone();
    let body = json!({
        "order_id": order_id.parse::<u64>().unwrap_or(0),
        "status": "COMPLETED",
        "customer_reference": order.customer_reference,
        "crypto_amount": serde_json::from_str::<Value>(&order.cryptocurrency_amount).unwrap_or(Value::Null),
        "cryptocurrency_code": order.cryptocurrency,
        "address": order.wallet_address,
        "blockchain_tx_id": tx,
    })
    .to_string()
    .into_bytes();
    let signature = ramp_koinal::webhook::test_util::signature(
        &body,
        &ramp_core::SecretString::from(KOINAL_CALLBACK_SECRET),
        ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
    );
    Some((body, signature))
}
