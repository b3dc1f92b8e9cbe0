//! Followed orders in Redis (features `track` and `redis`): they survive a restart, and of
//! every replica that shares the book, one reads each order at a time.

use std::fmt;

use redis::aio::ConnectionManager;

use super::book::{BookEntry, OrderBook, OrderRef};
use crate::{BoxFuture, RedisStore, StoreError};

// Keys: `{prefix}orders` (hash: id → the entry as JSON), `{prefix}due` (sorted set: id by
// the time it is due, in ms), `{prefix}leases` (hash: id → until when a reader holds it),
// `{prefix}poked` (set: ids poked while held). One script per operation keeps them together.

const FOLLOW: &str = r"
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  return 1
end
return 0
";

const TAKE_DUE: &str = r"
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local taken = {}
for _, id in ipairs(ids) do
  local entry = redis.call('HGET', KEYS[1], id)
  if entry then
    redis.call('ZADD', KEYS[2], ARGV[2], id)
    redis.call('HSET', KEYS[3], id, ARGV[2])
    table.insert(taken, entry)
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return taken
";

const RESCHEDULE: &str = r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if (redis.call('HGET', KEYS[3], ARGV[1]) or '0') ~= ARGV[5] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local due = tonumber(ARGV[3])
if redis.call('SREM', KEYS[4], ARGV[1]) == 1 then due = math.min(due, tonumber(ARGV[4])) end
redis.call('ZADD', KEYS[2], due, ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
";

const POKE: &str = r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local held = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if held > tonumber(ARGV[2]) then
  redis.call('SADD', KEYS[4], ARGV[1])
else
  local due = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]) or ARGV[2])
  redis.call('ZADD', KEYS[2], math.min(due, tonumber(ARGV[2])), ARGV[1])
end
return 1
";

const CLOSE: &str = r"
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return 1
";

/// The orders a tracker follows, in Redis: open orders survive a restart, and every replica
/// sharing the book takes each due order alone (it is handed to one of them at a time).
#[derive(Clone)]
pub struct RedisBook {
    connection: ConnectionManager,
    prefix: String,
}

impl RedisBook {
    /// A book on the connection of `store`, under keys that begin `ramp:track:`.
    pub fn new(store: &RedisStore) -> Self {
        Self {
            connection: store.connection(),
            prefix: "ramp:track:".into(),
        }
    }

    /// The prefix of every key (default `ramp:track:`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn keys<'s>(&self, script: &'s redis::Script) -> redis::ScriptInvocation<'s> {
        let mut invocation = script.prepare_invoke();
        for part in ["orders", "due", "leases", "poked"] {
            invocation.key(format!("{}{part}", self.prefix));
        }
        invocation
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        invocation: &redis::ScriptInvocation<'_>,
    ) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        invocation
            .invoke_async(&mut connection)
            .await
            .map_err(|err| StoreError(format!("Redis: {:?}", err.kind())))
    }
}

fn json(entry: &BookEntry) -> Result<String, StoreError> {
    serde_json::to_string(entry).map_err(|err| StoreError(format!("an entry: {err}")))
}

impl OrderBook for RedisBook {
    fn follow<'a>(
        &'a self,
        entry: &'a BookEntry,
        due_ms: u64,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let script = redis::Script::new(FOLLOW);
            let mut invocation = self.keys(&script);
            invocation
                .arg(entry.order.key())
                .arg(json(entry)?)
                .arg(due_ms);
            self.run::<i64>(&invocation).await.map(|added| added == 1)
        })
    }

    fn take_due(
        &self,
        due_by_ms: u64,
        now_ms: u64,
        lease_ms: u64,
        max: usize,
    ) -> BoxFuture<'_, Result<Vec<BookEntry>, StoreError>> {
        Box::pin(async move {
            let script = redis::Script::new(TAKE_DUE);
            let mut invocation = self.keys(&script);
            invocation
                .arg(due_by_ms)
                .arg(now_ms.saturating_add(lease_ms))
                .arg(max);
            let taken: Vec<String> = self.run(&invocation).await?;
            let held_until = now_ms.saturating_add(lease_ms);
            Ok(taken
                .iter()
                .filter_map(|entry| match serde_json::from_str::<BookEntry>(entry) {
                    Ok(entry) => Some(BookEntry {
                        held_until,
                        ..entry
                    }),
                    Err(err) => {
                        // Written by another version: left to it, taken again after the lease.
                        tracing::error!(%err, "a followed order in Redis could not be read");
                        None
                    }
                })
                .collect())
        })
    }

    fn reschedule<'a>(
        &'a self,
        entry: &'a BookEntry,
        due_ms: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let script = redis::Script::new(RESCHEDULE);
            let mut invocation = self.keys(&script);
            invocation
                .arg(entry.order.key())
                .arg(json(entry)?)
                .arg(due_ms)
                .arg(super::book::now_ms())
                .arg(entry.held_until);
            self.run::<i64>(&invocation).await.map(|_| ())
        })
    }

    fn poke<'a>(
        &'a self,
        order: &'a OrderRef,
        now_ms: u64,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let script = redis::Script::new(POKE);
            let mut invocation = self.keys(&script);
            invocation.arg(order.key()).arg(now_ms);
            self.run::<i64>(&invocation).await.map(|known| known == 1)
        })
    }

    fn close<'a>(&'a self, order: &'a OrderRef) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let script = redis::Script::new(CLOSE);
            let mut invocation = self.keys(&script);
            invocation.arg(order.key());
            self.run::<i64>(&invocation).await.map(|_| ())
        })
    }

    fn count(&self) -> BoxFuture<'_, Result<usize, StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::cmd("HLEN")
                .arg(format!("{}orders", self.prefix))
                .query_async(&mut connection)
                .await
                .map_err(|err| StoreError(format!("Redis: {:?}", err.kind())))
        })
    }
}

impl fmt::Debug for RedisBook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBook")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}
