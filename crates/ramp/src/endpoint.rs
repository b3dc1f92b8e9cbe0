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
//! Answers:
//! - 200 for a new event handled (`handled`), a duplicate (`duplicate`), or an event of an
//!   order that ended before it (`ended`: once a final status was handled, no event of that
//!   order is handled again, but for a final status that may follow it, refunded);
//! - 200 `gave up` for an event the handler gave up ([`HandlerError::give_up`]): recorded,
//!   never handed over again;
//! - 400 for a body that could not be read to its end, and, on Proof's route, for a body that
//!   is not Proof's transaction shape or names a blank transaction (logged at WARN);
//! - 401 for a missing or wrong signature (the cause is logged at WARN);
//! - 404 on Proof's route for a transaction Proof does not know (followed a while, with a
//!   tracker);
//! - 413 over the body limit (64 KiB by default);
//! - 500 when the handler fails, panics or runs past its limit (30 s by default), so that the
//!   provider delivers again;
//! - 500 for a genuine delivery whose order or status cannot be read: it is logged as an error
//!   naming the provider and the JSON path, and kept in the store (see
//!   [`Endpoint::redeliver`]). A genuine delivery whose order and status can be read is
//!   handled, with the fields that cannot be read absent from the event;
//! - 503 (with `Retry-After`) while another event of the same order is being handled, or when
//!   the store is down or full; on Transak's route while the client knows no access token
//!   (verifying never fetches one: the process that creates widget URLs shares its token
//!   store); on Proof's route when the read failed or lags behind the delivery.
//!
//! Every delivery is counted once, by provider and outcome (see [`crate::metrics`]).
//!
//! Proof's webhooks are unsigned: its route reads the transaction from Proof and emits what
//! the read says (a read newer than the push is handled and answered 200; a read older than
//! the push is handled and answered 503, so Proof pushes again). A read that fails is
//! answered 503 and a transaction Proof does not know is answered 404; with a tracker, the
//! order is followed in both cases (one Proof does not know, for a bounded time), so its end
//! is learnt when Proof stops pushing. Concurrent deliveries for one transaction share one
//! read.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::MethodRouter;
use ramp_core::webhook::Verify;

use crate::once::{Once, Outcome};
use crate::store::DedupStore;
use crate::{HandlerError, OrderEvent, Provider, StoreError, Unreadable};

#[cfg(feature = "proof")]
mod proof_reads;
#[cfg(feature = "proof")]
mod proof_route;
mod shared;

use shared::{Reader, Shared};

/// The body limit by default: 64 KiB.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// Makes a provider's route on the endpoint's shared state.
type RouteFn = Arc<dyn Fn(&Arc<Shared>) -> MethodRouter + Send + Sync>;

/// The endpoint's configuration: the store of handled events, the handler, and the providers
/// it has a route for. Build the router with [`router`](Self::router).
pub struct Endpoint {
    shared: Shared,
    body_limit: usize,
    /// Each provider's route, in the order added, and its path.
    routes: Vec<(Provider, RouteFn)>,
    paths: HashMap<Provider, String>,
}

impl Endpoint {
    /// An endpoint that records handled events in `store` and calls `handler` once per new
    /// event; no provider yet. The handler's error says whether the event is handled again
    /// (any error: answered 500) or given up ([`HandlerError::give_up`]: answered 200).
    pub fn new<H, F, E>(store: Arc<dyn DedupStore>, handler: H) -> Self
    where
        H: Fn(OrderEvent) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<HandlerError>,
    {
        Self::with(Once::new(store, handler))
    }

    /// An endpoint whose `handler` writes in the same Postgres transaction that records the
    /// event (feature `postgres`): the handler's writes and the record commit together or
    /// not at all, so each event's writes are made exactly once. See
    /// [`PgStore`](crate::postgres::PgStore).
    #[cfg(feature = "postgres")]
    pub fn transactional<H, E>(store: crate::postgres::PgStore, handler: H) -> Self
    where
        H: crate::postgres::TransactionHandler<E>,
        E: Into<HandlerError> + 'static,
    {
        Self::with(Once::in_transaction(
            store,
            crate::postgres::tx_handler(handler),
        ))
    }

    pub(crate) fn with(once: Once) -> Self {
        Self {
            shared: Shared::new(once),
            body_limit: DEFAULT_BODY_LIMIT,
            routes: Vec::new(),
            paths: HashMap::new(),
        }
    }

    /// Adds (or replaces) `provider`'s route.
    fn route(mut self, provider: Provider, route: RouteFn) -> Self {
        self.routes.retain(|(added, _)| *added != provider);
        self.routes.push((provider, route));
        self
    }

    /// A route for a provider of your own (named with [`Provider::other`]), or any provider
    /// whose crate gives a [`Verify`]er: each delivery verified by
    /// `verifier`, its event read by it and made an [`OrderEvent`] by `to_event`, then handled
    /// once like every other provider's. Its path is `/<provider's name>` unless
    /// [`path`](Self::path) says otherwise.
    ///
    /// ```no_run
    /// # fn run<V>(store: std::sync::Arc<ramp::MemoryStore>, verifier: V)
    /// # -> Result<(), ramp::ProviderNameError>
    /// # where V: ramp::Verify + Clone + Send + Sync + 'static {
    /// use ramp::endpoint::Endpoint;
    /// use ramp::{HandlerError, OrderEvent, Provider};
    ///
    /// let shop = Provider::other("acme-pay")?;
    /// let webhooks = Endpoint::new(store, |_: OrderEvent| async { Ok::<(), HandlerError>(()) })
    ///     // The order, its status and wallet from the event; set more fields as you read them.
    ///     .verified(shop, verifier, move |event| OrderEvent::new(shop, event))
    ///     .router(); // POST /acme-pay
    /// # let _ = webhooks; Ok(()) }
    /// ```
    pub fn verified<V, T>(mut self, provider: Provider, verifier: V, to_event: T) -> Self
    where
        V: Verify + Clone + Send + Sync + 'static,
        T: Fn(&V::Event) -> OrderEvent + Send + Sync + 'static,
    {
        self.shared
            .readers
            .insert(provider, shared::reader(verifier.clone(), to_event));
        self.route(
            provider,
            Arc::new(move |shared| shared::signed(shared, provider, verifier.clone())),
        )
    }

    /// Serves `provider`'s route at `path` (a `/`-prefixed path, relative to where the
    /// router is mounted) instead of `/<provider's name>`: Proof's route alone under a secret
    /// path, say.
    pub fn path(mut self, provider: Provider, path: impl Into<String>) -> Self {
        self.paths.insert(provider, path.into());
        self
    }

    /// The path `provider`'s route is served at (relative to where the router is mounted).
    pub fn path_of(&self, provider: Provider) -> String {
        self.paths
            .get(&provider)
            .cloned()
            .unwrap_or_else(|| format!("/{}", provider.as_str()))
    }

    /// The largest body read (default [`DEFAULT_BODY_LIMIT`]); a larger one is answered 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long the handler may run (default 30 s): past it, it is stopped and treated as
    /// failed (500, and a redelivery is handled).
    pub fn handler_limit(mut self, limit: Duration) -> Self {
        self.shared.once.set_limit(limit);
        self
    }

    /// `POST /transak`: verified with the tokens `client` knows (its token store, shared with
    /// the process that creates widget URLs); verifying never fetches a token.
    #[cfg(feature = "transak")]
    pub fn transak(mut self, client: ramp_transak::Client) -> Self {
        let reader: Reader = Arc::new(|document: &[u8]| {
            ramp_core::json::from_json_slice::<ramp_transak::WebhookEvent>(document)
                .map(|event| OrderEvent::from(&event))
                .map_err(ramp_core::webhook::WebhookError::malformed)
        });
        self.shared.readers.insert(Provider::Transak, reader);
        self.route(
            Provider::Transak,
            Arc::new(move |shared| shared::transak(shared, client.clone())),
        )
    }

    /// `POST /proof`: the delivery names a transaction; `client` reads it from Proof, and
    /// the read is the event, so a forged delivery can only make the endpoint read early.
    /// Proof signs nothing and advises an unguessable webhook URL: give its route a path only
    /// Proof is told ([`path`](Self::path)`(Provider::Proof, "/proof-<random>")`), or mount
    /// the router under one.
    #[cfg(feature = "proof")]
    pub fn proof(self, client: ramp_proof::Client) -> Self {
        self.route(
            Provider::Proof,
            Arc::new(move |shared| proof_route::proof(shared, client.clone())),
        )
    }

    /// `POST /koinal`: verified with `verifier`.
    #[cfg(feature = "koinal")]
    pub fn koinal(self, verifier: ramp_koinal::WebhookVerifier) -> Self {
        self.verified(Provider::Koinal, verifier, |event| OrderEvent::from(event))
    }

    /// `POST /onramper`: verified with `verifier`.
    #[cfg(feature = "onramper")]
    pub fn onramper(self, verifier: ramp_onramper_sign::WebhookVerifier) -> Self {
        self.verified(Provider::Onramper, verifier, |event| {
            OrderEvent::from(event)
        })
    }

    /// Hands every order the endpoint hears of to `tracker` (feature `track`), which reads it
    /// at once and then on its schedule: its end is learnt even when no later push comes. A
    /// final status handled ends the following. Build the tracker on the same store of
    /// handled events, so that an event both see is handled once.
    #[cfg(feature = "track")]
    pub fn tracker(mut self, tracker: Arc<crate::track::Tracker>) -> Self {
        self.shared.tracker = Some(tracker);
        self
    }

    /// The router: one `POST` route per configured provider, at `/<provider's name>` or the
    /// [`path`](Self::path) given, to mount under any prefix.
    pub fn router(&self) -> Router {
        let mut shared = self.shared.clone();
        shared.body_limit = self.body_limit;
        let shared = Arc::new(shared);
        let mut router = Router::new();
        for (provider, route) in &self.routes {
            router = router.route(&self.path_of(*provider), route(&shared));
        }
        // Each route reads its body up to the limit itself (and counts what it refused).
        router.layer(DefaultBodyLimit::disable())
    }

    /// The providers it has a route for, in the order added.
    pub fn providers(&self) -> Vec<Provider> {
        self.routes.iter().map(|(provider, _)| *provider).collect()
    }

    /// The genuine deliveries kept because they could not be read, oldest first.
    pub async fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError> {
        self.shared.once.store().unreadable().await
    }

    /// Hands a kept delivery back to the endpoint (once the cause is fixed: a newer version
    /// of this crate reads it): it is read again and, when it can be, handled once as if
    /// delivered now, and forgotten from the store once settled. It is not verified again:
    /// it was verified when it was kept.
    pub async fn redeliver(&self, delivery: &Unreadable) -> Result<Outcome, RedeliverError> {
        let reader = self
            .shared
            .readers
            .get(&delivery.provider)
            .ok_or(RedeliverError::NoRoute(delivery.provider))?;
        let event = shared::read(delivery.provider, reader, &delivery.document)
            .map_err(|err| RedeliverError::Unreadable(err.path, err.message))?;
        let outcome = self.shared.handle(event).await;
        if outcome.is_settled() {
            self.shared
                .once
                .store()
                .forget_unreadable(&delivery.id)
                .await?;
        }
        Ok(outcome)
    }
}

/// Why a kept delivery could not be handed back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedeliverError {
    /// The endpoint has no route for its provider.
    #[error("the endpoint has no route for {0}")]
    NoRoute(Provider),
    /// It still cannot be read: where, and why.
    #[error("still unreadable at `{0}`: {1}")]
    Unreadable(String, String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Readers by provider, for [`Endpoint::redeliver`].
pub(crate) type Readers = HashMap<Provider, Reader>;
