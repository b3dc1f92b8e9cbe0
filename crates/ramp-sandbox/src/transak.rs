//! Transak: the partner token (each refresh invalidates the previous one), single-use widget
//! URLs that expire after 5 minutes, orders (made by loading a widget URL; an unknown id is
//! Transak's not-found error) and the public price quote. Every API call must carry the
//! partner API key as `x-api-key`, and a widget URL call the user's IP as `x-user-ip`
//! (mandatory since 15 July 2026); Get Orders and Get Webhooks are in `transak_orders`.

use std::net::IpAddr;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

use crate::credentials::{TRANSAK_API_KEY, TRANSAK_API_SECRET};
use crate::reply::{header, json, json_text, text, timestamp_in};
use crate::state::TransakSession;
use crate::{App, state};

pub(crate) fn routes() -> Router<App> {
    let api = Router::new()
        .route("/api/partners/api/v2/refresh-token", post(refresh_token))
        .route("/api/partners/api/v2/order/{id}", get(order))
        .route(
            "/api/partners/api/v2/orders",
            get(crate::transak_orders::orders),
        )
        .route(
            "/api/partners/api/v2/webhooks",
            get(crate::transak_orders::webhooks),
        )
        .route("/api/api/v1/pricing/public/quotes", get(price_quote))
        .route("/gateway/api/v2/auth/session", post(session))
        .route_layer(axum::middleware::from_fn(require_api_key));
    // The widget page is what the user's browser loads, not an API call.
    api.route("/widget", get(widget))
}

/// Every call to Transak's APIs carries the partner API key as `x-api-key`: without it, or
/// with another key, Transak's 401.
async fn require_api_key(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if header(request.headers(), "x-api-key") != Some(TRANSAK_API_KEY) {
        return error(401, 1001, "Invalid or missing x-api-key");
    }
    next.run(request).await
}

pub(crate) fn error(status: u16, code: i64, message: &str) -> Response {
    json(
        status,
        json!({"error": {"statusCode": status, "message": message, "errorCode": code}}),
    )
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn refresh_token(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if header(&headers, "api-secret") != Some(TRANSAK_API_SECRET)
        || text(&body, "apiKey") != Some(TRANSAK_API_KEY)
    {
        return error(401, 1001, "Invalid API key or secret");
    }
    let token = format!("sandbox.{}", state::random_hex(24));
    if let Ok(mut state) = app.state.lock() {
        // A new token invalidates the previous one, as Transak does.
        state.transak_token = Some(token.clone());
        state.transak_refreshes += 1;
    }
    json(
        200,
        json!({"data": {"accessToken": token, "expiresAt": now() + 7 * 24 * 60 * 60}}),
    )
}

pub(crate) fn current_token(app: &App, headers: &HeaderMap) -> bool {
    let given = header(headers, "access-token");
    app.state
        .lock()
        .is_ok_and(|s| s.transak_token.is_some() && s.transak_token.as_deref() == given)
}

async fn session(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if !current_token(&app, &headers) {
        return error(401, 1002, "Invalid or expired access token");
    }
    let Some(user_ip) = header(&headers, "x-user-ip").and_then(|ip| ip.parse::<IpAddr>().ok())
    else {
        return error(
            400,
            2003,
            "x-user-ip is required: the end user's IPv4 or IPv6 address",
        );
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(400, 2000, "Invalid JSON body");
    };
    let params = body.get("widgetParams").cloned().unwrap_or(Value::Null);
    if text(&params, "apiKey") != Some(TRANSAK_API_KEY) {
        return error(400, 2001, "widgetParams.apiKey is missing or unknown");
    }
    if text(&params, "referrerDomain").is_none() {
        return error(400, 2002, "widgetParams.referrerDomain is required");
    }
    let session_id = state::random_hex(16);
    if let Ok(mut state) = app.state.lock() {
        state.transak_sessions.insert(
            format!("{session_id}:{}", now() + 300),
            TransakSession {
                used: false,
                params,
                user_ip,
            },
        );
    }
    json(
        200,
        json!({"data": {"widgetUrl": format!("{}/transak/widget?sessionId={session_id}&expires={}", app.base, now() + 300)}}),
    )
}

/// Loading a widget URL: works once, within 5 minutes. Loading it stands for the user going
/// through the widget: it makes an order (`AWAITING_PAYMENT_FROM_USER`) from the session's
/// parameters, whose id the answer gives.
async fn widget(State(app): State<App>, uri: Uri) -> Response {
    let query: std::collections::HashMap<&str, &str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    let (Some(id), Some(expires)) = (query.get("sessionId"), query.get("expires")) else {
        return error(400, 3000, "sessionId is required");
    };
    if expires.parse::<u64>().is_ok_and(|e| e < now()) {
        return error(410, 3001, "The widget URL has expired");
    }
    let Ok(mut state) = app.state.lock() else {
        return error(500, 5000, "state unavailable");
    };
    let (params, user_ip) = match state.transak_sessions.get_mut(&format!("{id}:{expires}")) {
        Some(session) if !session.used => {
            session.used = true;
            (session.params.clone(), session.user_ip)
        }
        Some(_) => return error(410, 3002, "The widget URL was already used"),
        None => return error(404, 3003, "Unknown sessionId"),
    };
    let order_id = format!(
        "{}-{}-{}-{}-{}",
        state::random_hex(4),
        state::random_hex(2),
        state::random_hex(2),
        state::random_hex(2),
        state::random_hex(6)
    );
    let field = |name: &str| params.get(name).cloned().unwrap_or(Value::Null);
    let side = match text(&params, "productsAvailed") {
        Some("SELL") => "SELL",
        _ => "BUY",
    };
    let mut order = json!({
        "id": order_id, "status": "AWAITING_PAYMENT_FROM_USER", "isBuyOrSell": side,
        "fiatCurrency": text(&params, "fiatCurrency").unwrap_or("EUR"),
        "cryptoCurrency": text(&params, "cryptoCurrencyCode").unwrap_or("ETH"),
        "fiatAmount": field("fiatAmount"), "cryptoAmount": field("cryptoAmount"),
        "network": field("network"), "walletAddress": field("walletAddress"),
        "partnerOrderId": field("partnerOrderId"),
        "partnerCustomerId": field("partnerCustomerId"),
        "createdAt": timestamp_in(0),
        "ipAddress": user_ip.to_string(),
    });
    if let Some(fields) = order.as_object_mut() {
        fields.retain(|_, value| !value.is_null());
    }
    state.transak_orders.insert(order_id.clone(), order);
    json(
        200,
        json!({"widget": "loaded", "sessionId": id, "orderId": order_id}),
    )
}

/// Transak's answer for an order id it does not know.
fn order_not_found() -> Response {
    json(
        404,
        json!({"error": {"statusCode": 404, "name": "NotFoundError", "message": "Order not found"}}),
    )
}

async fn order(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !current_token(&app, &headers) {
        return error(401, 1002, "Invalid or expired access token");
    }
    let order = app
        .state
        .lock()
        .ok()
        .and_then(|state| state.transak_orders.get(&id).cloned());
    match order {
        Some(order) => json(
            200,
            json!({"meta": {"orderId": id}, "data": crate::transak_orders::as_listed(order)}),
        ),
        None => order_not_found(),
    }
}

/// The order `id`, moved to the status a webhook `event` reports: the order a Transak
/// webhook carries. `None` for an id the sandbox never made.
pub(crate) fn advance(app: &App, id: &str, event: &str) -> Option<Value> {
    let status = match event {
        "ORDER_CREATED" => "AWAITING_PAYMENT_FROM_USER",
        "ORDER_PAYMENT_VERIFYING" => "PAYMENT_DONE_MARKED_BY_USER",
        "ORDER_PROCESSING" => "PROCESSING",
        "ORDER_FAILED" => "FAILED",
        "ORDER_REFUNDED" => "REFUNDED",
        "ORDER_CANCELLED" => "CANCELLED",
        _ => "COMPLETED",
    };
    let mut state = app.state.lock().ok()?;
    let order = state.transak_orders.get_mut(&id.to_owned())?;
    order["status"] = Value::from(status);
    Some(order.clone())
}

/// Unit prices of the sandbox, in any fiat currency.
const PRICES: [(&str, &str); 5] = [
    ("ETH", "3000"),
    ("BTC", "60000"),
    ("USDT", "1"),
    ("USDC", "1"),
    ("SOL", "150"),
];

/// `GET /api/v1/pricing/public/quotes`: public, keyed by `partnerApiKey`. The fee is 1% of
/// the fiat amount (rounded half up to cents) plus a 0.50 network fee; 30 is the minimum.
async fn price_quote(uri: Uri) -> Response {
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    };
    if get("partnerApiKey") != Some(TRANSAK_API_KEY) {
        return error(401, 1001, "Invalid partnerApiKey");
    }
    let (Some(fiat), Some(crypto), Some(side), Some(network), Some(method)) = (
        get("fiatCurrency"),
        get("cryptoCurrency"),
        get("isBuyOrSell"),
        get("network"),
        get("paymentMethod"),
    ) else {
        return error(
            400,
            1000,
            "fiatCurrency, cryptoCurrency, isBuyOrSell, network and paymentMethod are required",
        );
    };
    let Some(price) = PRICES
        .iter()
        .find(|(code, _)| *code == crypto)
        .and_then(|(_, p)| Decimal::from_str(p).ok())
    else {
        return error(400, 1003, "Unsupported cryptoCurrency");
    };
    let amount = |name: &str| get(name).and_then(|v| Decimal::from_str_exact(v).ok());
    let cents = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let network_fee = Decimal::new(50, 2);
    let (fiat_amount, crypto_amount, fee) = match (amount("fiatAmount"), amount("cryptoAmount")) {
        (Some(f), None) if f > Decimal::ZERO => {
            let fee = cents(f * Decimal::new(1, 2)) + network_fee;
            let crypto_amount = ((f - fee) / price).round_dp(8);
            (f, crypto_amount, fee)
        }
        (None, Some(c)) if c > Decimal::ZERO => {
            let net = cents(c * price);
            let fee = cents(net * Decimal::new(1, 2)) + network_fee;
            (net + fee, c, fee)
        }
        _ => return error(400, 1004, "Exactly one positive fiatAmount or cryptoAmount"),
    };
    if fiat_amount < Decimal::from(30) || crypto_amount <= Decimal::ZERO {
        return error(400, 1005, &format!("Minimum order value is 30 {fiat}"));
    }
    // As Transak: crypto per 1 unit of fiat, applied after the fees are taken out (the
    // sandbox has no spread, so it is the market's).
    let market = (Decimal::ONE / price).round_dp(18);
    let conversion = market;
    let transak_fee = fee - network_fee;
    let body = format!(
        r#"{{"response":{{"quoteId":"{}","conversionPrice":{conversion},"marketConversionPrice":{market},"fiatCurrency":{},"cryptoCurrency":{},"paymentMethod":{},"fiatAmount":{fiat_amount},"cryptoAmount":{crypto_amount},"isBuyOrSell":{},"network":{},"totalFee":{fee},"feeBreakdown":[{{"name":"Transak fee","value":{transak_fee},"id":"transak_fee"}},{{"name":"Network/Exchange fee","value":{network_fee},"id":"network_fee"}}]}}}}"#,
        state::random_hex(16),
        Value::from(fiat),
        Value::from(crypto),
        Value::from(method),
        Value::from(side),
        Value::from(network),
    );
    json_text(200, body)
}
