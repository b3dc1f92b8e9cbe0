//! One webhook endpoint for every provider (feature `axum`): verify, normalize, handle once.
//!
//! ```no_run
//! # #[cfg(all(feature = "koinal", feature = "onramper"))]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use ramp::endpoint::Endpoint;
//! use ramp::{MemoryStore, OrderEvent};
//!
//! let koinal = ramp::koinal::WebhookVerifier::new(
//!     ramp::koinal::secret_from_env("KOINAL_CALLBACK_SECRET")?,
//!     ramp::koinal::CallbackScheme::default(),
//! )?;
//! let webhooks = Endpoint::new(Arc::new(MemoryStore::default()), |event: OrderEvent| async move {
//!     println!("{} {} is {}", event.provider, event.order_id, event.status);
//!     Ok::<(), std::io::Error>(()) // an error answers 500: the provider delivers again
//! })
//! .koinal(koinal)
//! .router();
//! let app = axum::Router::new().nest("/webhooks", webhooks);
//! # let _ = app; Ok(()) }
//! ```
//!
//! Answers: 200 for a new event handled or a duplicate; 401 for a missing or wrong signature;
//! 400 for a valid signature over an unreadable body; 413 over the body limit (64 KiB by
//! default); 503 (with `Retry-After`) while another delivery of the same event is being
//! handled, or when the store or a key is unavailable; 500 when the handler fails, so that
//! the provider delivers again. Proof's webhooks are unsigned: its route reads the
//! transaction from Proof and emits what the read says (404 for a transaction Proof does not
//! know, 502 when the read fails; neither emits anything).

use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;

// Which of these a build uses depends on the provider features on.
use axum::Router;
#[allow(unused_imports)]
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
#[allow(unused_imports)]
use axum::http::HeaderMap;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
#[allow(unused_imports)]
use axum::routing::post;

use crate::once::{Once, Outcome};
use crate::{DedupStore, OrderEvent};
#[allow(unused_imports)]
use ramp_core::webhook::{Verify, WebhookError};

/// The body limit by default: 64 KiB.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// The endpoint's configuration: the store of handled events, the handler, and the providers
/// it has a route for. Build the router with [`router`](Self::router).
pub struct Endpoint {
    once: Once,
    #[cfg(feature = "track")]
    tracker: Option<Arc<crate::track::Tracker>>,
    body_limit: usize,
    #[cfg(feature = "transak")]
    transak: Option<ramp_transak::Client>,
    #[cfg(feature = "proof")]
    proof: Option<ramp_proof::Client>,
    #[cfg(feature = "koinal")]
    koinal: Option<ramp_koinal::WebhookVerifier>,
    #[cfg(feature = "onramper")]
    onramper: Option<ramp_onramper_sign::WebhookVerifier>,
}

impl Endpoint {
    /// An endpoint that records handled events in `store` and calls `handler` once per new
    /// event; no provider yet.
    pub fn new<H, F, E>(store: Arc<dyn DedupStore>, handler: H) -> Self
    where
        H: Fn(OrderEvent) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Display,
    {
        Self {
            once: Once::new(store, handler),
            #[cfg(feature = "track")]
            tracker: None,
            body_limit: DEFAULT_BODY_LIMIT,
            #[cfg(feature = "transak")]
            transak: None,
            #[cfg(feature = "proof")]
            proof: None,
            #[cfg(feature = "koinal")]
            koinal: None,
            #[cfg(feature = "onramper")]
            onramper: None,
        }
    }

    /// The largest body read (default [`DEFAULT_BODY_LIMIT`]); a larger one is answered 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// `POST /transak`: verified with the tokens `client` knows (its token store, shared with
    /// the process that creates widget URLs); verifying never fetches a token.
    #[cfg(feature = "transak")]
    pub fn transak(mut self, client: ramp_transak::Client) -> Self {
        self.transak = Some(client);
        self
    }

    /// `POST /proof`: the delivery names a transaction; `client` reads it from Proof, and
    /// the read is the event, so a forged delivery can only make the endpoint read early.
    /// Proof signs nothing and advises an unguessable webhook URL: mount the router under a
    /// path of your own that only Proof is given (`Router::nest("/hooks/<random>", …)`).
    #[cfg(feature = "proof")]
    pub fn proof(mut self, client: ramp_proof::Client) -> Self {
        self.proof = Some(client);
        self
    }

    /// `POST /koinal`: verified with `verifier`.
    #[cfg(feature = "koinal")]
    pub fn koinal(mut self, verifier: ramp_koinal::WebhookVerifier) -> Self {
        self.koinal = Some(verifier);
        self
    }

    /// `POST /onramper`: verified with `verifier`.
    #[cfg(feature = "onramper")]
    pub fn onramper(mut self, verifier: ramp_onramper_sign::WebhookVerifier) -> Self {
        self.onramper = Some(verifier);
        self
    }

    /// Hands every order the endpoint hears of to `tracker` (feature `track`), which reads it
    /// at once and then on its schedule: its end is learnt even when no later push comes. A
    /// final status handled ends the following. Build the tracker on the same store of
    /// handled events, so that an event both see is handled once.
    #[cfg(feature = "track")]
    pub fn tracker(mut self, tracker: Arc<crate::track::Tracker>) -> Self {
        self.tracker = Some(tracker);
        self
    }

    /// The router: one `POST` route per configured provider, to mount under any prefix.
    pub fn router(self) -> Router {
        #[allow(unused_variables)] // no route when no provider feature is on
        let shared = Arc::new(Shared {
            once: self.once,
            #[cfg(feature = "track")]
            tracker: self.tracker,
        });
        #[allow(unused_mut)]
        let mut router = Router::new();
        #[cfg(feature = "koinal")]
        if let Some(verifier) = self.koinal {
            router = router.route("/koinal", verified(&shared, verifier));
        }
        #[cfg(feature = "onramper")]
        if let Some(verifier) = self.onramper {
            router = router.route("/onramper", verified(&shared, verifier));
        }
        #[cfg(feature = "transak")]
        if let Some(client) = self.transak {
            let shared = Arc::clone(&shared);
            router = router.route(
                "/transak",
                post(move |headers: HeaderMap, body: Bytes| {
                    let (shared, client) = (Arc::clone(&shared), client.clone());
                    async move { shared.transak(&client, &headers, &body).await }
                }),
            );
        }
        #[cfg(feature = "proof")]
        if let Some(client) = self.proof {
            let shared = Arc::clone(&shared);
            router = router.route(
                "/proof",
                post(move |body: Bytes| {
                    let (shared, client) = (Arc::clone(&shared), client.clone());
                    async move { shared.proof(&client, &body).await }
                }),
            );
        }
        router.layer(DefaultBodyLimit::max(self.body_limit))
    }
}

struct Shared {
    once: Once,
    #[cfg(feature = "track")]
    tracker: Option<Arc<crate::track::Tracker>>,
}

/// A route for a provider that signs its deliveries: verified by `verifier`, then handled once.
#[allow(dead_code)] // unused when no signing provider's feature is on
fn verified<V>(shared: &Arc<Shared>, verifier: V) -> axum::routing::MethodRouter
where
    V: Verify + Send + Sync + 'static,
    for<'a> OrderEvent: From<&'a V::Event>,
{
    let (shared, verifier) = (Arc::clone(shared), Arc::new(verifier));
    post(move |headers: HeaderMap, body: Bytes| {
        let (shared, verifier) = (Arc::clone(&shared), Arc::clone(&verifier));
        async move {
            let verified = verifier.verify(&body, &headers);
            shared.deliver(verified.map(|e| OrderEvent::from(&e))).await
        }
    })
}

fn answer(status: StatusCode, text: &str) -> Response {
    (status, text.to_owned()).into_response()
}

fn try_again(text: &str) -> Response {
    let mut response = answer(StatusCode::SERVICE_UNAVAILABLE, text);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

impl Shared {
    /// A verified event handled once, or the answer for a refused delivery.
    #[allow(dead_code)] // unused when only Proof (unsigned) is on
    async fn deliver(&self, verified: Result<OrderEvent, WebhookError>) -> Response {
        let event = match verified {
            Ok(event) => event,
            Err(WebhookError::Malformed(err)) => {
                return answer(
                    StatusCode::BAD_REQUEST,
                    &format!("signed, but unreadable at `{}`", err.path),
                );
            }
            Err(WebhookError::NoKey(what)) => return try_again(what),
            Err(_) => return answer(StatusCode::UNAUTHORIZED, "signature refused"),
        };
        self.once(event).await
    }

    /// The answer for what became of an event.
    async fn once(&self, event: OrderEvent) -> Response {
        #[cfg(feature = "track")]
        let outcome = {
            let outcome = self.once.handle(event.clone()).await;
            // A final status handled (now or before) ends the following; any other event,
            // handled or not (a failed handler, a store down), is followed and read at once,
            // so that the order's end is learnt if the provider gives up redelivering.
            let handled = matches!(outcome, Outcome::Handled | Outcome::Duplicate);
            let result = match &self.tracker {
                Some(tracker) if event.is_terminal() && handled => {
                    tracker.close_event(&event).await
                }
                Some(tracker) => tracker.follow_event(&event).await,
                None => Ok(()),
            };
            if let Err(err) = result {
                // The event is handled all the same; only the follow-up reads are lost.
                tracing::warn!(%err, "an order could not be followed");
            }
            outcome
        };
        #[cfg(not(feature = "track"))]
        let outcome = self.once.handle(event).await;
        match outcome {
            Outcome::Handled => answer(StatusCode::OK, "handled"),
            Outcome::Duplicate => answer(StatusCode::OK, "duplicate"),
            Outcome::InFlight => try_again("this event is being handled"),
            Outcome::StoreDown => try_again("the store of handled events is unavailable"),
            Outcome::Failed => answer(StatusCode::INTERNAL_SERVER_ERROR, "the handler failed"),
        }
    }

    #[cfg(feature = "transak")]
    async fn transak(
        &self,
        client: &ramp_transak::Client,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Response {
        match client.verify_webhook(body, headers).await {
            Ok(event) => self.deliver(Ok(OrderEvent::from(&event))).await,
            Err(err) => match err.into_kind() {
                ramp_transak::ErrorKind::Webhook(why) => self.deliver(Err(why)).await,
                // The token store failed: nothing was verified.
                _ => try_again("the access token store is unavailable"),
            },
        }
    }

    #[cfg(feature = "proof")]
    async fn proof(&self, client: &ramp_proof::Client, body: &[u8]) -> Response {
        let hint = match ramp_proof::webhook::parse(body) {
            Ok(hint) => hint,
            Err(_) => return answer(StatusCode::BAD_REQUEST, "not Proof's transaction shape"),
        };
        match client.confirm(&hint).await {
            Ok(tx) => {
                let lagging = tx.status != *hint.claimed_status();
                let answered = self.once(OrderEvent::from(&tx)).await;
                if lagging && answered.status() == StatusCode::OK {
                    // Proof's read has not caught up with what it pushed: ask for the push
                    // again, so the newer status is read (and emitted) later.
                    return try_again("Proof's status read lags behind this delivery");
                }
                answered
            }
            Err(err) if matches!(err.kind(), ramp_proof::ErrorKind::Validation { .. }) => {
                answer(StatusCode::BAD_REQUEST, "not a transaction id")
            }
            Err(err) if err.status() == Some(StatusCode::NOT_FOUND) => {
                answer(StatusCode::NOT_FOUND, "Proof knows no such transaction")
            }
            Err(_) => answer(StatusCode::BAD_GATEWAY, "the status read from Proof failed"),
        }
    }
}
