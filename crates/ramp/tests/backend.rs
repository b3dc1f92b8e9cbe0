//! `Ramp`: the store and handler given once, the router and the tracker made from them, the
//! tracker run until shutdown; handlers that give up, see the provider's own event, and
//! providers of your own on paths of your choosing. Requests go through the router with
//! `oneshot`, as a user's tests would.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::to_bytes;
use ramp::koinal::CallbackScheme;
use ramp::{HandlerError, MemoryStore, OrderEvent, OrderStatus, Provider, Ramp, test_util};
use ramp_core::SecretString;
use ramp_core::http::Url;
use serde_json::json;
use tower::ServiceExt as _;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

mod support;

const KOINAL_SECRET: &str = "cb_backend";
const ONRAMPER_SECRET: &str = "wh_backend";

fn koinal_verifier() -> ramp::koinal::WebhookVerifier {
    ramp::koinal::WebhookVerifier::new(SecretString::from(KOINAL_SECRET), CallbackScheme::default())
        .unwrap()
}

fn onramper_verifier() -> ramp::onramper_sign::WebhookVerifier {
    ramp::onramper_sign::WebhookVerifier::new(SecretString::from(ONRAMPER_SECRET)).unwrap()
}

fn proof_client(server: &MockServer) -> ramp::proof::Client {
    ramp::proof::Client::builder(
        Url::parse(&format!("{}/proof/", server.uri())).unwrap(),
        SecretString::from("proof_token"),
    )
    .http_config(ramp_core::http::HttpConfig::new().retry(ramp_core::http::RetryPolicy::none()))
    .build()
    .unwrap()
}

fn koinal_client(server: &MockServer) -> ramp::koinal::Client {
    ramp::koinal::Client::builder(
        Url::parse(&server.uri()).unwrap(),
        7,
        SecretString::from("merchant"),
    )
    .build()
    .unwrap()
}

async fn answer(
    router: &axum::Router,
    request: axum::http::Request<axum::body::Body>,
) -> (u16, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let body = to_bytes(response.into_body(), 4096).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn callback(order: u64, status: &str) -> serde_json::Value {
    json!({"order_id": order, "status": status, "customer_reference": "u-1",
        "crypto_amount": 0.10034116, "cryptocurrency_code": "BTC",
        "address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"})
}

#[tokio::test]
async fn one_builder_serves_every_route_follows_what_it_hears_to_its_end_and_shuts_down() {
    let proof = MockServer::start().await;
    let koinal = MockServer::start().await; // no Koinal read is expected: any is refused
    let seen = support::Recorder::default();
    let ramp = Ramp::builder(MemoryStore::default(), seen.handler())
        .koinal(koinal_verifier(), koinal_client(&koinal))
        .onramper(onramper_verifier())
        .proof(proof_client(&proof))
        .path(Provider::Proof, "/proof-3f9c1d7e")
        .schedule(ramp::track::Schedule {
            first: Duration::from_millis(20),
            max: Duration::from_millis(20),
        })
        .poll(Duration::from_millis(10))
        .start();
    let router = ramp.router();

    // Koinal: a genuine callback is handled; one under another secret is refused.
    let genuine = test_util::koinal(
        &callback(12, "COMPLETED"),
        &SecretString::from(KOINAL_SECRET),
        CallbackScheme::default(),
    );
    assert_eq!(
        answer(&router, genuine.request()).await,
        (200, "handled".into())
    );
    let forged = test_util::koinal(
        &callback(12, "COMPLETED"),
        &SecretString::from("guess"),
        CallbackScheme::default(),
    );
    assert_eq!(answer(&router, forged.request()).await.0, 401);

    // Proof on its own path: the read is the event, and the order is followed to its end.
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-1"))
        .respond_with(support::proof_tx("tx-1", "processing"))
        .up_to_n_times(1)
        .mount(&proof)
        .await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-1"))
        .respond_with(support::proof_tx("tx-1", "completed"))
        .mount(&proof)
        .await;
    let hint =
        test_util::proof(&json!({"merchant_transaction_id": "tx-1", "status": "processing"}));
    assert_eq!(
        answer(&router, hint.request()).await.0,
        404,
        "not at /proof any more"
    );
    assert_eq!(
        answer(&router, hint.request_to("/proof-3f9c1d7e")).await,
        (200, "handled".into())
    );
    assert!(seen.reached(3).await, "{:?}", seen.statuses());
    assert_eq!(
        seen.statuses(),
        [
            ("12".to_owned(), OrderStatus::Completed),
            ("tx-1".to_owned(), OrderStatus::Processing),
            ("tx-1".to_owned(), OrderStatus::Completed),
        ]
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while ramp.tracker().open_orders().await.unwrap() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "still followed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::timeout(Duration::from_secs(10), ramp.shutdown())
        .await
        .expect("the tracker stops on shutdown");
}

#[tokio::test]
async fn an_event_the_handler_gives_up_is_answered_200_recorded_and_never_handled_again() {
    let calls = Arc::new(Mutex::new(0));
    let handler = {
        let calls = Arc::clone(&calls);
        move |event: OrderEvent| {
            *calls.lock().unwrap() += 1;
            let unknown = event.partner_reference.as_deref() != Some("order-42");
            async move {
                if unknown {
                    return Err(HandlerError::give_up("no such order in this shop"));
                }
                Ok(())
            }
        }
    };
    let ramp = Ramp::builder(MemoryStore::default(), handler)
        .onramper(onramper_verifier())
        .start();
    let router = ramp.router();
    let secret = SecretString::from(ONRAMPER_SECRET);
    let unknown = test_util::onramper(
        &json!({"transactionId": "tx-9", "status": "paid", "partnerContext": "order-9"}),
        &secret,
    );
    assert_eq!(
        answer(&router, unknown.request()).await,
        (200, "gave up".into())
    );
    assert_eq!(
        answer(&router, unknown.request()).await,
        (200, "duplicate".into())
    );
    assert_eq!(
        *calls.lock().unwrap(),
        1,
        "given up: never handed over again"
    );

    // Any other error: answered 500, and the redelivery is handled.
    let failing = Ramp::builder(MemoryStore::default(), |_: OrderEvent| async {
        Err::<(), _>(std::io::Error::other("disk full"))
    })
    .onramper(onramper_verifier())
    .start();
    let known = test_util::onramper(
        &json!({"transactionId": "tx-1", "status": "paid", "partnerContext": "order-42"}),
        &secret,
    );
    assert_eq!(
        answer(&failing.router(), known.request()).await,
        (500, "the handler failed".into())
    );
    ramp.shutdown().await;
    failing.shutdown().await;
}

#[tokio::test]
async fn the_handler_sees_the_providers_own_typed_event_beside_the_normalized_one() {
    let proof = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-7"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_string(
            r#"{"merchant_transaction_id":"tx-7","status":"completed","network":"TRC20"}"#,
        ))
        .mount(&proof)
        .await;
    let kept: Arc<Mutex<Vec<String>>> = Arc::default();
    let handler = {
        let kept = Arc::clone(&kept);
        move |event: OrderEvent| {
            let line = if let Some(callback) = event.koinal_event() {
                format!("koinal address {}", callback.address)
            } else if let Some(onramper) = event.onramper_event() {
                format!("onramper onramp {:?}", onramper.onramp)
            } else if let Some(tx) = event.proof_transaction() {
                format!("proof network {:?}", tx.network)
            } else {
                "none".to_owned()
            };
            kept.lock().unwrap().push(line);
            async { Ok::<(), HandlerError>(()) }
        }
    };
    let ramp = Ramp::builder(MemoryStore::default(), handler)
        .koinal(koinal_verifier(), koinal_client(&proof))
        .onramper(onramper_verifier())
        .proof(proof_client(&proof))
        .start();
    let router = ramp.router();
    let koinal = test_util::koinal(
        &callback(5, "COMPLETED"),
        &SecretString::from(KOINAL_SECRET),
        CallbackScheme::default(),
    );
    let onramper = test_util::onramper(
        &json!({"transactionId": "tx-2", "status": "completed", "onramp": "moonpay"}),
        &SecretString::from(ONRAMPER_SECRET),
    );
    let hint = test_util::proof(&json!({"merchant_transaction_id": "tx-7", "status": "completed"}));
    for delivery in [koinal, onramper, hint] {
        assert_eq!(answer(&router, delivery.request()).await.0, 200);
    }
    assert_eq!(
        *kept.lock().unwrap(),
        [
            "koinal address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "onramper onramp Some(\"moonpay\")",
            "proof network Some(\"TRC20\")",
        ]
    );
    ramp.shutdown().await;
}

/// A provider of the shop's own: `X-Acme-Signature` is the hex HMAC-SHA256 of the body.
#[derive(Clone)]
struct Acme;

#[derive(serde::Deserialize)]
struct AcmeEvent {
    id: String,
    state: String,
}

impl ramp_core::webhook::Event for AcmeEvent {
    fn order_id(&self) -> &str {
        &self.id
    }
    fn provider_status(&self) -> &str {
        &self.state
    }
    fn status(&self) -> OrderStatus {
        match self.state.as_str() {
            "done" => OrderStatus::Completed,
            _ => OrderStatus::Processing,
        }
    }
}

impl ramp::Verify for Acme {
    type Event = AcmeEvent;

    fn verify_signed<'b>(
        &self,
        raw_body: &'b [u8],
        headers: &axum::http::HeaderMap,
    ) -> Result<std::borrow::Cow<'b, [u8]>, ramp::WebhookError> {
        let signature = ramp_core::webhook::required_header(headers, "x-acme-signature")?;
        if !ramp_core::verify_hmac_sha256_hex(b"acme-secret", raw_body, signature) {
            return Err(ramp::WebhookError::BadSignature(
                "not this body's signature",
            ));
        }
        Ok(std::borrow::Cow::Borrowed(raw_body))
    }

    fn read_event(&self, signed: &[u8]) -> Result<AcmeEvent, ramp::WebhookError> {
        ramp_core::json::from_json_slice(signed).map_err(ramp::WebhookError::malformed)
    }
}

#[tokio::test]
async fn a_provider_of_your_own_gets_a_verified_route_at_the_path_you_choose() {
    assert!(Provider::other("transak").is_err(), "a name this crate has");
    assert!(Provider::other("Acme Pay").is_err());
    let acme = Provider::other("acme-pay").unwrap();
    assert_eq!(Provider::from_name("acme-pay"), Some(acme));
    let seen = support::Recorder::default();
    let ramp = Ramp::builder(MemoryStore::default(), seen.handler())
        .verified(
            acme,
            Acme,
            move |event: &AcmeEvent| OrderEvent::new(acme, event),
            None,
        )
        .path(acme, "/partners/acme")
        .start();
    let router = ramp.router();
    let body = br#"{"id":"a-1","state":"done"}"#;
    let signed = |signature: String| {
        axum::http::Request::post("/partners/acme")
            .header("x-acme-signature", signature)
            .body(axum::body::Body::from(body.to_vec()))
            .unwrap()
    };
    let genuine = ramp_core::hmac_sha256_hex(b"acme-secret", body);
    assert_eq!(answer(&router, signed("0".repeat(64))).await.0, 401);
    assert_eq!(
        answer(&router, signed(genuine.clone())).await,
        (200, "handled".into())
    );
    assert_eq!(
        answer(&router, signed(genuine)).await,
        (200, "ended".into())
    );
    let events = seen.take();
    assert_eq!(events.len(), 1);
    assert_eq!(
        serde_json::to_string(&events[0]).unwrap(),
        r#"{"provider":"acme-pay","order_id":"a-1","status":"completed","provider_status":"done"}"#
    );
    ramp.shutdown().await;
}

#[tokio::test]
async fn on_an_onramper_sell_the_crypto_paid_in_is_the_crypto_side() {
    let seen = support::Recorder::default();
    let ramp = Ramp::builder(MemoryStore::default(), seen.handler())
        .onramper(onramper_verifier())
        .start();
    let secret = SecretString::from(ONRAMPER_SECRET);
    let sell = json!({"transactionId": "tx-s", "status": "completed", "transactionType": "sell",
        "inAmount": 0.01, "sourceCurrency": "btc", "outAmount": 950.5, "targetCurrency": "eur"});
    let buy = json!({"transactionId": "tx-b", "status": "completed", "transactionType": "buy",
        "inAmount": 100.5, "sourceCurrency": "eur", "outAmount": 0.001, "targetCurrency": "btc"});
    for body in [sell, buy] {
        let delivery = test_util::onramper(&body, &secret);
        assert_eq!(answer(&ramp.router(), delivery.request()).await.0, 200);
    }
    let sides: Vec<(String, String)> = seen
        .take()
        .iter()
        .map(|event| {
            let side = |money: &Option<ramp::Money>| {
                let money = money.as_ref().unwrap();
                format!("{} {}", money.amount, money.currency)
            };
            (side(&event.fiat), side(&event.crypto))
        })
        .collect();
    assert_eq!(
        sides,
        [
            ("950.5 eur".to_owned(), "0.01 btc".to_owned()),
            ("100.5 eur".to_owned(), "0.001 btc".to_owned()),
        ]
    );
    ramp.shutdown().await;
}

#[tokio::test]
async fn a_ramp_dropped_without_shutdown_keeps_following_what_its_router_hears() {
    let proof = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-d"))
        .respond_with(support::proof_tx("tx-d", "processing"))
        .up_to_n_times(1)
        .mount(&proof)
        .await;
    Mock::given(method("GET"))
        .and(path("/proof/widget/transactions/tx-d"))
        .respond_with(support::proof_tx("tx-d", "completed"))
        .mount(&proof)
        .await;
    let seen = support::Recorder::default();
    let router = Ramp::builder(MemoryStore::default(), seen.handler())
        .proof(proof_client(&proof))
        .schedule(ramp::track::Schedule {
            first: Duration::from_millis(20),
            max: Duration::from_millis(20),
        })
        .poll(Duration::from_millis(10))
        .start()
        .router(); // the Ramp itself is dropped here
    let hint =
        test_util::proof(&json!({"merchant_transaction_id": "tx-d", "status": "processing"}));
    assert_eq!(answer(&router, hint.request()).await.0, 200);
    assert!(seen.reached(2).await, "{:?}", seen.statuses());
    assert_eq!(
        seen.statuses(),
        [
            ("tx-d".to_owned(), OrderStatus::Processing),
            ("tx-d".to_owned(), OrderStatus::Completed),
        ]
    );
}
