//! Followed orders in Postgres (features `track` and `postgres`): they survive a restart,
//! and of every replica that shares the book, one reads each order at a time. Times are the
//! server's clock.

use std::fmt;
use std::time::Duration;

use sqlx::postgres::PgPool;

use super::{PgStore, failed, millis};
use crate::StoreError;
use crate::track::{BookEntry, OrderBook, OrderRef};

/// The orders a tracker follows, in the `ramp_book` table of a [`PgStore`]'s database.
#[derive(Clone)]
pub struct PgBook {
    pool: PgPool,
}

impl PgBook {
    /// A book on the pool of `store` (its schema made by [`PgStore::migrate`]).
    pub fn new(store: &PgStore) -> Self {
        Self {
            pool: store.pool().clone(),
        }
    }
}

#[async_trait::async_trait]
impl OrderBook for PgBook {
    async fn follow(&self, entry: &BookEntry) -> Result<bool, StoreError> {
        sqlx::query(
            "INSERT INTO ramp_book (order_key, entry, due_ms) VALUES ($1, $2, ramp_now_ms()) \
             ON CONFLICT (order_key) DO NOTHING",
        )
        .bind(entry.order.key())
        .bind(entry.to_json()?)
        .execute(&self.pool)
        .await
        .map(|done| done.rows_affected() == 1)
        .map_err(failed)
    }

    async fn take_due(&self, lease: Duration, max: usize) -> Result<Vec<BookEntry>, StoreError> {
        let taken: Vec<(String, i64)> = sqlx::query_as(
            "WITH due AS (SELECT order_key FROM ramp_book WHERE due_ms <= ramp_now_ms() \
             ORDER BY due_ms LIMIT $2 FOR UPDATE SKIP LOCKED) \
             UPDATE ramp_book b SET due_ms = ramp_now_ms() + $1, \
             held_until = ramp_now_ms() + $1 FROM due WHERE b.order_key = due.order_key \
             RETURNING b.entry, b.held_until",
        )
        .bind(millis(lease))
        .bind(i64::try_from(max).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(failed)?;
        Ok(taken
            .into_iter()
            .filter_map(|(entry, held_until)| {
                BookEntry::taken(&entry, u64::try_from(held_until).unwrap_or(0), "Postgres")
            })
            .collect())
    }

    async fn reschedule(&self, entry: &BookEntry, wait: Duration) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE ramp_book SET entry = $2, due_ms = CASE WHEN poked THEN ramp_now_ms() \
             ELSE ramp_now_ms() + $3 END, held_until = 0, poked = false \
             WHERE order_key = $1 AND held_until = $4",
        )
        .bind(entry.order.key())
        .bind(entry.to_json()?)
        .bind(millis(wait))
        .bind(i64::try_from(entry.held_until).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(failed)
    }

    async fn poke(&self, order: &OrderRef) -> Result<bool, StoreError> {
        sqlx::query(
            "UPDATE ramp_book SET \
             poked = poked OR held_until > ramp_now_ms(), \
             due_ms = CASE WHEN held_until > ramp_now_ms() THEN due_ms \
             ELSE least(due_ms, ramp_now_ms()) END \
             WHERE order_key = $1",
        )
        .bind(order.key())
        .execute(&self.pool)
        .await
        .map(|done| done.rows_affected() == 1)
        .map_err(failed)
    }

    async fn close(&self, order: &OrderRef) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM ramp_book WHERE order_key = $1")
            .bind(order.key())
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed)
    }

    async fn count(&self) -> Result<usize, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM ramp_book")
            .fetch_one(&self.pool)
            .await
            .map_err(failed)?;
        Ok(usize::try_from(count).unwrap_or(0))
    }
}

impl fmt::Debug for PgBook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgBook").finish_non_exhaustive()
    }
}
