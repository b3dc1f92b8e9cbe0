//! Proof: `POST /widget/session`, `GET /widget/transactions/{id}`, and (in `proof_live`) the
//! KYC status and the live-updates WebSocket.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::credentials::{PROOF_CLIENT_TOKEN, PROOF_ORIGIN};
use crate::reply::{header, json, text};
use crate::state::ProofTx;
use crate::{App, state};

/// Currencies enabled for the sandbox integration.
const CURRENCIES: [&str; 2] = ["USDT", "USDC"];
/// Networks with a provisioned wallet.
const NETWORKS: [&str; 3] = ["TRC20", "ERC20", "BEP20"];

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/widget/session", post(session))
        .route("/widget/transactions/{id}", get(transaction))
        .route(
            "/widget/users/{id}/kyc-status",
            get(crate::proof_live::kyc_status),
        )
        .route("/ws", get(crate::proof_live::websocket))
}

pub(crate) fn error(status: u16, error: &str, code: &str, message: &str) -> Response {
    json(
        status,
        json!({"error": error, "code": code, "message": message}),
    )
}

/// Bearer token and Origin: a present Origin must be on the allowlist.
// The error is the HTTP answer itself, built once per refused request.
#[allow(clippy::result_large_err)]
pub(crate) fn authorize(headers: &HeaderMap) -> Result<(), Response> {
    let bearer = format!("Bearer {PROOF_CLIENT_TOKEN}");
    if header(headers, "authorization") != Some(bearer.as_str()) {
        return Err(error(
            401,
            "unauthorised",
            "invalid_token",
            "client_token is missing or inactive",
        ));
    }
    match header(headers, "origin") {
        Some(origin) if origin != PROOF_ORIGIN => Err(error(
            403,
            "forbidden",
            "forbidden_origin",
            "The request Origin is not on your allowlist",
        )),
        _ => Ok(()),
    }
}

async fn session(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(denied) = authorize(&headers) {
        return denied;
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error(
            400,
            "invalid_request",
            "decode_error",
            "The body is not valid JSON",
        );
    };
    for field in [
        "partner_user_id",
        "user_email",
        "network",
        "currency",
        "amount",
    ] {
        if text(&request, field).is_none() {
            return error(
                400,
                "invalid_request",
                "validation_error",
                &format!("{field} is missing or has the wrong type"),
            );
        }
    }
    let amount = text(&request, "amount").unwrap_or_default();
    if !amount.parse::<f64>().is_ok_and(|a| a > 0.0)
        || !text(&request, "user_email").is_some_and(|e| e.contains('@'))
    {
        return error(
            400,
            "invalid_request",
            "validation_error",
            "amount or user_email is invalid",
        );
    }
    let currency = text(&request, "currency").unwrap_or_default();
    if !CURRENCIES.contains(&currency) {
        return error(
            400,
            "invalid_request",
            "currency_not_allowed",
            "currency is not enabled for your integration",
        );
    }
    let network = text(&request, "network").unwrap_or_default();
    if !NETWORKS.contains(&network) {
        return error(
            400,
            "wallet_not_supported",
            "WALLET_NOT_SUPPORTED",
            "No active wallet for the requested currency + network",
        );
    }
    let kind = text(&request, "type").unwrap_or("buy").to_owned();
    let id = uuid_like();
    let tx = ProofTx {
        partner_user_id: text(&request, "partner_user_id")
            .unwrap_or_default()
            .to_owned(),
        kind: kind.clone(),
        currency: currency.to_owned(),
        network: network.to_owned(),
        amount: amount.to_owned(),
        status: "pending",
    };
    if let Ok(mut state) = app.state.lock() {
        state.proof.insert(id.clone(), tx);
    }
    json(
        200,
        json!({
            "merchant_transaction_id": id,
            "widget_id": "fb359d09-fff6-4b1f-906c-b9062b135065",
            "address": format!("T{}", state::random_hex(16)),
            "signature": format!("v2:{}", state::random_hex(64)),
            "init_token": format!("sandbox.{}", state::random_hex(16)),
            "init_token_type": "sdk_partner_authorization",
            "currency": currency, "currencies": [currency], "fix_currency": true,
            "network": network, "networks": NETWORKS, "fix_network": [network],
            "amount": amount, "fix_amount": true,
            "fiat_currency": "EUR", "fiat_currencies": ["EUR", "USD"],
            "fix_fiat_currency": false, "fix_fiat_amount": true,
            "type": kind, "lang": "en", "theme": "light",
            "redirect_url": text(&request, "redirect_url").unwrap_or("https://app.example.com/done"),
        }),
    )
}

async fn transaction(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(denied) = authorize(&headers) {
        return denied;
    }
    let Ok(state) = app.state.lock() else {
        return error(500, "internal_error", "db_error", "state unavailable");
    };
    match state.proof.get(&id) {
        Some(tx) => json(
            200,
            json!({
                "merchant_transaction_id": id, "partner_user_id": tx.partner_user_id,
                "type": tx.kind, "status": tx.status, "currency": tx.currency,
                "network": tx.network, "crypto_amount": tx.amount,
                "fiat_currency": "EUR", "fiat_amount": null,
                "created_at": crate::reply::timestamp_in(0), "updated_at": crate::reply::timestamp_in(0),
            }),
        ),
        None => error(404, "not_found", "not_found", "No such transaction"),
    }
}

/// A random UUID-shaped id.
fn uuid_like() -> String {
    let hex = state::random_hex(16);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
