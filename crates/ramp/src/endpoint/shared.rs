//! What every route shares: reading a verified document, handling its event once (and
//! handing its order to the tracker, in the same task), keeping what cannot be read, and
//! the answers.

// Which of these a build uses depends on the provider features on.
#![allow(dead_code, unused_imports)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use ramp_core::json::JsonError;
use ramp_core::webhook::{Verify, WebhookError};

use super::Readers;
use crate::once::{Once, Outcome};
use crate::{OrderEvent, Provider, Unreadable};

/// Reads a provider's event from the document it signed.
pub(crate) type Reader =
    Arc<dyn Fn(&[u8]) -> Result<OrderEvent, WebhookError> + Send + Sync + 'static>;

/// The reader of `verifier`'s events, each made an [`OrderEvent`] by `to_event`.
pub(super) fn reader<V, T>(verifier: V, to_event: T) -> Reader
where
    V: Verify + Send + Sync + 'static,
    T: Fn(&V::Event) -> OrderEvent + Send + Sync + 'static,
{
    Arc::new(move |document: &[u8]| verifier.read_event(document).map(|event| to_event(&event)))
}

#[derive(Clone)]
pub(super) struct Shared {
    pub(super) once: Once,
    /// The largest body read.
    pub(super) body_limit: usize,
    pub(super) readers: Readers,
    #[cfg(feature = "track")]
    pub(super) tracker: Option<Arc<crate::track::Tracker>>,
    /// Proof reads under way, by transaction: concurrent deliveries share one.
    #[cfg(feature = "proof")]
    pub(super) proof_reads: Arc<super::proof_reads::ProofReads>,
    /// When this replica last followed orders only a hint named, newest last: at most
    /// `HINTED_FOLLOWS` within `HINTED_WINDOW`, so forged hints cannot grow the book
    /// without bound.
    #[cfg(feature = "proof")]
    pub(super) hinted: Arc<Mutex<std::collections::VecDeque<std::time::Instant>>>,
}

/// A route for a provider that signs its deliveries: verified by `verifier`, then read and
/// handled once.
pub(super) fn signed<V>(shared: &Arc<Shared>, provider: Provider, verifier: V) -> MethodRouter
where
    V: Verify + Send + Sync + 'static,
{
    let (shared, verifier) = (Arc::clone(shared), Arc::new(verifier));
    post(move |headers: HeaderMap, body: Body| {
        let (shared, verifier) = (Arc::clone(&shared), Arc::clone(&verifier));
        async move {
            let count = Counting::start(provider);
            let body = match shared.body(body).await {
                Ok(body) => body,
                Err(refused) => return count.done(refused),
            };
            let response = match verifier.verify_signed(&body, &headers) {
                Ok(document) => shared.accept(provider, &document).await,
                // Signed, but a signed part needed to check it is unreadable: genuine.
                Err(WebhookError::Malformed(err)) => shared.keep(provider, &body, *err).await,
                Err(why) => refuse(provider, &why),
            };
            count.done(response)
        }
    })
}

/// Transak's route: verified with the tokens the client knows.
#[cfg(feature = "transak")]
pub(super) fn transak(shared: &Arc<Shared>, client: ramp_transak::Client) -> MethodRouter {
    let shared = Arc::clone(shared);
    post(move |headers: HeaderMap, body: Body| {
        let (shared, client) = (Arc::clone(&shared), client.clone());
        async move {
            let count = Counting::start(Provider::Transak);
            let response = match shared.body(body).await {
                Ok(body) => transak_delivery(&shared, &client, &headers, &body).await,
                Err(refused) => refused,
            };
            count.done(response)
        }
    })
}

#[cfg(feature = "transak")]
async fn transak_delivery(
    shared: &Shared,
    client: &ramp_transak::Client,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    {
        {
            let verifier = match client.webhook_verifier().await {
                Ok(verifier) => verifier,
                Err(err) => {
                    tracing::error!(provider = "transak", %err, "a delivery could not be verified");
                    return match err.into_kind() {
                        ramp_transak::ErrorKind::Webhook(WebhookError::NoKey(what)) => {
                            try_again(what, "no_key")
                        }
                        // The token store failed: nothing was verified.
                        _ => try_again("the access token store is unavailable", "store_down"),
                    };
                }
            };
            match verifier.verify_signed(body, headers) {
                Ok(document) => shared.accept(Provider::Transak, &document).await,
                // The JWT's signature held, but a time claim or the payload is unreadable: its
                // payload is kept (what Transak signed, and what a redelivery reads).
                Err(WebhookError::Malformed(err)) => {
                    let payload = ramp_transak::webhook::unverified_payload(body);
                    let document = payload.as_deref().unwrap_or(body);
                    shared.keep(Provider::Transak, document, *err).await
                }
                Err(why) => refuse(Provider::Transak, &why),
            }
        }
    }
}

/// The event in `document`: read by the provider crate's reader, or, where that refuses it,
/// as much as can be read of it (its order and status at least).
pub(super) fn read(
    provider: Provider,
    reader: &Reader,
    document: &[u8],
) -> Result<OrderEvent, JsonError> {
    let refused = match reader(document) {
        Ok(event) => return Ok(event),
        Err(WebhookError::Malformed(err)) => *err,
        Err(other) => JsonError::at(".", other.to_string()),
    };
    let mut event = crate::salvage::salvage(provider, document)?;
    event.unread = Some(refused.path.clone());
    tracing::warn!(
        provider = provider.as_str(),
        path = refused.path,
        message = refused.message,
        order = event.order_id,
        status = event.provider_status,
        "a genuine delivery was read in part: handled with the fields that could be read"
    );
    Ok(event)
}

/// What a delivery came to, as counted (`ramp_webhook_deliveries_total`'s `outcome`).
#[derive(Clone, Copy)]
struct Counted(&'static str);

/// Counts one delivery once: under its answer's outcome, or `cut_off` when the request was
/// dropped before it was answered (the provider hung up; its event, if it got that far, is
/// still handled in a task of its own).
pub(super) struct Counting(Option<Provider>);

impl Counting {
    pub(super) fn start(provider: Provider) -> Self {
        Self(Some(provider))
    }

    /// `response`, counted under its outcome.
    pub(super) fn done(mut self, response: Response) -> Response {
        if let Some(provider) = self.0.take() {
            let outcome = response
                .extensions()
                .get::<Counted>()
                .map_or("other", |counted| counted.0);
            crate::metrics::delivery(provider, outcome);
        }
        response
    }
}

impl Drop for Counting {
    fn drop(&mut self) {
        if let Some(provider) = self.0.take() {
            crate::metrics::delivery(provider, "cut_off");
        }
    }
}

pub(super) fn answer(status: StatusCode, text: &str, outcome: &'static str) -> Response {
    let mut response = (status, text.to_owned()).into_response();
    response.extensions_mut().insert(Counted(outcome));
    response
}

pub(super) fn try_again(text: &str, outcome: &'static str) -> Response {
    let mut response = answer(StatusCode::SERVICE_UNAVAILABLE, text, outcome);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

/// A delivery refused before anything in it was trusted: logged with its cause.
fn refuse(provider: Provider, why: &WebhookError) -> Response {
    tracing::warn!(provider = provider.as_str(), %why, "a delivery was refused");
    match why {
        WebhookError::NoKey(what) => try_again(what, "no_key"),
        _ => answer(StatusCode::UNAUTHORIZED, "signature refused", "refused"),
    }
}

impl Shared {
    pub(super) fn new(once: Once) -> Self {
        Self {
            once,
            body_limit: super::DEFAULT_BODY_LIMIT,
            readers: HashMap::new(),
            #[cfg(feature = "track")]
            tracker: None,
            #[cfg(feature = "proof")]
            proof_reads: Arc::default(),
            #[cfg(feature = "proof")]
            hinted: Arc::default(),
        }
    }

    /// The delivery's body, read up to the limit: over it, 413; cut off, 400.
    pub(super) async fn body(&self, body: Body) -> Result<Bytes, Response> {
        let limit = self.body_limit;
        axum::body::to_bytes(body, limit).await.map_err(|err| {
            let too_large = std::error::Error::source(&err)
                .is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>());
            if too_large {
                answer(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &format!("the body is over {limit} bytes"),
                    "too_large",
                )
            } else {
                answer(
                    StatusCode::BAD_REQUEST,
                    "the body could not be read",
                    "unreadable_body",
                )
            }
        })
    }

    /// A verified document from `provider`: its event handled once, or, when not even its
    /// order can be read, the document kept.
    async fn accept(&self, provider: Provider, document: &[u8]) -> Response {
        let Some(reader) = self.readers.get(&provider) else {
            return answer(
                StatusCode::NOT_FOUND,
                "no route for this provider",
                "no_route",
            );
        };
        match read(provider, reader, document) {
            Ok(event) => self.respond(self.handle(event).await),
            Err(err) => self.keep(provider, document, err).await,
        }
    }

    /// A genuine delivery nobody can read yet: kept, and answered 500 so that the provider
    /// delivers it again (each redelivery is the same record).
    async fn keep(&self, provider: Provider, document: &[u8], err: JsonError) -> Response {
        let kept = Unreadable::new(provider, document, err.path, err.message);
        tracing::error!(
            provider = provider.as_str(),
            path = kept.path,
            message = kept.message,
            id = kept.id,
            "a genuine delivery could not be read: kept in the store (list it with \
             Endpoint::unreadable, hand it back with Endpoint::redeliver), answered 500"
        );
        match self.once.store().keep_unreadable(&kept).await {
            Ok(()) => answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("signed, but unreadable at `{}`: kept", kept.path),
                "unreadable_kept",
            ),
            Err(err) => {
                tracing::error!(provider = provider.as_str(), %err, "an unreadable delivery could not be kept");
                try_again("the store of handled events is unavailable", "store_down")
            }
        }
    }

    /// The event handled once; then, in the same task, its order followed by the tracker (or
    /// no longer followed, when it ended).
    pub(super) async fn handle(&self, event: OrderEvent) -> Outcome {
        #[cfg(feature = "track")]
        if let Some(tracker) = self.tracker.clone() {
            return self
                .once
                .handle_then(event, move |outcome, event| {
                    Box::pin(async move { follow_up(&tracker, outcome, &event).await })
                })
                .await;
        }
        self.once.handle(event).await
    }

    pub(super) fn respond(&self, outcome: Outcome) -> Response {
        match outcome {
            Outcome::Handled => answer(StatusCode::OK, "handled", "handled"),
            Outcome::Duplicate => answer(StatusCode::OK, "duplicate", "duplicate"),
            Outcome::Ended => answer(StatusCode::OK, "ended", "ended"),
            Outcome::InFlight => try_again("an event of this order is being handled", "in_flight"),
            Outcome::StoreDown => {
                try_again("the store of handled events is unavailable", "store_down")
            }
            Outcome::Failed => answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the handler failed",
                "failed",
            ),
            Outcome::GaveUp => answer(StatusCode::OK, "gave up", "gave_up"),
        }
    }
}

/// An ended order is no longer followed; any other is followed (and read at once), also when
/// its handler failed or the store was down, so that its end is learnt if the provider gives
/// up redelivering.
#[cfg(feature = "track")]
async fn follow_up(tracker: &crate::track::Tracker, outcome: Outcome, event: &OrderEvent) {
    let result = if outcome == Outcome::Ended || (event.is_terminal() && outcome.is_settled()) {
        tracker.close_event(event).await
    } else {
        tracker.follow_event(event).await
    };
    if let Err(err) = result {
        // The event is handled all the same; only the follow-up reads are lost.
        tracing::warn!(%err, "an order could not be followed");
    }
}
