//! Handled events in Redis (feature `redis`): keys survive a restart of the process and are
//! shared by every replica behind a load balancer.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::dedup::{DEFAULT_LEASE, LONGEST};
use crate::{BoxFuture, Claim, ClaimToken, DedupStore, StoreError};

/// Claims a key atomically: `new` (set in flight under the claim's token for the lease), or
/// what it holds (`done`, or the token of the claim in flight).
const CLAIM: &str = r"
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
return 'new'
";

/// Extends a claim by a lease, only while the token holds it.
const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 0
";

/// Gives up a claim, only while the token holds it: never a handled key, never a claim
/// made since by someone else.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// A claim's value: unique among every replica's claims (128 random bits).
fn new_token() -> ClaimToken {
    ClaimToken::new(format!("inflight:{:032x}", fastrand::u128(..)))
}

/// The store of handled events in Redis. Each key lives `keep` after it was handled (default
/// a day); an unfinished claim lapses after the lease (default [`DEFAULT_LEASE`]). Claims are
/// one Lua script each, so of any number of replicas claiming one key at once, one wins.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    keep: Duration,
    lease: Duration,
}

impl RedisStore {
    /// Connects to `url` (`redis://host:port`, `redis+unix:///path`), within `timeout`.
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
        Ok(Self {
            connection,
            prefix: "ramp:handled:".into(),
            keep: Duration::from_secs(24 * 3600),
            lease: DEFAULT_LEASE,
        })
    }

    /// The prefix of every key (default `ramp:handled:`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long a handled key is kept (default a day).
    pub fn keep(mut self, keep: Duration) -> Self {
        self.keep = keep.min(LONGEST);
        self
    }

    /// How long an unfinished claim holds (default [`DEFAULT_LEASE`]).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.min(LONGEST);
        self
    }

    /// Releases a claim whose answer was lost (only if the claim is still that one).
    /// Tried until Redis answers or the claim would have lapsed anyway.
    async fn give_up(self, key: String, token: ClaimToken) {
        let started = tokio::time::Instant::now();
        let mut wait = Duration::from_millis(100);
        while started.elapsed() < self.lease {
            tokio::time::sleep(wait).await;
            if self.release(&key, &token).await.is_ok() {
                return;
            }
            wait = (wait * 2).min(Duration::from_secs(5));
        }
    }

    /// Its connection, shared with a tracker's book.
    #[allow(dead_code)] // used by the tracker's book only
    pub(crate) fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
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

impl DedupStore for RedisStore {
    fn claim<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let token = new_token();
            let held: String = match redis::Script::new(CLAIM)
                .key(self.key(key))
                .arg(millis(self.lease))
                .arg(token.as_str())
                .invoke_async(&mut connection)
                .await
            {
                Ok(held) => held,
                Err(err) => {
                    // The claim may have been made although its answer was lost (Redis went
                    // down in between): it is given up once Redis answers again, rather
                    // than blocking the event's redeliveries for a whole lease.
                    tokio::spawn(self.clone().give_up(key.to_owned(), token));
                    return Err(failed(err));
                }
            };
            Ok(match held.as_str() {
                "new" => Claim::New(token),
                "done" => Claim::Duplicate,
                _ => Claim::InFlight,
            })
        })
    }

    fn renew<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::Script::new(RENEW)
                .key(self.key(key))
                .arg(millis(self.lease))
                .arg(token.as_str())
                .invoke_async::<i64>(&mut connection)
                .await
                .map(|renewed| renewed == 1)
                .map_err(failed)
        })
    }

    fn commit<'a>(
        &'a self,
        key: &'a str,
        _token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::cmd("SET")
                .arg(self.key(key))
                .arg("done")
                .arg("PX")
                .arg(millis(self.keep))
                .query_async::<()>(&mut connection)
                .await
                .map_err(failed)
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::Script::new(RELEASE)
                .key(self.key(key))
                .arg(token.as_str())
                .invoke_async::<i64>(&mut connection)
                .await
                .map(|_| ())
                .map_err(failed)
        })
    }

    fn claim_lease(&self) -> Duration {
        self.lease
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
