//! Transak's Get Orders (paged with `limit` and `skip`, the filters of
//! docs.transak.com/api/public/get-orders and their defaults) and Get Webhooks (the webhooks
//! the sandbox sent), as Transak's pages show them.

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use crate::credentials::TRANSAK_API_KEY;
use crate::reply::{json, timestamp_in};
use crate::transak::{current_token, error};
use crate::{App, state};

/// An order as the order endpoints list it: its id named `_id` (webhooks name it `id`).
pub(crate) fn as_listed(mut order: Value) -> Value {
    if let Some(fields) = order.as_object_mut()
        && let Some(id) = fields.remove("id")
    {
        fields.insert("_id".into(), id);
    }
    order
}

fn query(uri: &Uri) -> Vec<(String, String)> {
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// `GET /partners/api/v2/orders`: Transak's defaults where a filter is left out (`COMPLETED`
/// orders, `["BUY"]`, newest first, a page of 100).
pub(crate) async fn orders(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    if !current_token(&app, &headers) {
        return error(401, 1002, "Invalid or expired access token");
    }
    let pairs = query(&uri);
    let number = |name: &str, default: usize| match get(&pairs, name) {
        None => Some(default),
        Some(text) => text.parse::<usize>().ok(),
    };
    let (Some(limit), Some(skip)) = (number("limit", 100), number("skip", 0)) else {
        return error(400, 1000, "limit and skip must be non-negative integers");
    };
    let status = get(&pairs, "filter[status]").unwrap_or("COMPLETED");
    let products: Vec<String> = match get(&pairs, "filter[productsAvailed]") {
        None => vec!["BUY".into()],
        Some(text) => match serde_json::from_str(text) {
            Ok(products) => products,
            Err(_) => {
                return error(
                    400,
                    1000,
                    "filter[productsAvailed] must be a JSON-encoded array such as [\"BUY\"]",
                );
            }
        },
    };
    let descending = match get(&pairs, "filter[sortOrder]") {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(_) => return error(400, 1000, "filter[sortOrder] must be asc or desc"),
    };
    let (start, end) = (get(&pairs, "startDate"), get(&pairs, "endDate"));
    let field =
        |order: &Value, name: &str| order.get(name).and_then(Value::as_str).map(str::to_owned);
    let keep = |order: &Value| {
        let day = field(order, "createdAt").unwrap_or_default();
        let day = day.get(..10).unwrap_or_default();
        field(order, "status").as_deref() == Some(status)
            && field(order, "isBuyOrSell").is_some_and(|side| products.contains(&side))
            && start.is_none_or(|start| day >= start)
            && end.is_none_or(|end| day <= end)
            && get(&pairs, "filter[walletAddress]")
                .is_none_or(|w| field(order, "walletAddress").as_deref() == Some(w))
            && get(&pairs, "filter[partnerOrderId]")
                .is_none_or(|p| field(order, "partnerOrderId").as_deref() == Some(p))
    };
    let Ok(state) = app.state.lock() else {
        return error(500, 5000, "state unavailable");
    };
    let matching: Vec<&Value> = if descending {
        state
            .transak_orders
            .values()
            .rev()
            .filter(|o| keep(o))
            .collect()
    } else {
        state.transak_orders.values().filter(|o| keep(o)).collect()
    };
    let page: Vec<Value> = matching
        .iter()
        .skip(skip)
        .take(limit)
        .map(|order| as_listed((*order).clone()))
        .collect();
    json(
        200,
        json!({
            "meta": {
                "filter": {"productsAvailed": products, "status": [status]},
                "sortOrder": if descending { "desc" } else { "asc" },
                "startDate": start, "endDate": end,
                "limit": limit, "skip": skip, "totalCount": matching.len(),
            },
            "data": page,
        }),
    )
}

/// Remembers a webhook the sandbox sent, for Get Webhooks.
pub(crate) fn record_webhook(app: &App, event: &str, order: &Value) {
    let id = state::random_hex(12);
    let entry = json!({
        "id": id, "partnerApiKey": TRANSAK_API_KEY, "createdAt": timestamp_in(0),
        "eventID": event, "webhookData": order,
    });
    if let Ok(mut state) = app.state.lock() {
        state.transak_webhooks.insert(id, entry);
    }
}

/// `GET /partners/api/v2/webhooks?eventID=&orderID=`: the webhooks sent, oldest first.
pub(crate) async fn webhooks(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    if !current_token(&app, &headers) {
        return error(401, 1002, "Invalid or expired access token");
    }
    let pairs = query(&uri);
    let (order_id, event) = (get(&pairs, "orderID"), get(&pairs, "eventID"));
    let Ok(state) = app.state.lock() else {
        return error(500, 5000, "state unavailable");
    };
    let data: Vec<Value> = state
        .transak_webhooks
        .values()
        .filter(|entry| {
            order_id.is_none_or(|id| entry["webhookData"]["id"].as_str() == Some(id))
                && event.is_none_or(|event| entry["eventID"].as_str() == Some(event))
        })
        .cloned()
        .collect();
    json(
        200,
        json!({"meta": {"orderID": order_id, "eventID": event}, "data": data}),
    )
}
