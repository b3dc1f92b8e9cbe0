//! One builder for the whole backend: the store and the handler given once, the webhook
//! router and the tracker made from them, and the tracker run on the runtime until shutdown.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::endpoint::Endpoint;
use crate::once::Once;
use crate::store::Store;
use crate::track::{OrderBook, OrderRef, Schedule, StatusRead, TrackError, Tracker};
use crate::{HandlerError, OrderEvent, Provider};

/// The webhook endpoint and the tracker of one backend, sharing one store and one handler:
/// every provider's pushes verified and handled once, and every order they name followed by
/// reading its status until it ends, so that a push that never comes is made up by a read.
///
/// ```no_run
/// # #[cfg(all(feature = "koinal", feature = "redis"))]
/// # async fn run(koinal: ramp::koinal::WebhookVerifier, koinal_api: ramp::koinal::Client)
/// # -> Result<(), Box<dyn std::error::Error>> {
/// use ramp::{HandlerError, OrderEvent, Ramp, RedisStore};
///
/// async fn handle(event: OrderEvent) -> Result<(), HandlerError> {
///     println!("{} {} is {}", event.provider, event.order_id, event.status);
///     Ok(())
/// }
///
/// let store = RedisStore::connect("redis://127.0.0.1:6379", std::time::Duration::from_secs(5)).await?;
/// let ramp = Ramp::builder(store, handle).koinal(koinal, koinal_api).start();
/// let app = axum::Router::new().nest("/webhooks", ramp.router());
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
/// axum::serve(listener, app)
///     .with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; })
///     .await?;
/// ramp.shutdown().await; // the tracker ends its current round, then stops
/// # Ok(()) }
/// ```
pub struct Ramp {
    endpoint: Endpoint,
    tracker: Arc<Tracker>,
    stop: watch::Sender<bool>,
    running: JoinHandle<()>,
}

/// Builds a [`Ramp`]: the providers, then [`start`](Self::start).
pub struct RampBuilder {
    endpoint: Endpoint,
    tracker: Tracker,
}

impl Ramp {
    /// A backend keeping handled events and followed orders in `store` (a
    /// [`MemoryStore`](crate::MemoryStore), `RedisStore`, `postgres::PgStore`, or a
    /// [`Store`] of your own) and calling `handler` once per new event, whether a push or a
    /// status read brought it. The handler's error says whether the event is handled again
    /// (any error) or given up ([`HandlerError::give_up`]).
    pub fn builder<S, H, F, E>(store: S, handler: H) -> RampBuilder
    where
        S: Store,
        H: Fn(OrderEvent) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<HandlerError>,
    {
        let (events, orders) = store.into_parts();
        RampBuilder::with(orders, Once::new(events, handler))
    }

    /// A backend whose `handler` writes in the Postgres transaction that records each event
    /// (feature `postgres`): its writes and the record commit together, exactly once. See
    /// [`Endpoint::transactional`].
    #[cfg(feature = "postgres")]
    #[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
    pub fn transactional<H, E>(store: crate::postgres::PgStore, handler: H) -> RampBuilder
    where
        H: crate::postgres::TransactionHandler<E>,
        E: Into<HandlerError> + 'static,
    {
        let book = Arc::new(crate::postgres::PgBook::new(&store));
        RampBuilder::with(
            book,
            Once::in_transaction(store, crate::postgres::tx_handler(handler)),
        )
    }

    /// The webhook router: `POST /<provider>` for each provider (or the path given to
    /// [`RampBuilder::path`]), to mount under a prefix of yours.
    pub fn router(&self) -> Router {
        self.endpoint.router()
    }

    /// The endpoint, for its kept unreadable deliveries
    /// ([`Endpoint::unreadable`], [`Endpoint::redeliver`]).
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The tracker: [`Tracker::forget`], [`Tracker::open_orders`], ...
    pub fn tracker(&self) -> &Arc<Tracker> {
        &self.tracker
    }

    /// Follows `order` (one you just created, before any push about it) until it ends;
    /// `false` when it is followed already.
    pub async fn follow(&self, order: OrderRef) -> Result<bool, TrackError> {
        self.tracker.follow(order).await
    }

    /// Stops the tracker once the batch of reads under way is done (no order is left taken),
    /// and waits for that.
    /// The router keeps answering deliveries (stop the server first: see the example).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(err) = self.running.await
            && err.is_panic()
        {
            tracing::error!("the tracker panicked");
        }
    }
}

impl std::fmt::Debug for Ramp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ramp")
            .field("providers", &self.endpoint.providers())
            .field("tracker", &self.tracker)
            .finish_non_exhaustive()
    }
}

impl RampBuilder {
    fn with(orders: Arc<dyn OrderBook>, once: Once) -> Self {
        Self {
            endpoint: Endpoint::with(once.clone()),
            tracker: Tracker::with(orders, once),
        }
    }

    /// Transak: its webhooks verified with the tokens `client` knows, its orders read with
    /// it (and the webhooks it sent, when one was missed).
    #[cfg(feature = "transak")]
    #[cfg_attr(docsrs, doc(cfg(feature = "transak")))]
    pub fn transak(mut self, client: ramp_transak::Client) -> Self {
        self.endpoint = self.endpoint.transak(client.clone());
        self.tracker = self.tracker.transak(client);
        self
    }

    /// Proof: each delivery names a transaction, read from Proof with `client` (the read is
    /// the event), and followed with it. Proof signs nothing: give its route a path only
    /// Proof is told ([`path`](Self::path)).
    #[cfg(feature = "proof")]
    #[cfg_attr(docsrs, doc(cfg(feature = "proof")))]
    pub fn proof(mut self, client: ramp_proof::Client) -> Self {
        self.endpoint = self.endpoint.proof(client.clone());
        self.tracker = self.tracker.proof(client);
        self
    }

    /// Koinal: its callbacks verified with `verifier`, its orders read with `client` (with
    /// the customer reference each was made for: its `partner_reference`).
    #[cfg(feature = "koinal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "koinal")))]
    pub fn koinal(
        mut self,
        verifier: ramp_koinal::WebhookVerifier,
        client: ramp_koinal::Client,
    ) -> Self {
        self.endpoint = self.endpoint.koinal(verifier);
        self.tracker = self.tracker.koinal(client);
        self
    }

    /// Onramper: its webhooks verified with `verifier`. Onramper publishes no status read,
    /// so its orders are learnt from webhooks only.
    #[cfg(feature = "onramper")]
    #[cfg_attr(docsrs, doc(cfg(feature = "onramper")))]
    pub fn onramper(mut self, verifier: ramp_onramper_sign::WebhookVerifier) -> Self {
        self.endpoint = self.endpoint.onramper(verifier);
        self
    }

    /// A provider of your own ([`Provider::other`]): its deliveries verified by `verifier`
    /// and made events by `to_event` (see [`Endpoint::verified`]) and, when it has one, its
    /// orders read by `read`.
    pub fn verified<V, T>(
        mut self,
        provider: Provider,
        verifier: V,
        to_event: T,
        read: Option<Arc<dyn StatusRead>>,
    ) -> Self
    where
        V: ramp_core::webhook::Verify + Clone + Send + Sync + 'static,
        T: Fn(&V::Event) -> OrderEvent + Send + Sync + 'static,
    {
        self.endpoint = self.endpoint.verified(provider, verifier, to_event);
        if let Some(read) = read {
            self.tracker = self.tracker.source(provider, read);
        }
        self
    }

    /// Serves `provider`'s route at `path` instead of `/<provider>` (see
    /// [`Endpoint::path`]).
    pub fn path(mut self, provider: Provider, path: impl Into<String>) -> Self {
        self.endpoint = self.endpoint.path(provider, path);
        self
    }

    /// The largest body read (default 64 KiB).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.endpoint = self.endpoint.body_limit(bytes);
        self
    }

    /// How long the handler may run (default 30 s), for pushes and reads alike.
    pub fn handler_limit(mut self, limit: Duration) -> Self {
        self.endpoint = self.endpoint.handler_limit(limit);
        self.tracker = self.tracker.handler_limit(limit);
        self
    }

    /// The reading schedule of each followed order (default [`Schedule::default`]: 5 s,
    /// doubling to 5 min).
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.tracker = self.tracker.schedule(schedule);
        self
    }

    /// How long an order is followed at most (default 30 days).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.tracker = self.tracker.max_age(max_age);
        self
    }

    /// How often the tracker looks for due orders when nothing wakes it (default 1 s).
    pub fn poll(mut self, every: Duration) -> Self {
        self.tracker = self.tracker.poll(every);
        self
    }

    /// Starts the tracker on the current tokio runtime (call it inside one) and gives the
    /// backend: its router, its tracker, and [`Ramp::shutdown`]. The tracker runs until
    /// then, whatever becomes of the returned value's router.
    pub fn start(self) -> Ramp {
        let tracker = Arc::new(self.tracker);
        let endpoint = self.endpoint.tracker(Arc::clone(&tracker));
        let (stop, mut stopped) = watch::channel(false);
        let running = tokio::spawn({
            let tracker = Arc::clone(&tracker);
            async move {
                tracker
                    .run_until(async move {
                        // Only `shutdown` stops it: a `Ramp` dropped without it (its router
                        // kept) leaves the tracker running, as the endpoint still feeds it.
                        if stopped.wait_for(|stop| *stop).await.is_err() {
                            std::future::pending::<()>().await;
                        }
                    })
                    .await;
            }
        });
        Ramp {
            endpoint,
            tracker,
            stop,
            running,
        }
    }
}
