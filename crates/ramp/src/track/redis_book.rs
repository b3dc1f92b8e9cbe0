//! Followed orders in Redis (features `track` and `redis`): they survive a restart, and of
//! every replica that shares the book, one reads each order at a time.

use std::fmt;
use std::time::Duration;

use redis::aio::ConnectionManager;

use super::book::{BookEntry, OrderBook, OrderRef, ms};
use crate::{RedisStore, StoreError};

// Keys: `{prefix}orders` (hash: id → the entry as JSON), `{prefix}due` (sorted set: id by
// the time it is due, in ms of the Redis server's clock), `{prefix}leases` (hash: id → until
// when a reader holds it), `{prefix}poked` (set: ids poked while held). One script per
// operation keeps them together; every time is read from Redis's clock (`TIME`), so replicas
// whose clocks disagree share one schedule and one lease.

/// Milliseconds since the epoch, by Redis's clock (exact as a Lua number), and a number as
/// the digits written to Redis (`%d`: Redis would write a Lua number in its own float format,
/// which some versions give in exponent form).
const NOW: &str = r"
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function ms(n)
  return string.format('%d', n)
end
";

const FOLLOW: &str = r"
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], ms(now_ms()), ARGV[1])
  return 1
end
return 0
";

/// ARGV: lease (ms), max. Returns the lease's end, then the entries taken.
const TAKE_DUE: &str = r"
local now = now_ms()
local held_until = now + tonumber(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, ARGV[2])
local taken = {held_until}
for _, id in ipairs(ids) do
  local entry = redis.call('HGET', KEYS[1], id)
  if entry then
    redis.call('ZADD', KEYS[2], ms(held_until), id)
    redis.call('HSET', KEYS[3], id, ms(held_until))
    table.insert(taken, entry)
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return taken
";

/// ARGV: id, entry, wait (ms), the holder's lease end.
const RESCHEDULE: &str = r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if (redis.call('HGET', KEYS[3], ARGV[1]) or '0') ~= ARGV[4] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local now = now_ms()
local due = now + tonumber(ARGV[3])
if redis.call('SREM', KEYS[4], ARGV[1]) == 1 then due = now end
redis.call('ZADD', KEYS[2], ms(due), ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
";

const POKE: &str = r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local now = now_ms()
local held = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if held > now then
  redis.call('SADD', KEYS[4], ARGV[1])
else
  local due = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]) or now)
  redis.call('ZADD', KEYS[2], ms(math.min(due, now)), ARGV[1])
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

/// A script with the clock function before it.
fn script(body: &str) -> redis::Script {
    redis::Script::new(&format!("{NOW}{body}"))
}

#[async_trait::async_trait]
impl OrderBook for RedisBook {
    async fn follow(&self, entry: &BookEntry) -> Result<bool, StoreError> {
        let script = script(FOLLOW);
        let mut invocation = self.keys(&script);
        invocation.arg(entry.order.key()).arg(entry.to_json()?);
        self.run::<i64>(&invocation).await.map(|added| added == 1)
    }

    async fn take_due(&self, lease: Duration, max: usize) -> Result<Vec<BookEntry>, StoreError> {
        let script = script(TAKE_DUE);
        let mut invocation = self.keys(&script);
        invocation.arg(ms(lease)).arg(max);
        let taken: Vec<redis::Value> = self.run(&invocation).await?;
        let mut taken = taken.into_iter();
        let held_until = match taken.next() {
            Some(redis::Value::Int(until)) => u64::try_from(until).unwrap_or(0),
            _ => return Err(StoreError("Redis: an unexpected answer to a take".into())),
        };
        Ok(taken
            .filter_map(|entry| {
                let text: String = redis::from_redis_value(entry).ok()?;
                BookEntry::taken(&text, held_until, "Redis")
            })
            .collect())
    }

    async fn reschedule(&self, entry: &BookEntry, wait: Duration) -> Result<(), StoreError> {
        let script = script(RESCHEDULE);
        let mut invocation = self.keys(&script);
        invocation
            .arg(entry.order.key())
            .arg(entry.to_json()?)
            .arg(ms(wait))
            .arg(entry.held_until);
        self.run::<i64>(&invocation).await.map(|_| ())
    }

    async fn poke(&self, order: &OrderRef) -> Result<bool, StoreError> {
        let script = script(POKE);
        let mut invocation = self.keys(&script);
        invocation.arg(order.key());
        self.run::<i64>(&invocation).await.map(|known| known == 1)
    }

    async fn close(&self, order: &OrderRef) -> Result<(), StoreError> {
        let script = script(CLOSE);
        let mut invocation = self.keys(&script);
        invocation.arg(order.key());
        self.run::<i64>(&invocation).await.map(|_| ())
    }

    async fn count(&self) -> Result<usize, StoreError> {
        let mut connection = self.connection.clone();
        redis::cmd("HLEN")
            .arg(format!("{}orders", self.prefix))
            .query_async(&mut connection)
            .await
            .map_err(|err| StoreError(format!("Redis: {:?}", err.kind())))
    }
}

impl fmt::Debug for RedisBook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBook")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}
