//! Get Order By ID, Get Orders and Get Webhooks against Transak's documented contract
//! (docs.transak.com/api/public/get-order-by-order-id, /get-orders, /get-webhooks, read in
//! December 2026), on local wiremock servers: the documented examples verbatim, the exact
//! requests (method, path, query, every header), paging, the 401 path and local validation.

use ramp_core::http::HttpConfig;
use ramp_transak::ErrorKind;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::{StreamExt, TryStreamExt};
use ramp_testkit::{assert_headers, fast_retries, received};
use ramp_transak::{
    BuyOrSell, Client, Environment, Error, EventType, OrderStatus, OrdersQuery, SecretString,
    SortOrder, Url,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const API_KEY: &str = "a1b2c3d4-transak-api-key";
const API_SECRET: &str = "s3cr3t-transak-api-secret-9f8e";
const NOW: u64 = 1_795_420_800;

#[path = "support/documented.rs"]
mod documented;
use documented::{ORDER_BY_ID, ORDERS, WEBHOOKS};

/// An API host that issues `tok_1`, `tok_2`, ... and answers `get_path` with `respond`.
async fn api_host(get_path: &str, respond: impl Respond + 'static) -> MockServer {
    let server = ramp_testkit::strict_server().await;
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"data": {{"accessToken": "tok_{n}", "expiresAt": {}}}}}"#,
                NOW + 7 * 24 * 3600
            ))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(get_path))
        .respond_with(respond)
        .mount(&server)
        .await;
    server
}

fn client(api: &MockServer) -> Client {
    let url = Url::parse(&api.uri()).unwrap();
    Client::builder(
        Environment::Custom {
            api: url.clone(),
            gateway: url,
        },
        SecretString::from(API_KEY),
        SecretString::from(API_SECRET),
    )
    .clock(|| NOW)
    .http_config(HttpConfig::new().retry(fast_retries()))
    .build()
    .unwrap()
}

fn ok(body: &'static str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(body)
}

/// The GET requests a server received (the token requests left out).
async fn gets(server: &MockServer) -> Vec<Request> {
    received(server)
        .await
        .into_iter()
        .filter(|r| r.method.as_str() == "GET")
        .collect()
}

fn assert_read_headers(request: &Request, token: &str) {
    let agent = concat!("ramp-transak/", env!("CARGO_PKG_VERSION"));
    assert_headers(
        request,
        &[
            ("accept", "application/json"),
            ("access-token", token),
            ("user-agent", agent),
            ("x-api-key", API_KEY),
        ],
    );
}

#[tokio::test]
async fn get_order_by_id_reads_the_documented_example_with_its_underscore_id() {
    let id = "322dc79c-fad2-4df1-bf50-b292191fc953";
    let api = api_host(&format!("/partners/api/v2/order/{id}"), ok(ORDER_BY_ID)).await;
    let order = client(&api).order(id).await.unwrap();
    assert_eq!(order.id, id);
    assert_eq!(order.status, OrderStatus::Completed);
    assert_eq!(order.fiat_amount.unwrap().to_string(), "45");
    assert_eq!(order.amount_paid.unwrap().to_string(), "45");
    assert_eq!(
        order.payment_option_id.as_deref(),
        Some("sepa_bank_transfer")
    );
    let gets = gets(&api).await;
    assert_eq!(gets.len(), 1);
    assert_eq!(gets[0].url.path(), format!("/partners/api/v2/order/{id}"));
    assert_eq!(gets[0].url.query(), None);
    assert!(gets[0].body.is_empty());
    assert_read_headers(&gets[0], "tok_1");
    insta::assert_debug_snapshot!("order_by_id_documented", order);
}

#[tokio::test]
async fn get_orders_reads_the_documented_example_and_sends_the_documented_filters() {
    let api = api_host("/partners/api/v2/orders", ok(ORDERS)).await;
    let query = OrdersQuery::builder()
        .status(OrderStatus::Completed)
        .products([BuyOrSell::Buy])
        .sort_order(SortOrder::Descending)
        .start_date(
            ramp_transak::Date::from_calendar_date(2024, ramp_transak::Month::April, 1).unwrap(),
        )
        .end_date(
            ramp_transak::Date::from_calendar_date(2024, ramp_transak::Month::May, 1).unwrap(),
        )
        .wallet_address("0x12d8885")
        .partner_order_id("order 42/&")
        .build()
        .unwrap();
    let page = client(&api).orders_page(&query, 0).await.unwrap();
    assert_eq!(page.total_count, Some(12));
    assert_eq!(page.orders.len(), 1);
    let order = &page.orders[0];
    assert_eq!(order.id, "7d8e0655-728e-458c-9c15-b3e9f2aa66ed");
    assert_eq!(order.crypto_amount.unwrap().to_string(), "0.01596979");
    let gets = gets(&api).await;
    assert_eq!(gets.len(), 1);
    assert_eq!(
        gets[0].url.query().unwrap(),
        "limit=100&skip=0&startDate=2024-04-01&endDate=2024-05-01&filter%5Bstatus%5D=COMPLETED\
         &filter%5BproductsAvailed%5D=%5B%22BUY%22%5D&filter%5BsortOrder%5D=desc\
         &filter%5BwalletAddress%5D=0x12d8885&filter%5BpartnerOrderId%5D=order+42%2F%26"
    );
    assert_read_headers(&gets[0], "tok_1");
}

/// Serves `total` orders `o-0`, `o-1`, ... by `limit` and `skip`, with `meta.totalCount`
/// when `with_total`.
struct Paged {
    total: usize,
    with_total: bool,
}

impl Respond for Paged {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let pairs: std::collections::HashMap<String, String> =
            request.url.query_pairs().into_owned().collect();
        let limit: usize = pairs["limit"].parse().unwrap();
        let skip: usize = pairs["skip"].parse().unwrap();
        let data: Vec<serde_json::Value> = (skip..self.total.min(skip + limit))
            .map(|i| serde_json::json!({"_id": format!("o-{i}"), "status": "PROCESSING"}))
            .collect();
        let mut meta = serde_json::json!({"limit": limit, "skip": skip});
        if self.with_total {
            meta["totalCount"] = self.total.into();
        }
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"meta": meta, "data": data}))
    }
}

async fn ids_and_skips(total: usize, with_total: bool, size: u32) -> (Vec<String>, Vec<String>) {
    let api = api_host("/partners/api/v2/orders", Paged { total, with_total }).await;
    let query = OrdersQuery::builder().page_size(size).build().unwrap();
    let orders: Vec<_> = client(&api).orders(&query).try_collect().await.unwrap();
    let skips = gets(&api)
        .await
        .iter()
        .map(|r| {
            let pairs: std::collections::HashMap<String, String> =
                r.url.query_pairs().into_owned().collect();
            format!("{}+{}", pairs["skip"], pairs["limit"])
        })
        .collect();
    (orders.into_iter().map(|o| o.id).collect(), skips)
}

#[tokio::test]
async fn the_stream_fetches_every_page_by_itself_and_stops_after_the_last() {
    let expected: Vec<String> = (0..5).map(|i| format!("o-{i}")).collect();
    // totalCount reached: no request for the empty page after it.
    let (ids, skips) = ids_and_skips(5, true, 2).await;
    assert_eq!(ids, expected);
    assert_eq!(skips, ["0+2", "2+2", "4+2"]);
    let (ids, skips) = ids_and_skips(4, true, 2).await;
    assert_eq!(ids, expected[..4]);
    assert_eq!(skips, ["0+2", "2+2"]);
    // A short page does not end it while totalCount says more orders follow.
    let api = api_host(
        "/partners/api/v2/orders",
        |request: &Request| {
            let skip = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "skip")
                .map(|(_, v)| v.into_owned())
                .unwrap();
            let body = match skip.as_str() {
                "0" => r#"{"meta":{"totalCount":3},"data":[{"_id":"a","status":"COMPLETED"}]}"#,
                "1" => r#"{"meta":{"totalCount":3},"data":[{"_id":"b","status":"COMPLETED"},{"_id":"c","status":"COMPLETED"}]}"#,
                _ => r#"{"meta":{"totalCount":3},"data":[]}"#,
            };
            ResponseTemplate::new(200).set_body_string(body)
        },
    )
    .await;
    let query = OrdersQuery::builder().page_size(2).build().unwrap();
    let orders: Vec<_> = client(&api).orders(&query).try_collect().await.unwrap();
    let ids: Vec<_> = orders.into_iter().map(|o| o.id).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(gets(&api).await.len(), 2);
    // A server that ignores skip (and gives no total) would repeat a full page forever: the
    // repeat ends the stream.
    let api = api_host(
        "/partners/api/v2/orders",
        ok(r#"{"data":[{"_id":"a","status":"COMPLETED"},{"_id":"b","status":"COMPLETED"}]}"#),
    )
    .await;
    let orders: Vec<_> = client(&api).orders(&query).try_collect().await.unwrap();
    assert_eq!(orders.len(), 2);
    assert_eq!(gets(&api).await.len(), 2);
    // Without totalCount: a short page ends it, or else an empty one.
    let (ids, skips) = ids_and_skips(5, false, 2).await;
    assert_eq!(ids, expected);
    assert_eq!(skips, ["0+2", "2+2", "4+2"]);
    let (ids, skips) = ids_and_skips(4, false, 2).await;
    assert_eq!(ids, expected[..4]);
    assert_eq!(skips, ["0+2", "2+2", "4+2"]);
    let (ids, skips) = ids_and_skips(0, true, 100).await;
    assert!(ids.is_empty());
    assert_eq!(skips, ["0+100"]);
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_once_and_ends_the_stream() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let api = api_host("/partners/api/v2/orders", move |_: &Request| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            ResponseTemplate::new(200).set_body_string(
                r#"{"meta":{"totalCount":3},"data":[{"_id":"a","status":"COMPLETED"},{"_id":"b","status":"COMPLETED"}]}"#,
            )
        } else {
            ResponseTemplate::new(400).set_body_string(
                r#"{"error":{"statusCode":400,"message":"Invalid skip","errorCode":1000}}"#,
            )
        }
    })
    .await;
    let query = OrdersQuery::builder().page_size(2).build().unwrap();
    let items: Vec<_> = client(&api).orders(&query).collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    assert_eq!(items[1].as_ref().unwrap().id, "b");
    let err = items[2].as_ref().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Transak error 1000 (HTTP 400 Bad Request): Invalid skip"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_401_on_a_page_refreshes_the_token_once_and_reads_the_page_again() {
    let api = api_host("/partners/api/v2/orders", |request: &Request| {
        if request.headers.get("access-token").unwrap() == "tok_1" {
            ResponseTemplate::new(401).set_body_string(
                r#"{"error":{"statusCode":401,"message":"Authorization Required"}}"#,
            )
        } else {
            ResponseTemplate::new(200).set_body_string(
                r#"{"meta":{"totalCount":1},"data":[{"_id":"a","status":"COMPLETED"}]}"#,
            )
        }
    })
    .await;
    let client = client(&api);
    // A first call caches tok_1.
    client.access_token().await.unwrap();
    let orders: Vec<_> = client
        .orders(&OrdersQuery::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orders.len(), 1);
    let gets = gets(&api).await;
    assert_eq!(gets.len(), 2);
    assert_read_headers(&gets[0], "tok_1");
    assert_read_headers(&gets[1], "tok_2");
}

#[tokio::test]
async fn invalid_filters_are_refused_before_anything_is_sent() {
    let date = |m, d| ramp_transak::Date::from_calendar_date(2026, m, d).unwrap();
    let cases = [
        ("limit", OrdersQuery::builder().page_size(0)),
        ("limit", OrdersQuery::builder().page_size(101)),
        (
            "startDate",
            OrdersQuery::builder()
                .start_date(date(ramp_transak::Month::May, 2))
                .end_date(date(ramp_transak::Month::May, 1)),
        ),
        (
            "filter[walletAddress]",
            OrdersQuery::builder().wallet_address(" "),
        ),
        (
            "filter[partnerOrderId]",
            OrdersQuery::builder().partner_order_id(""),
        ),
        (
            "filter[status]",
            OrdersQuery::builder().status(OrderStatus::from("")),
        ),
    ];
    for (field, builder) in cases {
        match builder.build().map_err(Error::into_kind) {
            Err(ErrorKind::Validation { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let api = api_host("/partners/api/v2/webhooks", ok(WEBHOOKS)).await;
    let err = client(&api).sent_webhooks(" ", None).await.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Validation {
                field: "orderID",
                ..
            }
        ),
        "{err}"
    );
    assert!(received(&api).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn get_webhooks_reads_the_documented_example_as_webhook_events() {
    let api = api_host("/partners/api/v2/webhooks", ok(WEBHOOKS)).await;
    let order_id = "322dc79c-fad2-4df1-bf50-b292191fc953";
    let sent = client(&api)
        .sent_webhooks(order_id, Some(&EventType::OrderCompleted))
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].id, "670e7c469f2a5dd93fbe4406");
    assert_eq!(sent[0].event.event, EventType::OrderCompleted);
    assert_eq!(sent[0].event.order.id, order_id);
    assert_eq!(
        sent[0].event.order.crypto_amount.unwrap().to_string(),
        "0.01788752"
    );
    let gets = gets(&api).await;
    assert_eq!(gets.len(), 1);
    assert_eq!(gets[0].url.path(), "/partners/api/v2/webhooks");
    assert_eq!(
        gets[0].url.query().unwrap(),
        format!("eventID=ORDER_COMPLETED&orderID={order_id}")
    );
    assert_read_headers(&gets[0], "tok_1");
    // The partner API key in the listing is not kept.
    assert!(!format!("{sent:?}").contains("d79671a4"));
    insta::assert_debug_snapshot!("sent_webhooks_documented", sent);
}

#[path = "orders/codes.rs"]
mod codes;
