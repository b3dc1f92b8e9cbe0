//! The state machine behind [`Client::watch`](crate::Client::watch): one WebSocket at a time,
//! status reads on a schedule, and the rules for what is yielded.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ramp_core::http::reqwest::Upgraded;
use ramp_core::http::{Request, StatusCode, Upgrade, UpgradeClient, is_retryable_status};
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::{client::generate_key, derive_accept_key};
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use crate::{Client, Error, ErrorKind, LiveUpdate, OrderStatus, WatchOptions};

type Socket = WebSocketStream<Upgraded>;

/// The shortest wait between two connection attempts, whatever the backoff says.
const MIN_RECONNECT: Duration = Duration::from_millis(100);
/// A connection up this long before it drops counts as having worked: the backoff restarts.
const STABLE: Duration = Duration::from_secs(30);
/// No wait is longer than a day (an `Instant` plus a huge wait would overflow).
const LONGEST: Duration = Duration::from_secs(24 * 60 * 60);
/// The most of an upgrade refusal's body that is read.
const MAX_REFUSAL_BYTES: usize = 64 * 1024;

/// `now + wait`, the wait capped at [`LONGEST`].
fn after(now: Instant, wait: Duration) -> Instant {
    now + wait.min(LONGEST)
}

pub(crate) struct Watch {
    client: Client,
    id: String,
    options: WatchOptions,
    socket: Option<Socket>,
    /// When the socket came up.
    connected_at: Option<Instant>,
    /// Whether any frame arrived since the last confirmation (while connected).
    heard: bool,
    /// The status last yielded.
    last: Option<OrderStatus>,
    /// Connections lost or refused in a row.
    failures: u32,
    next_connect: Instant,
    /// When to read the status next: at once after connecting, every `confirm_every` while
    /// connected, every 5 to 10 s while not.
    next_read: Option<Instant>,
    /// The reconnect wait a 429 or 503 asked for.
    retry_after: Option<Duration>,
    done: bool,
}

impl Watch {
    pub(crate) fn new(client: Client, id: &str, options: WatchOptions) -> Self {
        Self {
            client,
            id: id.to_owned(),
            options,
            socket: None,
            connected_at: None,
            heard: false,
            last: None,
            failures: 0,
            next_connect: Instant::now(),
            next_read: None,
            retry_after: None,
            done: false,
        }
    }

    pub(crate) async fn next(&mut self) -> Option<Result<LiveUpdate, Error>> {
        if self.done {
            return None;
        }
        let upgrades = match self.check() {
            Ok(upgrades) => upgrades,
            Err(err) => return Some(self.fail(err)),
        };
        loop {
            let now = Instant::now();
            if self.next_read.is_some_and(|at| at <= now) {
                match self.read(now).await {
                    Ok(Some(update)) => return Some(Ok(update)),
                    Ok(None) => continue,
                    Err(err) => return Some(self.fail(err)),
                }
            }
            if self.socket.is_some() {
                if let Some(update) = self.listen().await {
                    return Some(Ok(update));
                }
                continue;
            }
            if self.next_connect <= now {
                match self.connect(&upgrades).await {
                    Ok(socket) => {
                        let now = Instant::now();
                        self.socket = Some(socket);
                        self.connected_at = Some(now);
                        self.heard = true;
                        // Read once the subscription is up: a change made before it.
                        self.next_read = Some(now);
                    }
                    Err(Some(err)) => return Some(self.fail(err)),
                    Err(None) => self.disconnected(),
                }
                continue;
            }
            let wake = self
                .next_read
                .map_or(self.next_connect, |read| read.min(self.next_connect));
            tokio::time::sleep_until(wake).await;
        }
    }

    /// The options and id, checked once; the client the upgrades go through.
    fn check(&self) -> Result<UpgradeClient, Error> {
        if self.id.trim().is_empty() {
            return Err(Error::validation(
                "merchant_transaction_id",
                "must not be empty",
            ));
        }
        let (min, max) = self.options.poll_range();
        if min.is_zero() || min > max {
            return Err(Error::validation(
                "poll_every",
                format!("needs 0 < min <= max, got {min:?} and {max:?}"),
            ));
        }
        if self.options.confirm_interval().is_zero() {
            return Err(Error::validation("confirm_every", "must not be zero"));
        }
        let limit = self.options.connect_limit();
        Ok(UpgradeClient::new(limit, limit)?)
    }

    fn fail(&mut self, err: Error) -> Result<LiveUpdate, Error> {
        self.done = true;
        self.socket = None;
        Err(err)
    }

    /// Waits for the socket's next frame, or the next scheduled read. A `tx.update` for this
    /// transaction with a new status is returned; a closed or failed socket is dropped.
    async fn listen(&mut self) -> Option<LiveUpdate> {
        let wake = self
            .next_read
            .unwrap_or_else(|| after(Instant::now(), LONGEST));
        let socket = self.socket.as_mut()?;
        let frame = tokio::select! {
            frame = socket.next() => frame,
            () = tokio::time::sleep_until(wake) => return None,
        };
        match frame {
            Some(Ok(Message::Text(text))) => {
                self.heard = true;
                let update = self.message(text.as_str());
                if update.is_some() {
                    self.failures = 0;
                }
                update
            }
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                self.disconnected();
                None
            }
            // Pings are answered by tungstenite; a pong or any other frame shows it is alive.
            Some(Ok(_)) => {
                self.heard = true;
                None
            }
        }
    }

    /// The connection is gone (or could not be made): back off, and poll meanwhile (at once
    /// when a connection was just lost).
    fn disconnected(&mut self) {
        let was_connected = self.socket.take().is_some();
        let now = Instant::now();
        if self
            .connected_at
            .take()
            .is_some_and(|at| now.duration_since(at) >= STABLE)
        {
            self.failures = 0;
        }
        self.failures = self.failures.saturating_add(1);
        let wait = self
            .options
            .reconnect_policy()
            .delay(self.failures, self.retry_after.take())
            .max(MIN_RECONNECT);
        self.next_connect = after(now, wait);
        self.next_read = match self.next_read {
            Some(at) if !was_connected => Some(at),
            _ => Some(now),
        };
    }

    fn poll_wait(&self) -> Duration {
        let (min, max) = self.options.poll_range();
        let span = u64::try_from((max - min).as_millis()).unwrap_or(u64::MAX);
        min + Duration::from_millis(fastrand::u64(0..=span))
    }

    /// A status read, and the next one scheduled. While connected, it is also the liveness
    /// check: a socket that sent nothing since the last one is dropped, and a ping goes out.
    /// The update if the status is new; an error that ends the watch only when waiting cannot
    /// help (a refused token, an unknown transaction, a body that does not decode).
    async fn read(&mut self, now: Instant) -> Result<Option<LiveUpdate>, Error> {
        let connected = self.socket.is_some();
        self.next_read = Some(if connected {
            after(now, self.options.confirm_interval())
        } else {
            after(now, self.poll_wait())
        });
        if connected && now > self.connected_at.unwrap_or(now) {
            let alive = std::mem::take(&mut self.heard);
            let pinged = match self.socket.as_mut() {
                Some(socket) if alive => {
                    socket.send(Message::Ping(Vec::new().into())).await.is_ok()
                }
                _ => false,
            };
            if !pinged {
                self.disconnected();
            }
        }
        match self.client.transaction(&self.id).await {
            Ok(tx) => Ok(self.offer(LiveUpdate::from(tx))),
            Err(err) if err.is_retryable() => {
                // Try again soon, connected or not: this read may be the one that catches up.
                self.next_read = Some(after(Instant::now(), self.poll_wait()));
                Ok(None)
            }
            Err(err) => Err(err),
        }
    }

    /// A text message: a `tx.update` for this transaction with a new status, or nothing.
    /// A message of another kind or transaction is skipped; a `tx.update` for this
    /// transaction that does not decode is never dropped: the status is read at once instead,
    /// so the change it announced is not lost.
    fn message(&mut self, text: &str) -> Option<LiveUpdate> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        if value.get("event").and_then(serde_json::Value::as_str) != Some("tx.update")
            || value
                .get("merchant_transaction_id")
                .and_then(serde_json::Value::as_str)
                != Some(self.id.as_str())
        {
            return None;
        }
        let Ok(mut update) = serde_json::from_value::<LiveUpdate>(value) else {
            self.next_read = Some(Instant::now());
            return None;
        };
        update.source = crate::UpdateSource::WebSocket;
        self.offer(update)
    }

    /// `update` if its status is new and not a step back; a final status ends the watch.
    fn offer(&mut self, update: LiveUpdate) -> Option<LiveUpdate> {
        if let Some(last) = &self.last {
            let step_back =
                matches!((rank(&update.status), rank(last)), (Some(new), Some(old)) if new < old);
            if *last == update.status || step_back {
                return None;
            }
        }
        self.last = Some(update.status.clone());
        if update.status.is_terminal() {
            self.done = true;
            self.socket = None;
        }
        Some(update)
    }

    /// Opens the WebSocket. `Err(None)` for a failure worth retrying (including a 404, which
    /// leaves the status reads to say whether the transaction exists), `Err(Some(_))` for one
    /// that is not.
    async fn connect(&mut self, upgrades: &UpgradeClient) -> Result<Socket, Option<Error>> {
        let key = generate_key();
        let request = Request::get("ws")
            .query("tx_id", &self.id)
            .header("connection", "Upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", &key);
        let answer = match upgrades.upgrade(&self.client.http, request).await {
            Ok(answer) => answer,
            Err(err) if err.is_retryable() || err.is_never_sent() => return Err(None),
            Err(err) => return Err(Some(Error::from(ErrorKind::Http(err)))),
        };
        match answer {
            Upgrade::Switched {
                connection,
                headers,
            } => {
                let accepted = headers.get("sec-websocket-accept").is_some_and(|value| {
                    value.as_bytes() == derive_accept_key(key.as_bytes()).as_bytes()
                });
                if !accepted {
                    return Err(None);
                }
                let config = WebSocketConfig::default()
                    .max_message_size(Some(self.options.max_message()))
                    .max_frame_size(Some(self.options.max_message()));
                Ok(WebSocketStream::from_raw_socket(connection, Role::Client, Some(config)).await)
            }
            Upgrade::Refused(response) => {
                let status = response.status();
                let request_id = response
                    .headers()
                    .get("x-request-id")
                    .and_then(|id| id.to_str().ok())
                    .map(str::to_owned);
                self.retry_after = ramp_core::http::retry_after_header(response.headers());
                if is_retryable_status(status) || status == StatusCode::NOT_FOUND {
                    return Err(None);
                }
                let body = read_capped(response).await;
                Err(Some(self.client.refused_upgrade(status, &body, request_id)))
            }
            _ => Err(None),
        }
    }
}

/// Up to [`MAX_REFUSAL_BYTES`] of a refusal's body (what arrived, if reading fails).
async fn read_capped(mut response: ramp_core::http::reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_REFUSAL_BYTES.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_REFUSAL_BYTES {
            break;
        }
    }
    body
}

/// Where a status stands in the order a transaction moves through them; an unknown status
/// has no place, so it is never taken for a step back and never makes one look like one.
fn rank(status: &OrderStatus) -> Option<u8> {
    match status {
        OrderStatus::Pending => Some(0),
        OrderStatus::Processing => Some(1),
        OrderStatus::Completed | OrderStatus::Failed | OrderStatus::Cancelled => Some(2),
        _ => None,
    }
}
