//! Handled events in Postgres (feature `postgres`, with `sqlx`): a store shared by every
//! replica and kept across restarts, whose record of an event can commit in the same
//! transaction as your handler's own writes.
//!
//! Two ways to use it:
//!
//! - **In your transaction** ([`Endpoint::transactional`](crate::endpoint::Endpoint::transactional),
//!   [`Tracker::transactional`](crate::track::Tracker::transactional)): the handler is given
//!   the open transaction. The order is locked, the event checked, your writes made and the
//!   event recorded in one transaction: a crash, a failed handler or a failed commit leaves
//!   either all of it or none, so each event's writes are made exactly once. Two replicas
//!   given events of one order at once take turns (the second answers 503 and is delivered
//!   again).
//! - **As a plain store** ([`Endpoint::new`](crate::endpoint::Endpoint::new) with
//!   `Arc::new(store)`): claim, handler, record, as with Redis, for a handler that writes
//!   elsewhere (at-least-once plus dedup: a handler cut off between its success and the
//!   record runs again).
//!
//! ```no_run
//! # #[cfg(all(feature = "axum", feature = "koinal"))]
//! # async fn run(koinal: ramp::koinal::WebhookVerifier) -> Result<(), Box<dyn std::error::Error>> {
//! use ramp::endpoint::Endpoint;
//! use ramp::postgres::PgStore;
//! use ramp::OrderEvent;
//!
//! let store = PgStore::connect("postgres://shop@127.0.0.1/shop").await?;
//! store.migrate().await?; // creates the ramp_* tables once (MIGRATION)
//! let webhooks = Endpoint::transactional(store, |event: OrderEvent, tx: &mut sqlx::PgConnection| {
//!     Box::pin(async move {
//!         if event.status == ramp::OrderStatus::Completed {
//!             sqlx::query("UPDATE orders SET paid = true WHERE provider_order = $1")
//!                 .bind(&event.order_id)
//!                 .execute(&mut *tx)
//!                 .await?;
//!         }
//!         Ok::<(), sqlx::Error>(()) // an error rolls everything back: delivered again
//!     })
//! })
//! .koinal(koinal)
//! .router();
//! # let _ = webhooks; Ok(()) }
//! ```
//!
//! The schema is [`MIGRATION`] (`migrations/postgres/0001_ramp_store.sql` in the crate):
//! tables `ramp_handled`, `ramp_ended`, `ramp_claims`, `ramp_unreadable`, `ramp_book` and a
//! few functions, all named `ramp_*`. Times are the server's (`now()`), so replicas whose
//! clocks disagree share leases and schedules.

use std::fmt;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::dedup::{DEFAULT_KEEP, DEFAULT_LEASE, LONGEST, bounded_lease, claim_of, give_up};
use crate::store::{Claim, ClaimToken, DedupStore, EventKey};
use crate::{Provider, StoreError, Unreadable};

#[cfg(feature = "track")]
mod book;
#[cfg(any(feature = "axum", feature = "track"))]
mod transaction;

#[cfg(feature = "track")]
#[cfg_attr(docsrs, doc(cfg(feature = "track")))]
pub use book::PgBook;
#[cfg(any(feature = "axum", feature = "track"))]
pub use transaction::TransactionHandler;
pub(crate) use transaction::{TxHandler, tx_handler};

/// The schema: every table and function the store, its book and its transactions use.
/// Idempotent; [`PgStore::migrate`] applies it as version 1 of `ramp_schema`.
pub const MIGRATION: &str = include_str!("../migrations/postgres/0001_ramp_store.sql");

/// The store of handled events in Postgres. Each handled event that is not final is
/// remembered `keep` after it was handled (default 30 days); an order that ended is
/// remembered for good; a claim (plain use) lapses after the lease (default 60 s).
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    keep: Duration,
    lease: Duration,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`; TLS with the `postgres-rustls`
    /// feature), within 5 s, with a pool of up to 16 connections. Each event handled in a
    /// transaction holds one connection while its handler runs (so at most 16 at once, the
    /// tracker's included): a handler writes through the connection it is given, never a
    /// second one from the same pool (16 handlers waiting for a 17th connection would wait
    /// for each other). Size the pool yourself with [`PgStore::new`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|err| match err {
                // Not echoed: a URL may hold a password.
                sqlx::Error::Configuration(_) => StoreError("invalid Postgres URL".into()),
                err => failed(err),
            })?;
        Ok(Self::new(pool))
    }

    /// A store on a pool of your own (the one your handler's writes use, say). Its
    /// transactions must be READ COMMITTED, PostgreSQL's default: the store's functions
    /// refuse any other level.
    pub fn new(pool: PgPool) -> Self {
        Self {
            pool,
            keep: DEFAULT_KEEP,
            lease: DEFAULT_LEASE,
        }
    }

    /// Creates the schema ([`MIGRATION`]) unless it is there: once across replicas (under an
    /// advisory lock), recorded as version 1 in `ramp_schema`.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(failed)?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('ramp:migrate', 0))")
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS ramp_schema (version integer PRIMARY KEY, \
             applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
        let applied: Option<i32> =
            sqlx::query_scalar("SELECT version FROM ramp_schema WHERE version = 1")
                .fetch_optional(&mut *tx)
                .await
                .map_err(failed)?;
        if applied.is_none() {
            sqlx::raw_sql(MIGRATION)
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
            sqlx::query("INSERT INTO ramp_schema (version) VALUES (1)")
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
        }
        tx.commit().await.map_err(failed)
    }

    /// How long a handled event that is not final is remembered (default 30 days). An ended
    /// order is remembered for good whatever this says.
    pub fn keep(mut self, keep: Duration) -> Self {
        self.keep = keep.min(LONGEST);
        self
    }

    /// How long an unfinished claim holds in plain use (default 60 s, at least
    /// [`SHORTEST_LEASE`](crate::store::SHORTEST_LEASE)).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = bounded_lease(lease);
        self
    }

    /// Its pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

pub(crate) fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// A database error, without anything a URL or a query held.
pub(crate) fn failed(err: sqlx::Error) -> StoreError {
    StoreError(match err {
        sqlx::Error::Database(err) => format!("Postgres: {}", err.message()),
        sqlx::Error::PoolTimedOut => "Postgres: no connection within the pool's timeout".into(),
        sqlx::Error::Io(err) => format!("Postgres: {err}"),
        err => format!("Postgres: {err}"),
    })
}

pub(crate) fn finality(key: &EventKey) -> i16 {
    i16::from(key.finality())
}

#[async_trait::async_trait]
impl DedupStore for PgStore {
    async fn claim(&self, key: &EventKey) -> Result<Claim, StoreError> {
        let token = ClaimToken::new(format!("{:032x}", fastrand::u128(..)));
        let seen = sqlx::query_scalar::<_, String>("SELECT ramp_claim($1, $2, $3, $4, $5)")
            .bind(key.event())
            .bind(key.order())
            .bind(finality(key))
            .bind(token.as_str())
            .bind(millis(self.lease))
            .fetch_one(&self.pool)
            .await;
        let seen = match seen {
            Ok(seen) => seen,
            Err(err) => {
                // The claim may have been made although its answer was lost: given up
                // once the server answers again, rather than holding the order a lease.
                tokio::spawn(give_up(self.clone(), key.clone(), token));
                return Err(failed(err));
            }
        };
        Ok(claim_of(&seen, token))
    }

    async fn renew(&self, key: &EventKey, token: &ClaimToken) -> Result<bool, StoreError> {
        sqlx::query(
            "UPDATE ramp_claims SET lease_until = now() + $3 * interval '1 millisecond' \
             WHERE order_key = $1 AND token = $2 AND lease_until > now()",
        )
        .bind(key.order())
        .bind(token.as_str())
        .bind(millis(self.lease))
        .execute(&self.pool)
        .await
        .map(|done| done.rows_affected() == 1)
        .map_err(failed)
    }

    async fn commit(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        sqlx::query("SELECT ramp_commit($1, $2, $3, $4, $5)")
            .bind(key.event())
            .bind(key.order())
            .bind(finality(key))
            .bind(token.as_str())
            .bind(millis(self.keep))
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed)
    }

    async fn release(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM ramp_claims WHERE order_key = $1 AND token = $2")
            .bind(key.order())
            .bind(token.as_str())
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed)
    }

    fn claim_lease(&self) -> Duration {
        self.lease
    }

    async fn keep_unreadable(&self, delivery: &Unreadable) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO ramp_unreadable (id, provider, document, path, message) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&delivery.id)
        .bind(delivery.provider.as_str())
        .bind(&delivery.document)
        .bind(&delivery.path)
        .bind(&delivery.message)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(failed)
    }

    async fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError> {
        let rows: Vec<(String, String, Vec<u8>, String, String, i64)> = sqlx::query_as(
            "SELECT id, provider, document, path, message, \
             (extract(epoch FROM received_at) * 1000)::bigint \
             FROM ramp_unreadable ORDER BY received_at, id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(failed)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, provider, document, path, message, at_ms)| {
                // A provider of your own this process has not named (`Provider::other`) is
                // left out of the list, and logged, rather than failing all of it.
                let Some(provider) = Provider::from_name(&provider) else {
                    tracing::error!(id, provider, "a kept delivery names a provider this process does not know: left out");
                    return None;
                };
                let received_at = match time::OffsetDateTime::from_unix_timestamp_nanos(
                    i128::from(at_ms) * 1_000_000,
                ) {
                    Ok(at) => at,
                    Err(err) => {
                        tracing::error!(id, %err, "a kept delivery's time could not be read: left out");
                        return None;
                    }
                };
                Some(Unreadable {
                    id,
                    provider,
                    document,
                    path,
                    message,
                    received_at,
                })
            })
            .collect())
    }

    async fn forget_unreadable(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM ramp_unreadable WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed)
    }
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgStore")
            .field("keep", &self.keep)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}
