//! Genuine deliveries for tests (feature `test-util`): each provider's delivery signed as the
//! provider signs it, from its typed event or a JSON body, as an `http::Request` for the
//! endpoint's router, so that `router.oneshot(request)` (tower's `ServiceExt`) tests the whole
//! route without a server. The store promises' suite is [`crate::store::conformance`]. Each
//! helper panics when the body given cannot be made JSON: a bug in the test.
//!
//! ```
//! # #[cfg(feature = "koinal")]
//! # async fn run() {
//! use std::sync::Arc;
//! use ramp::koinal::{CallbackScheme, SecretString, WebhookVerifier};
//! use ramp::{HandlerError, MemoryStore, OrderEvent, endpoint::Endpoint, test_util};
//! use serde_json::json;
//! use tower::ServiceExt as _;
//!
//! let secret = SecretString::from("callback-secret");
//! let router = Endpoint::new(Arc::new(MemoryStore::default()), |_: OrderEvent| async {
//!     Ok::<(), HandlerError>(())
//! })
//! .koinal(WebhookVerifier::new(secret.clone(), CallbackScheme::default()).unwrap())
//! .router();
//!
//! let callback = json!({"order_id": 12, "status": "COMPLETED", "customer_reference": "u-1",
//!     "crypto_amount": 0.1, "cryptocurrency_code": "BTC", "address": "bc1q…"});
//! let genuine = test_util::koinal(&callback, &secret, CallbackScheme::default());
//! let answer = router.clone().oneshot(genuine.request()).await.unwrap();
//! assert_eq!(answer.status(), 200);
//!
//! let forged = test_util::koinal(&callback, &SecretString::from("guess"), CallbackScheme::default());
//! assert_eq!(router.oneshot(forged.request()).await.unwrap().status(), 401);
//! # }
//! ```

// Which of these a build uses depends on the provider features on.
#![allow(unused_imports, dead_code)]
// Test helpers: a body that cannot be made JSON is a bug in the test calling them, and
// panics there with what was wrong rather than sending an empty body.
#![allow(clippy::expect_used)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request};
use ramp_core::SecretString;
use serde::Serialize;

use crate::Provider;

/// A delivery as its provider sends it: the headers (its signature among them) and the body.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Who sends it.
    pub provider: Provider,
    /// The request's headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Delivery {
    fn of(provider: Provider, delivery: ramp_core::webhook::Delivery) -> Self {
        Self {
            provider,
            headers: delivery.headers,
            body: delivery.body,
        }
    }

    /// `POST /<provider>`: the request for its route on a router whose paths are the
    /// defaults.
    pub fn request(&self) -> Request<Body> {
        self.request_to(&format!("/{}", self.provider.as_str()))
    }

    /// `POST path`: the request for its route where you mounted it (`/webhooks/koinal`, or
    /// the path given to `Endpoint::path`).
    pub fn request_to(&self, path: &str) -> Request<Body> {
        let mut request = Request::new(Body::from(self.body.clone()));
        *request.method_mut() = Method::POST;
        if let Ok(uri) = path.parse() {
            *request.uri_mut() = uri;
        }
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// `body` as JSON; panics when it cannot be (a map with keys that are not strings).
fn json_bytes(body: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(body).expect("a test delivery's body serializes as JSON")
}

/// A Koinal callback: `callback` (a [`WebhookEvent`](ramp_koinal::WebhookEvent) or any JSON) with
/// its `Signature` under `secret` and `scheme`.
#[cfg(feature = "koinal")]
#[cfg_attr(docsrs, doc(cfg(feature = "koinal")))]
pub fn koinal(
    callback: &impl Serialize,
    secret: &SecretString,
    scheme: ramp_koinal::CallbackScheme,
) -> Delivery {
    let body = json_bytes(callback);
    Delivery::of(
        Provider::Koinal,
        ramp_koinal::webhook::test_util::signed_webhook(&body, secret, scheme),
    )
}

/// An Onramper webhook: `event` (a
/// [`WebhookEvent`](ramp_onramper_sign::WebhookEvent) or any JSON) with its
/// `X-Onramper-Webhook-Signature` under `secret`.
#[cfg(feature = "onramper")]
#[cfg_attr(docsrs, doc(cfg(feature = "onramper")))]
pub fn onramper(event: &impl Serialize, secret: &SecretString) -> Delivery {
    let body = json_bytes(event);
    Delivery::of(
        Provider::Onramper,
        ramp_onramper_sign::webhook::test_util::signed_webhook(&body, secret),
    )
}

/// A Transak webhook: `payload` (a [`WebhookEvent`](ramp_transak::WebhookEvent), or JSON
/// such as `{"eventID": "ORDER_COMPLETED", "webhookData": {…}}`) as the HS256 JWT in
/// `{"data": …}`, signed with `access_token` (the one the endpoint's client holds).
#[cfg(feature = "transak")]
#[cfg_attr(docsrs, doc(cfg(feature = "transak")))]
pub fn transak(payload: &impl Serialize, access_token: &SecretString) -> Delivery {
    let payload =
        serde_json::to_value(payload).expect("a test delivery's payload serializes as JSON");
    Delivery::of(
        Provider::Transak,
        ramp_transak::webhook::test_util::signed_webhook(&payload, access_token),
    )
}

/// A Proof delivery: `transaction` (a [`Transaction`](ramp_proof::Transaction) or any JSON),
/// unsigned, as Proof sends it. The endpoint reads the transaction from Proof, so a test
/// serves that read too (a `wiremock` server the Proof client points at).
#[cfg(feature = "proof")]
#[cfg_attr(docsrs, doc(cfg(feature = "proof")))]
pub fn proof(transaction: &impl Serialize) -> Delivery {
    Delivery::of(
        Provider::Proof,
        ramp_proof::webhook::test_util::unsigned_webhook(&json_bytes(transaction)),
    )
}
