//! The sandbox's Transak as published in December 2026: `x-api-key` on every call and
//! `x-user-ip` on widget URLs (refused without them, in Transak's error shape), Get Order By
//! ID with `_id`, Get Orders paged, and Get Webhooks listing what was sent; driven through
//! `ramp-transak` and through raw requests.

use std::net::IpAddr;

use futures_util::TryStreamExt;
use ramp_core::http::reqwest;
use ramp_core::{ExposeSecret, SecretString};
use ramp_sandbox::{Sandbox, Trigger, credentials as c};
use ramp_transak::{
    Client, Environment, EventType, OrderStatus, OrdersQuery, SortOrder, WidgetParams,
};
use serde_json::Value;

const USER_IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));

fn client(sandbox: &Sandbox) -> Client {
    Client::builder(
        Environment::Custom {
            api: url::Url::parse(&sandbox.transak_api_url()).unwrap(),
            gateway: url::Url::parse(&sandbox.transak_gateway_url()).unwrap(),
        },
        SecretString::from(c::TRANSAK_API_KEY),
        SecretString::from(c::TRANSAK_API_SECRET),
    )
    .referrer_domain("yourdomain.com")
    .build()
    .unwrap()
}

/// Makes an order the way a user does: a widget URL, loaded once.
async fn order(client: &Client, partner_order_id: &str) -> String {
    let params = WidgetParams::builder()
        .partner_order_id(partner_order_id)
        .build()
        .unwrap();
    let widget = client.create_widget_url(&params, USER_IP).await.unwrap();
    let loaded = reqwest::get(widget.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let loaded: Value = serde_json::from_slice(&loaded).unwrap();
    loaded["orderId"].as_str().unwrap().to_owned()
}

async fn raw(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn calls_without_the_api_key_or_the_users_ip_are_refused_in_transaks_shape() {
    let sandbox = Sandbox::start().await.unwrap();
    let api = sandbox.transak_api_url();
    let http = reqwest::Client::new();
    let refresh = |key: Option<&str>| {
        let mut request = http
            .post(format!("{api}partners/api/v2/refresh-token"))
            .header("api-secret", c::TRANSAK_API_SECRET)
            .header("content-type", "application/json")
            .body(serde_json::json!({"apiKey": c::TRANSAK_API_KEY}).to_string());
        if let Some(key) = key {
            request = request.header("x-api-key", key);
        }
        request
    };
    for key in [None, Some("another-key")] {
        let (status, body) = raw(refresh(key)).await;
        assert_eq!(status, 401);
        assert_eq!(
            body,
            serde_json::json!({"error": {"statusCode": 401, "message": "Invalid or missing x-api-key", "errorCode": 1001}})
        );
    }
    let (status, body) = raw(refresh(Some(c::TRANSAK_API_KEY))).await;
    assert_eq!(status, 200);
    let token = body["data"]["accessToken"].as_str().unwrap().to_owned();

    // Every other API call too.
    for path in [
        "partners/api/v2/order/x",
        "partners/api/v2/orders",
        "partners/api/v2/webhooks?orderID=x",
        "api/v1/pricing/public/quotes",
    ] {
        let (status, _) = raw(http
            .get(format!("{api}{path}"))
            .header("access-token", &token))
        .await;
        assert_eq!(status, 401, "{path}");
    }

    // A widget URL without a parseable x-user-ip.
    let session = |ip: Option<&str>| {
        let mut request = http
            .post(format!("{}api/v2/auth/session", sandbox.transak_gateway_url()))
            .header("x-api-key", c::TRANSAK_API_KEY)
            .header("access-token", &token)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({"widgetParams": {"apiKey": c::TRANSAK_API_KEY, "referrerDomain": "yourdomain.com"}})
                    .to_string(),
            );
        if let Some(ip) = ip {
            request = request.header("x-user-ip", ip);
        }
        request
    };
    for ip in [None, Some("not-an-ip"), Some("203.0.113.9, 10.0.0.1")] {
        let (status, body) = raw(session(ip)).await;
        assert_eq!(status, 400, "{ip:?}");
        assert_eq!(body["error"]["errorCode"], 2003, "{ip:?}");
    }
    for ip in ["203.0.113.9", "2001:db8::1"] {
        assert_eq!(raw(session(Some(ip))).await.0, 200, "{ip}");
    }
}

#[tokio::test]
async fn orders_are_listed_page_after_page_and_read_by_their_underscore_id() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(order(&client, &format!("p-{n}")).await);
    }
    // Transak lists COMPLETED orders unless told otherwise: none yet.
    let none: Vec<_> = client
        .orders(&OrdersQuery::default())
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());

    let waiting = |order: SortOrder| {
        OrdersQuery::builder()
            .status(OrderStatus::AwaitingPaymentFromUser)
            .sort_order(order)
            .page_size(2)
            .build()
            .unwrap()
    };
    let listed: Vec<_> = client
        .orders(&waiting(SortOrder::Ascending))
        .try_collect()
        .await
        .unwrap();
    let listed: Vec<String> = listed.into_iter().map(|o| o.id).collect();
    assert_eq!(listed, ids);
    let newest_first: Vec<_> = client
        .orders(&waiting(SortOrder::Descending))
        .try_collect()
        .await
        .unwrap();
    let mut reversed = ids.clone();
    reversed.reverse();
    assert_eq!(
        newest_first.into_iter().map(|o| o.id).collect::<Vec<_>>(),
        reversed
    );
    let page = client
        .orders_page(&waiting(SortOrder::Ascending), 4)
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(5));
    assert_eq!(page.orders.len(), 1);

    let by_partner_id = OrdersQuery::builder()
        .status(OrderStatus::AwaitingPaymentFromUser)
        .partner_order_id("p-3")
        .build()
        .unwrap();
    let found: Vec<_> = client.orders(&by_partner_id).try_collect().await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, ids[3]);
    assert_eq!(found[0].partner_order_id.as_deref(), Some("p-3"));

    // Get Order By ID names the id `_id`, as Transak's page shows.
    let (_, raw_order) = raw(reqwest::Client::new()
        .get(format!(
            "{}partners/api/v2/order/{}",
            sandbox.transak_api_url(),
            ids[0]
        ))
        .header("x-api-key", c::TRANSAK_API_KEY)
        .header(
            "access-token",
            client
                .access_token()
                .await
                .unwrap()
                .secret()
                .expose_secret(),
        ))
    .await;
    assert_eq!(raw_order["data"]["_id"], ids[0].as_str());
    assert!(raw_order["data"].get("id").is_none());
    assert_eq!(raw_order["data"]["ipAddress"], "203.0.113.9");
    assert_eq!(client.order(&ids[0]).await.unwrap().id, ids[0]);
}

#[tokio::test]
async fn a_webhook_that_never_arrived_is_recovered_from_get_webhooks() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let id = order(&client, "p-1").await;
    // Nobody listens at this address: the delivery is lost.
    let nowhere = "http://127.0.0.1:9/transak";
    for event in ["ORDER_PROCESSING", "ORDER_COMPLETED"] {
        let trigger = Trigger::TransakWebhook {
            order_id: id.clone(),
            event: event.into(),
        };
        assert!(sandbox.trigger(trigger, nowhere).await.is_err());
    }
    let all = client.sent_webhooks(&id, None).await.unwrap();
    let events: Vec<_> = all.iter().map(|w| w.event.event.clone()).collect();
    assert_eq!(
        events,
        [EventType::OrderProcessing, EventType::OrderCompleted]
    );
    let completed = client
        .sent_webhooks(&id, Some(&EventType::OrderCompleted))
        .await
        .unwrap();
    assert_eq!(completed.len(), 1);
    assert_eq!(completed[0].event.order.id, id);
    assert_eq!(completed[0].event.order.status, OrderStatus::Completed);
    assert!(
        client
            .sent_webhooks("other", None)
            .await
            .unwrap()
            .is_empty()
    );
}
