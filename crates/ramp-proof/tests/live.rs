//! `Client::watch` against a local server that speaks Proof's WebSocket and status read
//! (docs.proof.community/on-off-ramp/api-websocket, /transaction-status): the upgrade request
//! exactly (token in `Authorization`, never in the URL), updates in order without repeats, an
//! end after a final status, reconnection with status reads while disconnected, and refusals
//! that end the stream.

use ramp_core::http::HttpConfig;
use ramp_proof::ErrorKind;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use ramp_proof::{
    Client, Error, LiveUpdate, RetryPolicy, SecretString, UpdateSource, Url, WatchOptions,
};

const TX: &str = "550e8400-e29b-41d4-a716-446655440000";
const TOKEN: &str = "proof-client-token-7f3a";

/// What one connection attempt gets.
enum Plan {
    /// The upgrade is refused with this status and body.
    Refuse(u16, &'static str),
    /// The upgrade succeeds; these messages are sent, then the server closes.
    Send(Vec<String>),
    /// The upgrade succeeds; these messages are sent and the connection stays open.
    SendAndHold(Vec<String>),
    /// The upgrade succeeds, then the server neither reads nor writes (a half-open
    /// connection: pings go unanswered).
    Silent,
}

#[derive(Default)]
struct Script {
    plans: Mutex<VecDeque<Plan>>,
    /// The status reads answer these in turn (the last one stays).
    reads: Mutex<VecDeque<(u16, String)>>,
    /// Each upgrade request: its URI and headers.
    upgrades: Mutex<Vec<(String, HeaderMap)>>,
    read_count: Mutex<usize>,
    /// Reads answer `completed` once this many upgrades were attempted.
    complete_after_upgrades: Option<usize>,
}

fn update(status: &str) -> String {
    format!(
        r#"{{"event":"tx.update","merchant_transaction_id":"{TX}","type":"buy","status":"{status}","payment_method":"card","currency":"USDT","fiat_currency":"EUR","fiat_amount":"100.00","crypto_amount":"{}","occurred_at":"2026-04-01T10:03:45Z"}}"#,
        if status == "pending" { "" } else { "99.50" }
    )
}

fn read(status: &str) -> (u16, String) {
    (
        200,
        format!(
            r#"{{"merchant_transaction_id":"{TX}","partner_user_id":"user-123","type":"buy","status":"{status}","currency":"USDT","network":"TRC20","crypto_amount":"","fiat_currency":"EUR","fiat_amount":"100.00","created_at":"2026-04-01T10:00:00Z","updated_at":"2026-04-01T10:01:00Z"}}"#
        ),
    )
}

async fn ws(
    State(script): State<Arc<Script>>,
    uri: Uri,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    script
        .upgrades
        .lock()
        .unwrap()
        .push((uri.to_string(), headers.clone()));
    let plan = script.plans.lock().unwrap().pop_front();
    let (messages, hold) = match plan {
        Some(Plan::Refuse(status, body)) => {
            return (StatusCode::from_u16(status).unwrap(), body.to_owned()).into_response();
        }
        Some(Plan::Send(messages)) => (messages, false),
        Some(Plan::SendAndHold(messages)) => (messages, true),
        Some(Plan::Silent) => {
            return upgrade.on_upgrade(|socket| async move {
                tokio::time::sleep(Duration::from_secs(10)).await;
                drop(socket);
            });
        }
        None => (Vec::new(), true),
    };
    upgrade.on_upgrade(move |mut socket| async move {
        for message in messages {
            if socket.send(Message::Text(message.into())).await.is_err() {
                return;
            }
        }
        if hold {
            while let Some(Ok(_)) = socket.recv().await {}
        }
    })
}

async fn transaction(State(script): State<Arc<Script>>, Path(id): Path<String>) -> Response {
    *script.read_count.lock().unwrap() += 1;
    if let Some(n) = script.complete_after_upgrades
        && script.upgrades.lock().unwrap().len() >= n
    {
        let (status, body) = read("completed");
        return (StatusCode::from_u16(status).unwrap(), body).into_response();
    }
    let mut reads = script.reads.lock().unwrap();
    let (status, body) = if reads.len() > 1 {
        reads.pop_front().unwrap()
    } else {
        reads.front().cloned().unwrap()
    };
    assert_eq!(id, TX);
    (StatusCode::from_u16(status).unwrap(), body).into_response()
}

async fn serve(plans: Vec<Plan>, reads: Vec<(u16, String)>) -> (Arc<Script>, SocketAddr) {
    serve_script(Script {
        plans: Mutex::new(plans.into()),
        reads: Mutex::new(reads.into()),
        ..Script::default()
    })
    .await
}

async fn serve_script(script: Script) -> (Arc<Script>, SocketAddr) {
    let script = Arc::new(script);
    let app = Router::new()
        .route("/proof/ws", get(ws))
        .route("/proof/widget/transactions/{id}", get(transaction))
        .with_state(Arc::clone(&script));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (script, addr)
}

fn client(addr: SocketAddr) -> Client {
    Client::builder(
        Url::parse(&format!("http://{addr}/proof/")).unwrap(),
        SecretString::from(TOKEN),
    )
    .origin("https://app.example.com")
    .http_config(HttpConfig::new().retry(RetryPolicy::none()))
    .build()
    .unwrap()
}

fn fast() -> WatchOptions {
    WatchOptions::default()
        .reconnect(
            RetryPolicy::deterministic()
                .with_base_delay(Duration::from_millis(20))
                .with_max_delay(Duration::from_millis(40)),
        )
        .poll_every(Duration::from_millis(10), Duration::from_millis(20))
}

async fn collect(client: &Client, options: WatchOptions) -> Vec<Result<LiveUpdate, Error>> {
    let stream = client.watch_with(TX, options).collect::<Vec<_>>();
    tokio::time::timeout(Duration::from_secs(10), stream)
        .await
        .expect("the stream ended")
}

fn statuses(items: &[Result<LiveUpdate, Error>]) -> Vec<(String, UpdateSource)> {
    items
        .iter()
        .map(|item| {
            let update = item.as_ref().unwrap();
            (update.status.to_string(), update.source)
        })
        .collect()
}

#[tokio::test]
async fn updates_arrive_once_each_in_order_and_the_stream_ends_after_a_final_status() {
    let messages = vec![
        update("processing"),
        update("processing"),
        r#"{"event":"tx.update","merchant_transaction_id":"another","status":"failed"}"#.into(),
        r#"{"event":"heartbeat"}"#.into(),
        "not json".into(),
        update("pending"),
        update("completed"),
        update("failed"),
    ];
    let (script, addr) = serve(vec![Plan::SendAndHold(messages)], vec![read("pending")]).await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(
        statuses(&items),
        [
            ("pending".into(), UpdateSource::StatusRead),
            ("processing".into(), UpdateSource::WebSocket),
            ("completed".into(), UpdateSource::WebSocket),
        ]
    );
    let completed = items[2].as_ref().unwrap();
    assert_eq!(completed.crypto_amount.unwrap().to_string(), "99.50");
    assert_eq!(completed.payment_method.as_deref(), Some("card"));
    assert_eq!(
        completed.occurred_at,
        Some(ramp_proof::OffsetDateTime::from_unix_timestamp(1_775_037_825).unwrap())
    );
    assert_eq!(items[0].as_ref().unwrap().crypto_amount, None);

    // One upgrade: the token in Authorization, never in the URL.
    let upgrades = script.upgrades.lock().unwrap();
    assert_eq!(upgrades.len(), 1);
    let (uri, headers) = &upgrades[0];
    assert_eq!(uri, &format!("/proof/ws?tx_id={TX}"));
    assert_eq!(headers["authorization"], format!("Bearer {TOKEN}").as_str());
    assert_eq!(headers["origin"], "https://app.example.com");
    assert_eq!(
        headers["user-agent"],
        concat!("ramp-proof/", env!("CARGO_PKG_VERSION"))
    );
    assert!(!uri.contains(TOKEN));
    assert_eq!(
        *script.read_count.lock().unwrap(),
        1,
        "one read, after subscribing"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_bridged_by_status_reads_and_reconnected() {
    let plans = vec![
        Plan::Send(vec![update("processing")]),
        Plan::Refuse(503, "<html>busy</html>"),
        Plan::Refuse(502, "<html>bad gateway</html>"),
        Plan::SendAndHold(vec![]),
    ];
    // The first read (after subscribing) says pending; reads while disconnected say
    // processing, and completed once the fourth connection was asked for.
    let (script, addr) = serve_script(Script {
        plans: Mutex::new(plans.into()),
        reads: Mutex::new(vec![read("pending"), read("processing")].into()),
        complete_after_upgrades: Some(4),
        ..Script::default()
    })
    .await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(
        statuses(&items),
        [
            ("pending".into(), UpdateSource::StatusRead),
            ("processing".into(), UpdateSource::WebSocket),
            ("completed".into(), UpdateSource::StatusRead),
        ]
    );
    assert_eq!(script.upgrades.lock().unwrap().len(), 4, "it reconnected");
    assert!(
        *script.read_count.lock().unwrap() >= 3,
        "it read while disconnected"
    );
}

#[tokio::test]
async fn a_transaction_already_final_ends_the_stream_at_once() {
    let (_, addr) = serve(vec![Plan::SendAndHold(vec![])], vec![read("cancelled")]).await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(
        statuses(&items),
        [("cancelled".into(), UpdateSource::StatusRead)]
    );
}

#[tokio::test]
async fn a_refused_upgrade_or_an_unknown_transaction_ends_the_stream_with_the_error() {
    let (script, addr) = serve(
        vec![Plan::Refuse(
            401,
            r#"{"error":"unauthorised","code":"invalid_token","message":"Missing or inactive client_token"}"#,
        )],
        vec![read("pending")],
    )
    .await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(items.len(), 1);
    let err = items[0].as_ref().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.api_kind(), Some(ramp_proof::ApiErrorKind::InvalidToken));
    assert!(!err.to_string().contains(TOKEN));
    assert_eq!(script.upgrades.lock().unwrap().len(), 1, "no retry loop");

    let (_, addr) = serve(
        vec![Plan::Refuse(403, "<html>no</html>")],
        vec![read("pending")],
    )
    .await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(
        items[0].as_ref().unwrap_err().to_string(),
        "the WebSocket upgrade was refused with HTTP 403 Forbidden: <html>no</html>"
    );

    let not_found = (
        404,
        r#"{"error":"not_found","code":"not_found","message":"transaction not found"}"#.to_owned(),
    );
    let (_, addr) = serve(vec![Plan::SendAndHold(vec![])], vec![not_found]).await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().api_kind(),
        Some(ramp_proof::ApiErrorKind::NotFound)
    );
}

#[tokio::test]
async fn bad_arguments_are_one_error_and_nothing_is_sent() {
    let (script, addr) = serve(vec![], vec![read("pending")]).await;
    let client = client(addr);
    let blank: Vec<_> = client.watch(" ").collect().await;
    assert!(matches!(
        blank.as_slice(),
        [Err(err)] if matches!(err.kind(), ErrorKind::Validation { field: "merchant_transaction_id", .. })
    ));
    let options =
        WatchOptions::default().poll_every(Duration::from_secs(10), Duration::from_secs(5));
    let bad: Vec<_> = client.watch_with(TX, options).collect().await;
    assert!(matches!(
        bad.as_slice(),
        [Err(err)] if matches!(err.kind(), ErrorKind::Validation { field: "poll_every", .. })
    ));
    assert!(script.upgrades.lock().unwrap().is_empty());
    assert_eq!(*script.read_count.lock().unwrap(), 0);
}

fn quick_confirm() -> WatchOptions {
    fast().confirm_every(Duration::from_millis(40))
}

#[tokio::test]
async fn a_silent_connection_is_replaced_and_a_push_that_never_comes_is_read() {
    // The first connection goes quiet (pings unanswered): it is dropped and made again.
    let (script, addr) = serve(
        vec![Plan::Silent, Plan::SendAndHold(vec![update("completed")])],
        vec![read("pending")],
    )
    .await;
    let items = collect(&client(addr), quick_confirm()).await;
    assert_eq!(
        statuses(&items),
        [
            ("pending".into(), UpdateSource::StatusRead),
            ("completed".into(), UpdateSource::WebSocket),
        ]
    );
    assert_eq!(script.upgrades.lock().unwrap().len(), 2);

    // A live connection that never pushes the final status: the read while connected ends
    // the watch.
    let (script, addr) = serve(
        vec![Plan::SendAndHold(vec![])],
        vec![read("pending"), read("pending"), read("failed")],
    )
    .await;
    let items = collect(&client(addr), quick_confirm()).await;
    assert_eq!(
        statuses(&items),
        [
            ("pending".into(), UpdateSource::StatusRead),
            ("failed".into(), UpdateSource::StatusRead),
        ]
    );
    assert_eq!(script.upgrades.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_catch_up_read_is_tried_again() {
    // Final before the subscription; the read right after it fails once.
    let (_, addr) = serve(
        vec![Plan::SendAndHold(vec![])],
        vec![(503, "{}".to_owned()), read("completed")],
    )
    .await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(
        statuses(&items),
        [("completed".into(), UpdateSource::StatusRead)]
    );
}

#[tokio::test]
async fn an_update_for_this_transaction_that_does_not_decode_is_read_not_dropped() {
    // The push announces a change but cannot be read (an amount that is not one): the watch
    // reads the status at once, long before the minute-long confirmation read.
    let garbled =
        update("completed").replace(r#""crypto_amount":"99.50""#, r#""crypto_amount":"lots""#);
    let (script, addr) = serve(
        vec![Plan::SendAndHold(vec![garbled])],
        vec![read("pending"), read("completed")],
    )
    .await;
    let items = collect(&client(addr), fast()).await;
    assert_eq!(
        statuses(&items),
        [
            ("pending".into(), UpdateSource::StatusRead),
            ("completed".into(), UpdateSource::StatusRead),
        ]
    );
    assert_eq!(*script.read_count.lock().unwrap(), 2);
}
