//! One endpoint with a route for every provider, on 127.0.0.1, and what its handler saw.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ramp::endpoint::Endpoint;
use ramp::store::DedupStore;
use ramp::{MemoryStore, OrderEvent};
use ramp_core::SecretString;
use ramp_core::http::Url;
use ramp_core::webhook::Delivery;
use wiremock::MockServer;

pub const KOINAL_SECRET: &str = "cb_secret_1";
pub const ONRAMPER_SECRET: &str = "whsec_onramper_1";

pub const TRANSAK_TOKEN: &str = "tok_transak_1";
pub const KOINAL: &[u8] = br#"{"order_id":12,"status":"COMPLETED","customer_reference":"User1","crypto_amount":0.100341160000000001,"cryptocurrency_code":"BTC","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","blockchain_tx_id":"4a5e"}"#;
pub const ONRAMPER: &[u8] = br#"{"transactionId":"01HX9","status":"paid","inAmount":100.5,"sourceCurrency":"eur","outAmount":0.001234567890123456,"targetCurrency":"btc","partnerContext":"order-42","statusDate":"2026-11-25T08:00:00.000Z"}"#;

/// What the handler saw, and whether it should fail.
#[derive(Default)]
pub struct Seen {
    pub events: Mutex<Vec<OrderEvent>>,
    pub fail: Mutex<bool>,
    pub panic: Mutex<bool>,
}

pub struct Harness {
    pub base: String,
    pub seen: Arc<Seen>,
    pub proof: MockServer,
    pub http: ramp_core::http::reqwest::Client,
    pub endpoint: Endpoint,
    pub tracker: Arc<ramp::track::Tracker>,
}

/// The endpoint on a default memory store.
pub async fn start(cold_transak: bool) -> Harness {
    start_on(cold_transak, Arc::new(MemoryStore::default())).await
}

/// The endpoint on `store`, with a tracker (reading Proof, every hour) on the same store.
pub async fn start_on(cold_transak: bool, store: Arc<dyn DedupStore>) -> Harness {
    let seen = Arc::new(Seen::default());
    let proof = MockServer::start().await;
    let handler_seen = Arc::clone(&seen);
    let koinal = ramp::koinal::WebhookVerifier::new(
        SecretString::from(KOINAL_SECRET),
        ramp::koinal::CallbackScheme::HmacBodyPlusSecret,
    )
    .unwrap();
    let onramper =
        ramp::onramper_sign::WebhookVerifier::new(SecretString::from(ONRAMPER_SECRET)).unwrap();
    let transak = ramp::transak::Client::builder(
        ramp::transak::Environment::Custom {
            api: Url::parse(&proof.uri()).unwrap(),
            gateway: Url::parse(&proof.uri()).unwrap(),
        },
        SecretString::from("key"),
        SecretString::from("secret"),
    );
    let transak = if cold_transak {
        transak
    } else {
        transak.access_token(SecretString::from(TRANSAK_TOKEN))
    };
    let proof_client = ramp::proof::Client::builder(
        Url::parse(&format!("{}/proof/", proof.uri())).unwrap(),
        SecretString::from("proof_token"),
    )
    .http_config(ramp_core::http::HttpConfig::new().retry(ramp_core::http::RetryPolicy::none()))
    .build()
    .unwrap();
    let handler = move |event: OrderEvent| {
        let seen = Arc::clone(&handler_seen);
        async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if *seen.fail.lock().unwrap() {
                return Err(ramp::HandlerError::retry("the database is down"));
            }
            if *seen.panic.lock().unwrap() {
                panic!("the handler panicked");
            }
            seen.events.lock().unwrap().push(event);
            Ok(())
        }
    };
    let tracker = Arc::new(
        ramp::track::Tracker::new(
            Arc::new(ramp::track::MemoryBook::new()),
            Arc::clone(&store),
            handler.clone(),
        )
        .proof(proof_client.clone())
        .schedule(ramp::track::Schedule {
            first: Duration::from_secs(3600),
            max: Duration::from_secs(3600),
        }),
    );
    let endpoint = Endpoint::new(store, handler)
        .koinal(koinal)
        .onramper(onramper)
        .transak(transak.build().unwrap())
        .proof(proof_client)
        .tracker(Arc::clone(&tracker))
        .body_limit(4096);
    let app = axum::Router::new().nest("/hooks", endpoint.router());
    let base = super::serve(app).await;
    Harness {
        base,
        seen,
        proof,
        http: ramp_core::http::reqwest::Client::new(),
        endpoint,
        tracker,
    }
}

impl Harness {
    pub async fn post(&self, route: &str, delivery: &Delivery) -> u16 {
        self.http
            .post(format!("{}/hooks/{route}", self.base))
            .headers(delivery.headers.clone())
            .body(delivery.body.clone())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    pub fn events(&self) -> Vec<OrderEvent> {
        self.seen.events.lock().unwrap().clone()
    }
}

/// A Koinal callback signed under the endpoint's secret.
pub fn koinal(body: &[u8]) -> Delivery {
    ramp::koinal::webhook::test_util::signed_webhook(
        body,
        &SecretString::from(KOINAL_SECRET),
        ramp::koinal::CallbackScheme::HmacBodyPlusSecret,
    )
}

/// An Onramper webhook signed under the endpoint's secret.
pub fn onramper(body: &[u8]) -> Delivery {
    ramp::onramper_sign::webhook::test_util::signed_webhook(
        body,
        &SecretString::from(ONRAMPER_SECRET),
    )
}

/// An unsigned Proof delivery naming `id` and claiming `status`.
pub fn proof_hint(id: &str, status: &str) -> Delivery {
    Delivery {
        body: format!(r#"{{"merchant_transaction_id":"{id}","status":"{status}"}}"#).into_bytes(),
        ..Delivery::default()
    }
}
