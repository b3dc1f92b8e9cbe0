//! Delivering events to your endpoint, like `stripe trigger`: a signed Koinal callback, a
//! Proof webhook (after advancing the transaction), a Transak webhook JWT, or a signed
//! Onramper webhook.

use serde_json::{Value, json};

use crate::App;

/// An event the sandbox can deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Trigger {
    /// Koinal's completed-order callback for an order created in the sandbox, with its
    /// `Signature` header (HMAC reading).
    KoinalCallback {
        /// The order id.
        order_id: String,
    },
    /// Advances a Proof transaction (`pending` → `processing` → `completed`) and posts the
    /// partner webhook (unsigned, as Proof's is).
    ProofWebhook {
        /// The transaction id.
        merchant_transaction_id: String,
    },
    /// An Onramper webhook, signed with the webhook secret (`X-Onramper-Webhook-Signature`).
    OnramperWebhook {
        /// The transaction id to report.
        transaction_id: String,
        /// The status, such as `completed` (the default).
        status: String,
    },
    /// A Transak webhook: `{"data": JWT}` signed HS256 with the current access token,
    /// carrying the order moved to the event's status (`GET /order/{id}` then answers that
    /// status too).
    TransakWebhook {
        /// The order to report: one the sandbox made when a widget URL was loaded.
        order_id: String,
        /// The event, such as `ORDER_COMPLETED`.
        event: String,
    },
}

/// What was delivered and how the endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The endpoint's HTTP status.
    pub status: u16,
    /// The body that was sent.
    pub body: Vec<u8>,
}

impl Trigger {
    /// The trigger for a control-endpoint request (`kind`, `id`, `event`).
    pub(crate) fn from_parts(
        kind: &str,
        id: String,
        event: Option<String>,
    ) -> Result<Self, String> {
        match kind {
            "koinal-callback" => Ok(Self::KoinalCallback { order_id: id }),
            "proof-webhook" => Ok(Self::ProofWebhook {
                merchant_transaction_id: id,
            }),
            "transak-webhook" => Ok(Self::TransakWebhook {
                order_id: id,
                event: event.unwrap_or_else(|| "ORDER_COMPLETED".into()),
            }),
            "onramper-webhook" => Ok(Self::OnramperWebhook {
                transaction_id: id,
                status: event.unwrap_or_else(|| "completed".into()),
            }),
            other => Err(format!(
                "unknown trigger {other:?}: koinal-callback, proof-webhook, transak-webhook or \
                 onramper-webhook"
            )),
        }
    }
}

/// A body to post and the headers to post it with.
type Outgoing = (Vec<u8>, Vec<(&'static str, String)>);

/// The body and headers for `trigger`, built from the sandbox's state.
fn build(app: &App, trigger: &Trigger) -> Result<Outgoing, String> {
    match trigger {
        Trigger::KoinalCallback { order_id } => {
            let (body, signature) = crate::koinal::callback(app, order_id)
                .ok_or_else(|| format!("no Koinal order {order_id:?} in the sandbox"))?;
            Ok((body, vec![("signature", signature)]))
        }
        Trigger::ProofWebhook {
            merchant_transaction_id: id,
        } => {
            let mut state = app.state.lock().map_err(|_| "state unavailable")?;
            let tx = state
                .proof
                .get_mut(id)
                .ok_or_else(|| format!("no Proof transaction {id:?} in the sandbox"))?;
            tx.status = match tx.status {
                "pending" => "processing",
                _ => "completed",
            };
            crate::proof_live::publish(app, id, tx);
            let body = json!({
                "merchant_transaction_id": id, "type": tx.kind, "status": tx.status,
                "currency": tx.currency, "network": tx.network, "crypto_amount": tx.amount,
                "fiat_currency": "EUR", "fiat_amount": null,
            });
            Ok((body.to_string().into_bytes(), Vec::new()))
        }
        Trigger::OnramperWebhook {
            transaction_id,
            status,
        } => {
            let (body, signature) = crate::onramper::webhook(transaction_id, status)?;
            Ok((
                body,
                vec![(ramp_onramper_sign::webhook::SIGNATURE_HEADER, signature)],
            ))
        }
        Trigger::TransakWebhook { order_id, event } => {
            let token = app
                .state
                .lock()
                .ok()
                .and_then(|s| s.transak_token.clone())
                .ok_or(
                    "no Transak access token has been issued yet; webhooks are signed with it",
                )?;
            let order = crate::transak::advance(app, order_id, event).ok_or_else(|| {
                format!(
                    "no Transak order {order_id:?} in the sandbox; loading a widget URL makes one"
                )
            })?;
            crate::transak_orders::record_webhook(app, event, &order);
            let payload: Value = json!({ "eventID": event, "webhookData": order });
            let delivery = ramp_transak::webhook::test_util::signed_webhook(
                &payload,
                &ramp_core::SecretString::from(token),
            );
            Ok((delivery.body, Vec::new()))
        }
    }
}

/// Makes the change `trigger` reports, and delivers nothing: the push that never came.
pub(crate) fn withhold(app: &App, trigger: &Trigger) -> Result<(), String> {
    build(app, trigger).map(|_| ())
}

/// Builds the event and posts it to `target`.
pub(crate) async fn deliver(
    app: &App,
    trigger: &Trigger,
    target: &str,
) -> Result<Delivery, String> {
    let (body, headers) = build(app, trigger)?;
    let client = ramp_core::http::reqwest::Client::new();
    let mut request = client
        .post(target)
        .header("content-type", "application/json")
        .body(body.clone());
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request
        .send()
        .await
        .map_err(|err| format!("could not deliver to {target}: {err}"))?;
    Ok(Delivery {
        status: response.status().as_u16(),
        body,
    })
}

/// `POST /_sandbox/trigger` with `{"kind", "id", "event"?, "url"}`: the control endpoint
/// `ramp trigger` uses.
pub(crate) async fn control(
    axum::extract::State(app): axum::extract::State<App>,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let field = |name: &str| request.get(name).and_then(Value::as_str).map(str::to_owned);
    let (Some(kind), Some(id), Some(url)) = (field("kind"), field("id"), field("url")) else {
        return crate::reply::json(400, json!({"error": "kind, id and url are required"}));
    };
    let trigger = match Trigger::from_parts(&kind, id, field("event")) {
        Ok(trigger) => trigger,
        Err(err) => return crate::reply::json(400, json!({ "error": err })),
    };
    match deliver(&app, &trigger, &url).await {
        Ok(delivery) => crate::reply::json(
            200,
            json!({"delivered": true, "status": delivery.status,
                   "body": String::from_utf8_lossy(&delivery.body)}),
        ),
        Err(err) => crate::reply::json(502, json!({ "error": err })),
    }
}
