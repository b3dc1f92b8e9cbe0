//! Live status of one transaction: Proof's WebSocket (`ws?tx_id=...` on the base URL, so
//! `wss://DOMAIN/ws?tx_id=...` for `https://DOMAIN`;
//! docs.proof.community/on-off-ramp/api-websocket), with status reads while it is down.
//!
//! [`Client::watch`] connects with the client token in the upgrade's `Authorization` header
//! (never in the URL), reads the status once the subscription is up (so a change made before
//! it is not missed, and retried until one read succeeds), and yields each `tx.update`. While
//! connected it pings and reads the status every [`WatchOptions::confirm_every`] (a minute by
//! default), so a connection that went quiet, or a push that never came, cannot stall it. When
//! the connection drops it reconnects with capped, jittered exponential backoff (honouring
//! `Retry-After`) and, until it is back, reads `GET /widget/transactions/{id}` every 5 to 10
//! seconds, as Proof advises. It never yields the same status twice in a row, never moves
//! back from `processing` to `pending`, and ends after a final status (`completed`, `failed`,
//! `cancelled`).
//!
//! The upgrade goes through `ramp-core`'s HTTP stack (the `rustls` or `native-tls` feature,
//! proxies from the environment), HTTP/1.1 only, never following a redirect; the token header
//! is marked sensitive and nothing logs it. tokio-tungstenite then speaks WebSocket over the
//! upgraded connection (it does not make the handshake, so its handshake logging never sees
//! the token). A client given with `ClientBuilder::http_client` is not used for the socket.

use std::time::Duration;

use futures_util::Stream;
use ramp_core::http::RetryPolicy;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Client, Error, OrderStatus, Transaction, TransactionType};

/// How [`Client::watch`] reconnects and polls. The defaults follow Proof's advice.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    reconnect: RetryPolicy,
    poll_min: Duration,
    poll_max: Duration,
    confirm_every: Duration,
    connect_timeout: Duration,
    max_message_bytes: usize,
}

impl Default for WatchOptions {
    /// Reconnects after 0.5 s, doubling up to 30 s, with full jitter; polls every 5 to 10 s
    /// while disconnected; pings and reads every minute while connected; 10 s to connect;
    /// messages up to 64 KiB.
    fn default() -> Self {
        Self {
            reconnect: RetryPolicy::default()
                .with_base_delay(Duration::from_millis(500))
                .with_max_delay(Duration::from_secs(30)),
            poll_min: Duration::from_secs(5),
            poll_max: Duration::from_secs(10),
            confirm_every: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_message_bytes: 64 * 1024,
        }
    }
}

impl WatchOptions {
    /// The backoff between reconnection attempts (its attempt count is not used: reconnection
    /// goes on until a final status, or until the stream is dropped). A wait shorter than
    /// 100 ms is taken as 100 ms.
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

    /// While connected, how often to ping and read the status (default a minute): a
    /// connection that answered nothing between two of these is dropped and made again.
    /// Zero is refused when the watch starts.
    pub fn confirm_every(mut self, every: Duration) -> Self {
        self.confirm_every = every;
        self
    }

    /// How long one connection attempt may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
}

/// Where an update came from (`websocket` or `status_read` when serialized).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    pub status: OrderStatus,
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
    /// When the status changed (`occurred_at`; `updated_at` of a read).
    #[serde(
        default,
        with = "ramp_core::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub occurred_at: Option<time::OffsetDateTime>,
    /// Where this update came from (`websocket` when absent, as in Proof's messages).
    #[serde(default = "websocket")]
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

impl Client {
    /// The live status of a transaction, as a stream of [`LiveUpdate`]s that ends after a
    /// final status, with [`WatchOptions::default`]. See the [module docs](crate::live).
    ///
    /// An error ends the stream after it is yielded: a refused upgrade or status read (401
    /// `unauthorised`, 403 `forbidden`), a transaction Proof does not know (404 on the status
    /// read), a blank id or bad options. Dropped connections, timeouts, 429 and 5xx answers
    /// are not errors: the stream reconnects and polls until the transaction ends, so bound
    /// it with a timeout of your own if you need one.
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
        let watch = crate::live_watch::Watch::new(self.clone(), merchant_transaction_id, options);
        futures_util::stream::unfold(watch, |mut watch| async move {
            let item = watch.next().await?;
            Some((item, watch))
        })
    }
}

impl WatchOptions {
    pub(crate) fn reconnect_policy(&self) -> &RetryPolicy {
        &self.reconnect
    }

    pub(crate) fn poll_range(&self) -> (Duration, Duration) {
        (self.poll_min, self.poll_max)
    }

    pub(crate) fn confirm_interval(&self) -> Duration {
        self.confirm_every
    }

    pub(crate) fn connect_limit(&self) -> Duration {
        self.connect_timeout
    }

    pub(crate) fn max_message(&self) -> usize {
        self.max_message_bytes
    }
}
