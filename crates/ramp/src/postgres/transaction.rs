//! An event handled inside the store's own transaction: the order locked, the event
//! checked, the user's writes and the record committed together.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgConnection;

use super::{PgStore, failed, finality, millis};
use crate::once::Outcome;
use crate::{BoxFuture, HandlerError, OrderEvent};

/// The user's handler, given the open transaction.
pub(crate) type TxHandler = Arc<
    dyn for<'c> Fn(OrderEvent, &'c mut PgConnection) -> BoxFuture<'c, Result<(), HandlerError>>
        + Send
        + Sync,
>;

/// A handler given the open transaction, as `Ramp::transactional`,
/// `Endpoint::transactional` and `Tracker::transactional` take it: any
/// `fn(OrderEvent, &mut PgConnection) -> BoxFuture<'_, Result<(), E>>` (implemented for every
/// such function or closure).
pub trait TransactionHandler<E>:
    for<'c> Fn(OrderEvent, &'c mut PgConnection) -> BoxFuture<'c, Result<(), E>> + Send + Sync + 'static
{
}

impl<E, F> TransactionHandler<E> for F where
    F: for<'c> Fn(OrderEvent, &'c mut PgConnection) -> BoxFuture<'c, Result<(), E>>
        + Send
        + Sync
        + 'static
{
}

/// `handler`, its error as a [`HandlerError`].
pub(crate) fn tx_handler<H, E>(handler: H) -> TxHandler
where
    H: TransactionHandler<E>,
    E: Into<HandlerError> + 'static,
{
    fn shaped<F>(f: F) -> F
    where
        F: for<'c> Fn(OrderEvent, &'c mut PgConnection) -> BoxFuture<'c, Result<(), HandlerError>>,
    {
        f
    }
    Arc::new(shaped(move |event, connection| {
        let done = handler(event, connection);
        Box::pin(async move { done.await.map_err(Into::into) })
    }))
}

impl PgStore {
    /// Handles `event` in one transaction: `ramp_begin` locks the order (or finds it held:
    /// in flight) and says whether the event is new; the handler writes; `ramp_record`
    /// records it; then all of it commits. A handler that fails, panics or runs past `limit`,
    /// or a commit that fails, leaves nothing: the event is handled again when redelivered.
    pub(crate) async fn handle_in_transaction(
        &self,
        handler: &TxHandler,
        event: OrderEvent,
        limit: Duration,
    ) -> Outcome {
        let key = event.key();
        let mut tx = match self.pool.begin().await {
            Ok(tx) => tx,
            Err(err) => {
                tracing::error!(key = key.event(), err = %failed(err), "an event's transaction could not begin");
                return Outcome::StoreDown;
            }
        };
        // READ COMMITTED (whatever the pool's default), so that the order's lock is taken
        // before anything is read; no statement of the handler outlives its limit on the
        // server either (a statement dropped by the timeout below would hold the order).
        let limit_ms = millis(limit).max(1).to_string();
        let prepared = async {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "SELECT set_config('statement_timeout', $1, true), \
                 set_config('lock_timeout', $1, true)",
            )
            .bind(&limit_ms)
            .execute(&mut *tx)
            .await
        };
        if let Err(err) = prepared.await {
            tracing::error!(key = key.event(), err = %failed(err), "an event's transaction could not begin");
            return Outcome::StoreDown;
        }
        let seen = sqlx::query_scalar::<_, String>("SELECT ramp_begin($1, $2, $3)")
            .bind(key.event())
            .bind(key.order())
            .bind(finality(&key))
            .fetch_one(&mut *tx)
            .await;
        match seen.as_deref() {
            Ok("new") => {}
            Ok("done") => return Outcome::Duplicate,
            Ok("ended") => return Outcome::Ended,
            Ok(_) => return Outcome::InFlight,
            Err(_) => {
                if let Err(err) = seen {
                    tracing::error!(key = key.event(), err = %failed(err), "an event could not be checked");
                }
                return Outcome::StoreDown;
            }
        }
        // A handler that gives up has its writes undone to here, and the event recorded.
        if let Err(err) = sqlx::query("SAVEPOINT ramp_handler")
            .execute(&mut *tx)
            .await
        {
            tracing::error!(key = key.event(), err = %failed(err), "an event's transaction could not begin");
            return Outcome::StoreDown;
        }
        // Dropping the transaction (an early return, a panic) rolls it back.
        let mut outcome = Outcome::Handled;
        match tokio::time::timeout(limit, handler(event, &mut tx)).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) if err.is_give_up() => {
                tracing::warn!(
                    key = key.event(),
                    %err,
                    "the handler gave up on an event: its writes were rolled back, the event recorded and never handled again"
                );
                if let Err(err) = sqlx::query("ROLLBACK TO SAVEPOINT ramp_handler")
                    .execute(&mut *tx)
                    .await
                {
                    tracing::error!(key = key.event(), err = %failed(err), "a given-up event's writes could not be rolled back; it will be handled again");
                    return Outcome::Failed;
                }
                outcome = Outcome::GaveUp;
            }
            Ok(Err(err)) => {
                tracing::warn!(
                    key = key.event(),
                    %err,
                    "the handler failed; its writes were rolled back and the event will be handled again"
                );
                return Outcome::Failed;
            }
            Err(_) => {
                tracing::error!(
                    key = key.event(),
                    ?limit,
                    "the handler ran past its time limit; its writes were rolled back and the event will be handled again"
                );
                return Outcome::Failed;
            }
        }
        let recorded = sqlx::query("SELECT ramp_record($1, $2, $3, $4)")
            .bind(key.event())
            .bind(key.order())
            .bind(finality(&key))
            .bind(millis(self.keep))
            .execute(&mut *tx)
            .await;
        if let Err(err) = recorded {
            tracing::error!(key = key.event(), err = %failed(err), "a handled event could not be recorded; its writes were rolled back");
            return Outcome::Failed;
        }
        match tx.commit().await {
            Ok(()) => outcome,
            Err(err) => {
                // If the commit landed although its answer was lost, the redelivery finds the
                // event done; if not, nothing of it was kept: either way, once.
                tracing::error!(key = key.event(), err = %failed(err), "an event's transaction could not commit; it will be handled again");
                Outcome::Failed
            }
        }
    }
}
