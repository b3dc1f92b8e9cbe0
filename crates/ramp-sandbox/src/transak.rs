//! Transak: the partner token (each refresh invalidates the previous one), single-use widget
//! URLs that expire after 5 minutes, and orders.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::credentials::{TRANSAK_API_KEY, TRANSAK_API_SECRET};
use crate::reply::{header, json, text};
use crate::{App, state};

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/api/partners/api/v2/refresh-token", post(refresh_token))
        .route("/api/partners/api/v2/order/{id}", get(order))
        .route("/gateway/api/v2/auth/session", post(session))
        .route("/widget", get(widget))
}

fn error(status: u16, code: i64, message: &str) -> Response {
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

fn current_token(app: &App, headers: &HeaderMap) -> bool {
    let given = header(headers, "access-token");
    app.state
        .lock()
        .is_ok_and(|s| s.transak_token.is_some() && s.transak_token.as_deref() == given)
}

async fn session(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if !current_token(&app, &headers) {
        return error(401, 1002, "Invalid or expired access token");
    }
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
        state
            .transak_sessions
            .insert(format!("{session_id}:{}", now() + 300), false);
    }
    json(
        200,
        json!({"data": {"widgetUrl": format!("{}/transak/widget?sessionId={session_id}&expires={}", app.base, now() + 300)}}),
    )
}

/// Loading a widget URL: works once, within 5 minutes.
async fn widget(State(app): State<App>, uri: axum::http::Uri) -> Response {
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
    match state.transak_sessions.get_mut(&format!("{id}:{expires}")) {
        Some(used) if !*used => {
            *used = true;
            json(200, json!({"widget": "loaded", "sessionId": id}))
        }
        Some(_) => error(410, 3002, "The widget URL was already used"),
        None => error(404, 3003, "Unknown sessionId"),
    }
}

async fn order(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !current_token(&app, &headers) {
        return error(401, 1002, "Invalid or expired access token");
    }
    json(
        200,
        json!({"meta": {"orderId": id}, "data": {
            "id": id, "status": "PROCESSING", "isBuyOrSell": "BUY",
            "fiatCurrency": "EUR", "cryptoCurrency": "ETH", "fiatAmount": 100,
            "cryptoAmount": "0.027", "network": "ethereum",
        }}),
    )
}
