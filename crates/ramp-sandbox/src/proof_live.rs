//! Proof as published in December 2026: the KYC status of a user
//! (`GET /widget/users/{partner_user_id}/kyc-status`) and the live-updates WebSocket
//! (`GET /ws?tx_id=...`, the client token in `Authorization`), which sends a `tx.update` each
//! time a transaction advances (as its webhooks do) and closes after a final status.
//!
//! The sandbox knows a user once a session was made for them. Their KYC status is
//! `not_started`, then `verified` once one of their transactions is paid (processing or
//! completed); a `partner_user_id` starting with `kyc-pending` or `kyc-failed` stays
//! `pending` or `failed`, to show those answers.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use crate::App;
use crate::proof::{authorize, error};
use crate::reply::{json, timestamp_in};
use crate::state::ProofTx;

/// The `tx.update` message for a transaction in its current state.
fn update(id: &str, tx: &ProofTx) -> Value {
    json!({
        "event": "tx.update", "merchant_transaction_id": id, "type": tx.kind,
        "status": tx.status, "payment_method": "card", "currency": tx.currency,
        "fiat_currency": "EUR", "fiat_amount": "",
        "crypto_amount": if tx.status == "pending" { "" } else { tx.amount.as_str() },
        "occurred_at": timestamp_in(0),
    })
}

/// Tells every open WebSocket that `id` advanced.
pub(crate) fn publish(app: &App, id: &str, tx: &ProofTx) {
    // No subscriber is not an error.
    let _ = app.proof_updates.send(update(id, tx));
}

pub(crate) async fn kyc_status(
    State(app): State<App>,
    headers: HeaderMap,
    Path(user): Path<String>,
) -> Response {
    if let Err(denied) = authorize(&headers) {
        return denied;
    }
    let Ok(state) = app.state.lock() else {
        return error(500, "internal_error", "db_error", "state unavailable");
    };
    let mut known = false;
    let mut paid = false;
    for tx in state.proof.values().filter(|tx| tx.partner_user_id == user) {
        known = true;
        paid |= tx.status != "pending";
    }
    let status = if !known {
        return error(
            404,
            "not_found",
            "not_found",
            "The partner_user_id is unknown for your partner",
        );
    } else if user.starts_with("kyc-pending") {
        "pending"
    } else if user.starts_with("kyc-failed") {
        "failed"
    } else if paid {
        "verified"
    } else {
        "not_started"
    };
    json(200, json!({"partner_user_id": user, "status": status}))
}

pub(crate) async fn websocket(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Err(denied) = authorize(&headers) {
        return denied;
    }
    let tx_id = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "tx_id")
        .map(|(_, value)| value.into_owned());
    let Some(id) = tx_id.filter(|id| !id.is_empty()) else {
        return error(400, "invalid_request", "missing_param", "tx_id is required");
    };
    let known = app.state.lock().is_ok_and(|s| s.proof.get(&id).is_some());
    if !known {
        return error(404, "not_found", "not_found", "No such transaction");
    }
    let updates = app.proof_updates.subscribe();
    upgrade.on_upgrade(move |socket| forward(socket, id, updates))
}

/// Sends this transaction's updates until a final status, or until the client leaves.
async fn forward(
    mut socket: WebSocket,
    id: String,
    mut updates: tokio::sync::broadcast::Receiver<Value>,
) {
    loop {
        tokio::select! {
            update = updates.recv() => {
                let Ok(update) = update else { break };
                if update["merchant_transaction_id"].as_str() != Some(id.as_str()) {
                    continue;
                }
                let last = matches!(update["status"].as_str(), Some("completed" | "failed" | "cancelled"));
                if socket.send(Message::Text(update.to_string().into())).await.is_err() || last {
                    break;
                }
            }
            incoming = socket.recv() => {
                if !matches!(incoming, Some(Ok(_))) {
                    break;
                }
            }
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}
