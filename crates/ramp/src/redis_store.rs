//! Handled events in Redis (feature `redis`): keys survive a restart of the process and are
//! shared by every replica behind a load balancer.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::dedup::{DEFAULT_KEEP, DEFAULT_LEASE, LONGEST, bounded_lease, claim_of, give_up};
use crate::store::{Claim, ClaimToken, DedupStore, EventKey};
use crate::{StoreError, Unreadable};

// Keys, under the prefix: `<event>` ("done" for a handled event that is not final, for
// `keep`), `ended:<order>` (how final the order's end, for good), `claim:<order>` (the token
// of the claim handling one of its events, for the lease), `unreadable` (a hash: id → the
// unreadable delivery as JSON). One Lua script per operation keeps them together.

/// Claims an event's order: `ended`, `done`, `new` (the claim set under the token for the
/// lease) or `inflight`. KEYS: event, ended, claim; ARGV: lease (ms), token, finality.
const CLAIM: &str = r"
local ended = tonumber(redis.call('GET', KEYS[2]) or '0')
if ended > 0 and tonumber(ARGV[3]) <= ended then return 'ended' end
if redis.call('GET', KEYS[1]) == 'done' then return 'done' end
if redis.call('SET', KEYS[3], ARGV[2], 'NX', 'PX', ARGV[1]) then return 'new' end
return 'inflight'
";

/// Extends a claim by a lease, only while the token holds it. KEYS: claim; ARGV: lease, token.
const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 0
";

/// Records an event (a final one as its order's end, for good) and gives up the token's
/// claim. KEYS: event, ended, claim; ARGV: keep (ms), token, finality.
const COMMIT: &str = r"
local finality = tonumber(ARGV[3])
if finality > 0 then
  if finality > tonumber(redis.call('GET', KEYS[2]) or '0') then
    redis.call('SET', KEYS[2], ARGV[3])
  end
else
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
end
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
return 1
";

/// Gives up a claim, only while the token holds it: never a claim made since by someone
/// else. KEYS: claim; ARGV: token.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// A claim's value: unique among every replica's claims (128 random bits).
fn new_token() -> ClaimToken {
    ClaimToken::new(format!("{:032x}", fastrand::u128(..)))
}

/// The store of handled events in Redis. Each handled event that is not final is remembered
/// `keep` after it was handled (default [`DEFAULT_KEEP`], 30 days); an order that ended is
/// remembered for good; an unfinished claim lapses after the lease (default
/// [`DEFAULT_LEASE`]). Claims are one Lua script each, so of any number of replicas claiming
/// one order at once, one wins.
///
/// Redis must keep what it acknowledged: [`connect`](Self::connect) refuses a server whose
/// `maxmemory-policy` is not `noeviction` (any other policy may delete handled events and
/// claims when memory runs short), and for a crash of Redis itself to forget nothing it must
/// run with `appendonly yes` and `appendfsync always`. One Redis, not a Redis Cluster (each
/// script touches an event's and its order's keys together).
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    keep: Duration,
    lease: Duration,
}

impl RedisStore {
    /// Connects to `url` (`redis://host:port`, `redis+unix:///path`), within `timeout`, and
    /// checks that the server evicts nothing: its `maxmemory-policy` must be `noeviction`
    /// (else a [`StoreError`] naming the setting, and no store).
    pub async fn connect(url: &str, timeout: Duration) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)
            .map_err(|err| StoreError(format!("invalid Redis URL: {:?}", err.kind())))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1);
        let connection =
            tokio::time::timeout(timeout, client.get_connection_manager_with_config(config))
                .await
                .map_err(|_| StoreError("connecting to Redis timed out".into()))?
                .map_err(|err| {
                    StoreError(format!("could not connect to Redis: {:?}", err.kind()))
                })?;
        check_no_eviction(&mut connection.clone()).await?;
        Ok(Self {
            connection,
            prefix: "ramp:handled:".into(),
            keep: DEFAULT_KEEP,
            lease: DEFAULT_LEASE,
        })
    }

    /// The prefix of every key (default `ramp:handled:`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long a handled event that is not final is remembered (default [`DEFAULT_KEEP`],
    /// 30 days: longer than any provider here redelivers). An ended order is remembered for
    /// good whatever this says.
    pub fn keep(mut self, keep: Duration) -> Self {
        self.keep = keep.min(LONGEST);
        self
    }

    /// How long an unfinished claim holds (default [`DEFAULT_LEASE`], at least
    /// [`SHORTEST_LEASE`](crate::store::SHORTEST_LEASE)).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = bounded_lease(lease);
        self
    }

    /// Its connection, shared with a tracker's book.
    #[allow(dead_code)] // used by the tracker's book only
    pub(crate) fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    /// The script with the keys of `key`'s event, order end and claim.
    fn keys<'s>(&self, script: &'s redis::Script, key: &EventKey) -> redis::ScriptInvocation<'s> {
        let mut invocation = script.prepare_invoke();
        invocation
            .key(format!("{}{}", self.prefix, key.event()))
            .key(format!("{}ended:{}", self.prefix, key.order()))
            .key(self.claim_key(key));
        invocation
    }

    fn claim_key(&self, key: &EventKey) -> String {
        format!("{}claim:{}", self.prefix, key.order())
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        invocation: &redis::ScriptInvocation<'_>,
    ) -> Result<T, StoreError> {
        invocation
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(failed)
    }
}

/// Refuses a Redis that may evict keys: any `maxmemory-policy` but `noeviction`.
async fn check_no_eviction(connection: &mut ConnectionManager) -> Result<(), StoreError> {
    let info: String = redis::cmd("INFO")
        .arg("memory")
        .query_async(connection)
        .await
        .map_err(|err| {
            StoreError(format!(
                "could not read Redis's maxmemory-policy (INFO memory): {:?}",
                err.kind()
            ))
        })?;
    let policy = info
        .lines()
        .find_map(|line| line.strip_prefix("maxmemory_policy:"))
        .map(str::trim);
    match policy {
        Some("noeviction") => Ok(()),
        Some(policy) => Err(StoreError(format!(
            "Redis's maxmemory-policy is {policy}: it may delete handled events and claims when \
             memory runs short, and an event would be handled again; set maxmemory-policy \
             noeviction"
        ))),
        None => Err(StoreError(
            "Redis did not say its maxmemory-policy (INFO memory): it must be noeviction".into(),
        )),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

fn failed(err: redis::RedisError) -> StoreError {
    StoreError(format!("Redis: {:?}", err.kind()))
}

#[async_trait::async_trait]
impl DedupStore for RedisStore {
    async fn claim(&self, key: &EventKey) -> Result<Claim, StoreError> {
        let token = new_token();
        let script = redis::Script::new(CLAIM);
        let mut invocation = self.keys(&script, key);
        invocation
            .arg(millis(self.lease))
            .arg(token.as_str())
            .arg(key.finality());
        let held: String = match self.run(&invocation).await {
            Ok(held) => held,
            Err(err) => {
                // The claim may have been made although its answer was lost (Redis went
                // down in between): it is given up once Redis answers again, rather
                // than blocking the order's events for a whole lease.
                tokio::spawn(give_up(self.clone(), key.clone(), token));
                return Err(err);
            }
        };
        Ok(claim_of(&held, token))
    }

    async fn renew(&self, key: &EventKey, token: &ClaimToken) -> Result<bool, StoreError> {
        let script = redis::Script::new(RENEW);
        let mut invocation = script.prepare_invoke();
        invocation
            .key(self.claim_key(key))
            .arg(millis(self.lease))
            .arg(token.as_str());
        self.run::<i64>(&invocation)
            .await
            .map(|renewed| renewed == 1)
    }

    async fn commit(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        let script = redis::Script::new(COMMIT);
        let mut invocation = self.keys(&script, key);
        invocation
            .arg(millis(self.keep))
            .arg(token.as_str())
            .arg(key.finality());
        self.run::<i64>(&invocation).await.map(|_| ())
    }

    async fn release(&self, key: &EventKey, token: &ClaimToken) -> Result<(), StoreError> {
        let script = redis::Script::new(RELEASE);
        let mut invocation = script.prepare_invoke();
        invocation.key(self.claim_key(key)).arg(token.as_str());
        self.run::<i64>(&invocation).await.map(|_| ())
    }

    fn claim_lease(&self) -> Duration {
        self.lease
    }

    async fn keep_unreadable(&self, delivery: &Unreadable) -> Result<(), StoreError> {
        let json = serde_json::to_string(delivery)
            .map_err(|err| StoreError(format!("an unreadable delivery as JSON: {err}")))?;
        redis::cmd("HSETNX")
            .arg(format!("{}unreadable", self.prefix))
            .arg(&delivery.id)
            .arg(json)
            .query_async::<i64>(&mut self.connection.clone())
            .await
            .map(|_| ())
            .map_err(failed)
    }

    async fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError> {
        let kept: Vec<String> = redis::cmd("HVALS")
            .arg(format!("{}unreadable", self.prefix))
            .query_async(&mut self.connection.clone())
            .await
            .map_err(failed)?;
        // One this process cannot read (a provider of your own it has not named with
        // `Provider::other`) is left out of the list, and logged, rather than failing all.
        let mut kept: Vec<Unreadable> = kept
            .iter()
            .filter_map(|json| match serde_json::from_str::<Unreadable>(json) {
                Ok(delivery) => Some(delivery),
                Err(err) => {
                    tracing::error!(%err, "a kept delivery in Redis could not be read: left out");
                    None
                }
            })
            .collect();
        kept.sort_by_key(|delivery| delivery.received_at);
        Ok(kept)
    }

    async fn forget_unreadable(&self, id: &str) -> Result<(), StoreError> {
        redis::cmd("HDEL")
            .arg(format!("{}unreadable", self.prefix))
            .arg(id)
            .query_async::<i64>(&mut self.connection.clone())
            .await
            .map(|_| ())
            .map_err(failed)
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("keep", &self.keep)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}
