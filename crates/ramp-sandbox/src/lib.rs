//! Local emulators of every provider API the `ramp` crates speak, on one loopback server.
//!
//! The sandbox checks what the providers check: Kryptonim's `X-Request-Signature` recomputed
//! over the raw body, Proof's Bearer token and Origin allowlist, Transak's access token (a
//! refresh invalidates the previous one, widget URLs are single-use), Koinal's `Hash` header
//! decoded and verified and its quote tokens binding orders, and Onramper's signed widget
//! URLs (V2 with a registered test public key, single-use nonces and Onramper's error codes,
//! or V1) and V2-signed API calls. Invalid input gets the provider's documented error shape, never a panic. Signatures
//! are recomputed with `ramp-core`'s primitives, not with the SDK crates under test (the
//! Onramper check uses `ramp-onramper-sign`'s verifier, which is the algorithm itself).
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let sandbox = ramp_sandbox::Sandbox::start().await?;
//! println!("Kryptonim at {}", sandbox.kryptonim_url());
//! // Point an SDK client at it with the test credentials in `ramp_sandbox::credentials`.
//! # Ok(())
//! # }
//! ```
//!
//! State lives in memory and is bounded ([`MAX_ENTRIES`] per kind, oldest evicted first), so
//! a long run does not grow.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod koinal;
mod kryptonim;
mod onramper;
mod onramper_checkout;
mod proof;
mod proof_live;
mod reply;
mod state;
mod transak;
mod transak_orders;
mod trigger;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use state::MAX_ENTRIES;
pub use trigger::{Delivery, Trigger};

/// A failure the sandbox can be told to produce, for resilience tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Answer with this status and a proxy's HTML page instead of the provider's answer.
    Status(u16),
    /// Wait this long before handling the request normally.
    Slow(std::time::Duration),
}

/// The sandbox's test credentials: public, for local use only.
pub mod credentials {
    /// Kryptonim `X-API-Key`.
    pub const KRYPTONIM_API_KEY: &str = "sandbox-kryptonim-api-key";
    /// Kryptonim signature secret.
    pub const KRYPTONIM_SIGNATURE_SECRET: &str = "sandbox-kryptonim-signature-secret";
    /// Proof client token (`Authorization: Bearer …`).
    pub const PROOF_CLIENT_TOKEN: &str = "sandbox-proof-client-token";
    /// The Origin Proof's sandbox allows.
    pub const PROOF_ORIGIN: &str = "https://app.example.com";
    /// Transak API key.
    pub const TRANSAK_API_KEY: &str = "sandbox-transak-api-key";
    /// Transak API secret.
    pub const TRANSAK_API_SECRET: &str = "sandbox-transak-api-secret";
    /// Koinal merchant code.
    pub const KOINAL_MERCHANT_CODE: u64 = 1000;
    /// Koinal merchant secret (the `Hash` header).
    pub const KOINAL_SECRET: &str = "sandbox-koinal-secret";
    /// Koinal callback secret.
    pub const KOINAL_CALLBACK_SECRET: &str = "sandbox-koinal-callback-secret";
    /// Onramper API key (`apiKey`).
    pub const ONRAMPER_API_KEY: &str = "pk_test_sandbox";
    /// Onramper URL-signing secret (V1).
    pub const ONRAMPER_SIGNING_SECRET: &str = "sandbox-onramper-signing-secret";
    /// The partner's Signature V2 private key (PKCS#8 PEM): RFC 8032's test key 2, public.
    pub const ONRAMPER_V2_PRIVATE_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7
-----END PRIVATE KEY-----
";
    /// The public key registered with the sandbox for V2 (hex).
    pub const ONRAMPER_V2_PUBLIC_KEY_HEX: &str =
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    /// Onramper webhook secret (`X-Onramper-Webhook-Signature`).
    pub const ONRAMPER_WEBHOOK_SECRET: &str = "sandbox-onramper-webhook-secret";
}

/// Shared state of all emulators.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) state: Arc<Mutex<state::State>>,
    pub(crate) base: Arc<str>,
    /// Onramper V2 nonces seen: each signature is single use.
    pub(crate) nonces: Arc<ramp_onramper_sign::v2::NonceCache>,
    /// Onramper Checkout V2 nonces, checked by the sandbox's own V2 verifier.
    pub(crate) checkout_nonces: Arc<onramper_checkout::Nonces>,
    /// Proof's `tx.update` messages, to every open WebSocket.
    pub(crate) proof_updates: tokio::sync::broadcast::Sender<serde_json::Value>,
}

/// `GET /_sandbox/stats`: `{"transak_token_refreshes": N, "entries": M}`, for load runs that
/// drive the sandbox from other processes.
async fn stats(axum::extract::State(app): axum::extract::State<App>) -> axum::response::Response {
    let (refreshes, entries) = app
        .state
        .lock()
        .map(|s| (s.transak_refreshes, s.len()))
        .unwrap_or((0, 0));
    reply::json(
        200,
        serde_json::json!({"transak_token_refreshes": refreshes, "entries": entries}),
    )
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    app: App,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts on a free loopback port.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts on `addr`.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app = App {
            state: Arc::new(Mutex::new(state::State::default())),
            base: format!("http://{addr}").into(),
            nonces: Arc::default(),
            checkout_nonces: Arc::default(),
            proof_updates: tokio::sync::broadcast::channel(256).0,
        };
        let router: Router<App> = Router::new()
            .nest("/kryptonim", kryptonim::routes())
            .nest("/proof", proof::routes())
            .nest("/transak", transak::routes())
            .nest("/koinal", koinal::routes());
        let router = onramper::routes(router)
            .layer(axum::middleware::from_fn_with_state(app.clone(), inject))
            // The control endpoint is outside the failure injection.
            .route("/_sandbox/trigger", axum::routing::post(trigger::control))
            .route("/_sandbox/stats", axum::routing::get(stats))
            .with_state(app.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(err) = serve.await {
                eprintln!("ramp-sandbox: server error: {err}");
            }
        });
        Ok(Self {
            addr,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.app.base)
    }

    /// Kryptonim's base URL.
    pub fn kryptonim_url(&self) -> String {
        self.url("kryptonim/")
    }

    /// Proof's base URL.
    pub fn proof_url(&self) -> String {
        self.url("proof/")
    }

    /// Transak's API host (tokens, orders).
    pub fn transak_api_url(&self) -> String {
        self.url("transak/api/")
    }

    /// Transak's gateway host (widget URLs).
    pub fn transak_gateway_url(&self) -> String {
        self.url("transak/gateway/")
    }

    /// Koinal's base URL.
    pub fn koinal_url(&self) -> String {
        self.url("koinal/")
    }

    /// Onramper's widget host: load signed widget URLs from here.
    pub fn onramper_url(&self) -> String {
        self.url("onramper/")
    }

    /// Onramper's API host: V2-signed calls such as `POST checkout/intent`.
    pub fn onramper_api_url(&self) -> String {
        self.url("onramper/api/")
    }

    /// A Koinal callback for an order the sandbox knows, as Koinal would send it: the raw body
    /// and its `Signature` header (HMAC-SHA256 keyed with the callback secret over body +
    /// secret). The order completes: its status read says `COMPLETED` from now on, with the
    /// callback's `blockchain_tx_id`. `None` for an unknown order.
    pub fn koinal_callback(&self, order_id: &str) -> Option<(Vec<u8>, String)> {
        koinal::callback(&self.app, order_id)
    }

    /// Delivers an event to your endpoint at `target`, like `stripe trigger`.
    pub async fn trigger(&self, trigger: Trigger, target: &str) -> Result<Delivery, String> {
        trigger::deliver(&self.app, &trigger, target).await
    }

    /// Makes the change `trigger` would report (a Proof transaction advanced, a Transak order
    /// moved, a Koinal order completed) and delivers nothing: a push the provider never sent,
    /// for a tracker to make up with a status read. (Onramper has no status read: a withheld
    /// Onramper webhook is lost, as it would be.)
    pub fn withhold(&self, trigger: Trigger) -> Result<(), String> {
        trigger::withhold(&self.app, &trigger)
    }

    /// Makes the next `count` requests (to any provider) fail with `failure`.
    ///
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// use ramp_sandbox::{Failure, Sandbox};
    ///
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next(1, Failure::Status(502)); // the next call gets a proxy's 502 page
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next(&self, count: usize, failure: Failure) {
        if let Ok(mut state) = self.app.state.lock() {
            state.failures.extend(std::iter::repeat_n(failure, count));
        }
    }

    /// How many Transak access tokens have been issued (each one invalidated the one before).
    pub fn transak_token_refreshes(&self) -> u64 {
        self.app
            .state
            .lock()
            .map(|s| s.transak_refreshes)
            .unwrap_or(0)
    }

    /// How many entries the sandbox holds now, across all kinds (for load tests).
    pub fn entries(&self) -> usize {
        self.app.state.lock().map(|s| s.len()).unwrap_or(0)
    }

    /// Serves until the process is stopped (for the `ramp sandbox` command).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Applies the next injected failure, if any, before the emulator sees the request.
async fn inject(
    axum::extract::State(app): axum::extract::State<App>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let failure = app
        .state
        .lock()
        .ok()
        .and_then(|mut s| s.failures.pop_front());
    match failure {
        Some(Failure::Status(status)) => {
            use axum::response::IntoResponse;
            let status = axum::http::StatusCode::from_u16(status)
                .unwrap_or(axum::http::StatusCode::BAD_GATEWAY);
            (
                status,
                [(axum::http::header::CONTENT_TYPE, "text/html")],
                format!("<html><body><h1>{status}</h1><p>ramp-sandbox injected failure</p></body></html>"),
            )
                .into_response()
        }
        Some(Failure::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        None => next.run(request).await,
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
