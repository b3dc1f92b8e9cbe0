//! Live status of one transaction: Proof's WebSocket (`wss://DOMAIN/ws?tx_id=...`,
//! docs.proof.community/on-off-ramp/api-websocket), with status reads while it is down.
//!
//! [`Client::watch`] connects with the client token in the upgrade's `Authorization` header
//! (never in the URL), reads the status once the subscription is up (so a change made before
//! it is not missed), and yields each `tx.update`. When the connection drops it reconnects with
//! capped, jittered exponential backoff and, until it is back, reads
//! `GET /widget/transactions/{id}` every 5 to 10 seconds, as Proof advises. It never yields
//! the same status twice in a row, never moves back from `processing` to `pending`, and ends
//! after a final status (`completed`, `failed`, `cancelled`).

use std::time::Duration;

use futures_util::{Stream, StreamExt};
use ramp_core::ExposeSecret;
use ramp_core::http::{RetryPolicy, StatusCode, is_retryable_status};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::{Client, Error, Transaction, TransactionStatus, TransactionType};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How [`Client::watch`] reconnects and polls. The defaults follow Proof's advice.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    reconnect: RetryPolicy,
    poll_min: Duration,
    poll_max: Duration,
    connect_timeout: Duration,
    max_message_bytes: usize,
}

impl Default for WatchOptions {
    /// Reconnects after 0.5 s, doubling up to 30 s, with full jitter; polls every 5 to 10 s
    /// while disconnected; 10 s to connect; messages up to 64 KiB.
    fn default() -> Self {
        Self {
            reconnect: RetryPolicy::default()
                .with_base_delay(Duration::from_millis(500))
                .with_max_delay(Duration::from_secs(30)),
            poll_min: Duration::from_secs(5),
            poll_max: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            max_message_bytes: 64 * 1024,
        }
    }
}

impl WatchOptions {
    /// The backoff between reconnection attempts (its attempt count is not used: reconnection
    /// goes on until a final status, or until the stream is dropped).
    pub fn reconnect(mut self, backoff: RetryPolicy) -> Self {
        self.reconnect = backoff;
        self
    }

    /// Status reads while disconnected, every `min` to `max` (a random wait in between).
    /// A zero `min`, or `min` above `max`, is refused when the watch starts.
    pub fn poll_every(mut self, min: Duration, max: Duration) -> Self {
        self.poll_min = min;
        self.poll_max = max;
        self
    }

    /// How long one connection attempt may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
}

/// Where an update came from (`websocket` or `status_read` when serialized).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UpdateSource {
    /// A `tx.update` message of the WebSocket.
    WebSocket,
    /// A status read (`GET /widget/transactions/{id}`).
    StatusRead,
}

/// A transaction's new status, from a `tx.update` message or a status read. Amounts are
/// exact; an empty amount (before processing) is `None`. It serializes with Proof's field
/// names, amounts as strings, absent fields left out, and `source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LiveUpdate {
    /// The transaction.
    pub merchant_transaction_id: String,
    /// `buy` or `sell`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<TransactionType>,
    /// The new status.
    pub status: TransactionStatus,
    /// The payment method, when Proof knows it (WebSocket only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// The crypto currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The fiat currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat_currency: Option<String>,
    /// The fiat amount.
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option",
        serialize_with = "text_amount",
        skip_serializing_if = "Option::is_none"
    )]
    pub fiat_amount: Option<Decimal>,
    /// The crypto amount (empty before processing).
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option",
        serialize_with = "text_amount",
        skip_serializing_if = "Option::is_none"
    )]
    pub crypto_amount: Option<Decimal>,
    /// When the status changed, as Proof writes it (`occurred_at`; `updated_at` of a read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
    /// Where this update came from.
    #[serde(skip_deserializing, default = "websocket")]
    pub source: UpdateSource,
}

/// An amount as Proof writes it: a string, every digit kept.
fn text_amount<S: serde::Serializer>(
    amount: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match amount {
        Some(amount) => ramp_core::decimal::serialize_string(amount, serializer),
        None => serializer.serialize_none(),
    }
}

fn websocket() -> UpdateSource {
    UpdateSource::WebSocket
}

impl From<Transaction> for LiveUpdate {
    fn from(tx: Transaction) -> Self {
        Self {
            merchant_transaction_id: tx.merchant_transaction_id,
            transaction_type: tx.transaction_type,
            status: tx.status,
            payment_method: None,
            currency: tx.currency,
            fiat_currency: tx.fiat_currency,
            fiat_amount: tx.fiat_amount,
            crypto_amount: tx.crypto_amount,
            occurred_at: tx.updated_at,
            source: UpdateSource::StatusRead,
        }
    }
}

/// A message's `event`, read before the rest.
#[derive(Deserialize)]
struct Event {
    event: String,
}

impl Client {
    /// The live status of a transaction, as a stream of [`LiveUpdate`]s that ends after a
    /// final status, with [`WatchOptions::default`]. See the [module docs](crate::live).
    ///
    /// An error ends the stream after it is yielded: a refused upgrade or status read (401
    /// `unauthorised`, 403 `forbidden`, 404 for a transaction Proof does not know) or a blank
    /// id. Dropped connections, timeouts and 5xx answers are not errors: the stream
    /// reconnects and polls until the transaction ends, so bound it with a timeout of your own
    /// if you need one.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: ramp_proof::Client) -> Result<(), ramp_proof::Error> {
    /// let mut updates = std::pin::pin!(client.watch("550e8400-e29b-41d4-a716-446655440000"));
    /// while let Some(update) = updates.try_next().await? {
    ///     println!("{}", update.status); // pending, processing, then a final status
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn watch(
        &self,
        merchant_transaction_id: &str,
    ) -> impl Stream<Item = Result<LiveUpdate, Error>> + Send + 'static {
        self.watch_with(merchant_transaction_id, WatchOptions::default())
    }

    /// [`watch`](Self::watch) with other reconnection and polling settings.
    pub fn watch_with(
        &self,
        merchant_transaction_id: &str,
        options: WatchOptions,
    ) -> impl Stream<Item = Result<LiveUpdate, Error>> + Send + 'static {
        let watch = Watch {
            client: self.clone(),
            id: merchant_transaction_id.to_owned(),
            options,
            socket: None,
            last: None,
            failures: 0,
            next_connect: Instant::now(),
            next_poll: None,
            read_now: false,
            done: false,
        };
        futures_util::stream::unfold(watch, |mut watch| async move {
            let item = watch.next().await?;
            Some((item, watch))
        })
    }
}

/// The state of one watch.
struct Watch {
    client: Client,
    id: String,
    options: WatchOptions,
    socket: Option<Socket>,
    /// The status last yielded.
    last: Option<TransactionStatus>,
    /// Connections lost or refused in a row.
    failures: u32,
    next_connect: Instant,
    /// When to read the status next, while disconnected.
    next_poll: Option<Instant>,
    /// Read the status at once (after a connection is up).
    read_now: bool,
    done: bool,
}

impl Watch {
    async fn next(&mut self) -> Option<Result<LiveUpdate, Error>> {
        if self.done {
            return None;
        }
        if let Err(err) = self.check() {
            return Some(self.fail(err));
        }
        loop {
            if self.read_now {
                self.read_now = false;
                match self.read().await {
                    Ok(Some(update)) => return Some(Ok(update)),
                    Ok(None) => {}
                    Err(err) => return Some(self.fail(err)),
                }
            }
            if let Some(socket) = self.socket.as_mut() {
                match socket.next().await {
                    Some(Ok(Message::Text(text))) => {
                        self.failures = 0;
                        if let Some(update) = self.message(text.as_str()) {
                            return Some(Ok(update));
                        }
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => self.disconnected(),
                    // Pings are answered by tungstenite; nothing else is documented.
                    Some(Ok(_)) => {}
                }
                continue;
            }
            let now = Instant::now();
            if self.next_poll.is_some_and(|at| at <= now) {
                self.next_poll = Some(now + self.poll_wait());
                match self.read().await {
                    Ok(Some(update)) => return Some(Ok(update)),
                    Ok(None) => continue,
                    Err(err) => return Some(self.fail(err)),
                }
            }
            if self.next_connect <= now {
                match self.connect().await {
                    Ok(socket) => {
                        self.socket = Some(socket);
                        self.next_poll = None;
                        self.read_now = true;
                    }
                    Err(Some(err)) => return Some(self.fail(err)),
                    Err(None) => self.disconnected(),
                }
                continue;
            }
            let wake = self
                .next_poll
                .map_or(self.next_connect, |poll| poll.min(self.next_connect));
            tokio::time::sleep_until(wake).await;
        }
    }

    fn check(&self) -> Result<(), Error> {
        if self.id.trim().is_empty() {
            return Err(Error::validation(
                "merchant_transaction_id",
                "must not be empty",
            ));
        }
        let (min, max) = (self.options.poll_min, self.options.poll_max);
        if min.is_zero() || min > max {
            return Err(Error::validation(
                "poll_every",
                format!("needs 0 < min <= max, got {min:?} and {max:?}"),
            ));
        }
        Ok(())
    }

    fn fail(&mut self, err: Error) -> Result<LiveUpdate, Error> {
        self.done = true;
        self.socket = None;
        Err(err)
    }

    /// The connection is gone (or could not be made): back off, and poll meanwhile.
    fn disconnected(&mut self) {
        self.socket = None;
        self.failures = self.failures.saturating_add(1);
        let now = Instant::now();
        self.next_connect = now + self.options.reconnect.delay(self.failures, None);
        self.next_poll.get_or_insert(now);
    }

    fn poll_wait(&self) -> Duration {
        let (min, max) = (self.options.poll_min, self.options.poll_max);
        let span = u64::try_from((max - min).as_millis()).unwrap_or(u64::MAX);
        min + Duration::from_millis(fastrand::u64(0..=span))
    }

    /// A status read: the update if the status is new; an error that ends the watch only when
    /// waiting cannot help (a refused token, an unknown transaction, a body that does not
    /// decode).
    async fn read(&mut self) -> Result<Option<LiveUpdate>, Error> {
        match self.client.transaction(&self.id).await {
            Ok(tx) => Ok(self.offer(LiveUpdate::from(tx))),
            Err(err) if err.is_retryable() => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// A text message: a `tx.update` for this transaction with a new status, or nothing.
    /// A message that does not decode is skipped, as an event of another kind is.
    fn message(&mut self, text: &str) -> Option<LiveUpdate> {
        let event: Event = serde_json::from_str(text).ok()?;
        if event.event != "tx.update" {
            return None;
        }
        let update: LiveUpdate = serde_json::from_str(text).ok()?;
        if update.merchant_transaction_id != self.id {
            return None;
        }
        self.offer(update)
    }

    /// `update` if its status is new and not a step back; a final status ends the watch.
    fn offer(&mut self, update: LiveUpdate) -> Option<LiveUpdate> {
        if let Some(last) = &self.last
            && (*last == update.status || rank(&update.status) < rank(last))
        {
            return None;
        }
        self.last = Some(update.status.clone());
        if update.status.is_terminal() {
            self.done = true;
            self.socket = None;
        }
        Some(update)
    }

    /// Opens the WebSocket. `Err(None)` for a failure worth retrying, `Err(Some(_))` for one
    /// that is not (the upgrade refused with 4xx other than 408 and 429).
    async fn connect(&self) -> Result<Socket, Option<Error>> {
        let request = self.upgrade_request().map_err(Some)?;
        let config = WebSocketConfig::default()
            .max_message_size(Some(self.options.max_message_bytes))
            .max_frame_size(Some(self.options.max_message_bytes));
        let connecting = tokio_tungstenite::connect_async_with_config(request, Some(config), false);
        match tokio::time::timeout(self.options.connect_timeout, connecting).await {
            Ok(Ok((socket, _))) => Ok(socket),
            Ok(Err(tungstenite::Error::Http(response))) => {
                let status = StatusCode::from_u16(response.status().as_u16())
                    .unwrap_or(StatusCode::BAD_GATEWAY);
                if is_retryable_status(status) {
                    return Err(None);
                }
                let body = response.body().as_deref().unwrap_or_default();
                Err(Some(self.client.refused_upgrade(status, body)))
            }
            Ok(Err(_)) | Err(_) => Err(None),
        }
    }

    /// `GET /ws?tx_id=<id>` on the base URL's host, `wss` for `https`; the token goes in
    /// `Authorization`, never in the URL.
    fn upgrade_request(&self) -> Result<tungstenite::handshake::client::Request, Error> {
        let invalid = |reason: String| Error::validation("base_url", reason);
        let mut url = self
            .client
            .base_url()
            .join("ws")
            .map_err(|err| invalid(err.to_string()))?;
        let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
        url.set_scheme(scheme)
            .map_err(|()| invalid(format!("cannot use {scheme} for this URL")))?;
        url.query_pairs_mut().clear().append_pair("tx_id", &self.id);
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|err| invalid(err.to_string()))?;
        let headers = request.headers_mut();
        let mut bearer = HeaderValue::from_str(self.client.bearer.expose_secret())
            .map_err(|_| Error::validation("client_token", "is not a valid header value"))?;
        bearer.set_sensitive(true);
        headers.insert("authorization", bearer);
        headers.insert(
            "user-agent",
            HeaderValue::from_static(ramp_core::user_agent!()),
        );
        if let Some(origin) = self.client.origin() {
            let origin = HeaderValue::from_str(origin)
                .map_err(|_| Error::validation("origin", "is not a valid header value"))?;
            headers.insert("origin", origin);
        }
        Ok(request)
    }
}

/// Statuses in the order a transaction moves through them; a final or unknown one ranks
/// last, so it is never taken for a step back.
fn rank(status: &TransactionStatus) -> u8 {
    match status {
        TransactionStatus::Pending => 0,
        TransactionStatus::Processing => 1,
        _ => 2,
    }
}
