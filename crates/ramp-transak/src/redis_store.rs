//! `RedisTokenStore` (feature `redis`): one access token for every replica, and one refresh
//! at a time among them.
//!
//! # What is in Redis
//!
//! Under `ramp:transak:<environment>:<fingerprint>:`, where the fingerprint is the start of
//! the SHA-256 of the API key (the key itself is never written):
//!
//! - `token`: the access token, its expiry and when it was issued, as JSON, expiring with the
//!   token;
//! - `lease`: the id of the replica refreshing now, `SET NX PX`: it expires on its own after
//!   the lease time if that replica dies, and only its owner deletes it (compare-and-delete in
//!   one Lua script);
//! - `saved`: a pub/sub channel on which a new token is announced, so waiting replicas take
//!   it at once instead of polling.
//!
//! # Who can read the token
//!
//! The token is a credential for your Transak account: anyone who can read the `token` key
//! can call Transak as you until it expires. Give this store a Redis user whose ACL allows
//! only the `ramp:transak:*` keys and the `saved` channel, keep that Redis off the public
//! network, and use `rediss://` (feature `redis-tls`) when it is not on the same host. This
//! crate never logs the token, and no `Debug` output shows it.
//!
//! # When Redis is unreachable
//!
//! A replica keeps the last token it saw, and uses it while it is valid, whatever the policy:
//! reading needs no Redis. What happens when a refresh is needed is the policy's
//! ([`WhenUnavailable`]):
//!
//! - [`FailClosed`](WhenUnavailable::FailClosed) (the default): the call fails with
//!   [`crate::ErrorKind::TokenStore`] and nothing is refreshed. A refresh made
//!   without the shared lease invalidates every other replica's token (Transak keeps one token
//!   per partner), which turns a Redis outage into 401s across the fleet, each replica
//!   refreshing in turn and invalidating the others. Failing closed keeps the damage to the
//!   calls that needed a new token, for as long as Redis is away.
//! - [`RefreshLocally`](WhenUnavailable::RefreshLocally): the replica refreshes on its own
//!   (one refresh at a time within the process) and logs a warning. Choose it for a single
//!   replica, or when availability of new sessions matters more than the other replicas'
//!   tokens.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt as _;
use ramp_core::{ExposeSecret, SecretString};
use redis::AsyncCommands as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::token::{AccessToken, BoxFuture, RefreshLease, StoreError, TokenStore};
use crate::{Environment, Error, ErrorKind};

/// The lease's lifetime by default: longer than a refresh takes (the token call's timeouts),
/// short enough that a replica that died mid-refresh is replaced within a minute.
pub const DEFAULT_LEASE_TTL: Duration = Duration::from_secs(60);

/// How long one Redis command may take before Redis counts as unreachable.
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_secs(2);

/// What a replica does when a refresh is needed and Redis cannot be reached; see the
/// [module docs](self).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum WhenUnavailable {
    /// Fail the call with a typed error; refresh nothing (the default).
    #[default]
    FailClosed,
    /// Refresh in this process alone, with a warning.
    RefreshLocally,
}

/// A [`TokenStore`] on Redis, shared by every replica of a service: see the
/// [module docs](self).
///
/// ```no_run
/// use ramp_transak::{Client, Environment, secret_from_env};
/// use ramp_transak::redis_store::{RedisTokenStore, WhenUnavailable};
///
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let api_key = secret_from_env("TRANSAK_API_KEY")?;
/// let store = RedisTokenStore::builder("redis://transak-tokens.internal:6379/")
///     .when_unavailable(WhenUnavailable::FailClosed)
///     .build(&Environment::Production, &api_key)?;
/// let client = Client::builder(Environment::Production, api_key, secret_from_env("TRANSAK_API_SECRET")?)
///     .referrer_domain("yourdomain.com")
///     .token_store(store)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct RedisTokenStore {
    client: redis::Client,
    connection: tokio::sync::Mutex<Option<ConnectionManager>>,
    keys: Keys,
    owner: String,
    lease_ttl: Duration,
    timeout: Duration,
    when_unavailable: WhenUnavailable,
    /// The last token this replica loaded or saved: used while Redis is unreachable.
    last: Mutex<Option<AccessToken>>,
}

struct Keys {
    token: String,
    previous: String,
    lease: String,
    saved: String,
}

/// Configures a [`RedisTokenStore`].
#[derive(Clone)]
pub struct RedisTokenStoreBuilder {
    url: String,
    lease_ttl: Duration,
    timeout: Duration,
    when_unavailable: WhenUnavailable,
}

impl RedisTokenStore {
    /// A builder for the Redis at `url` (`redis://host:port/db`, or `rediss://` with the
    /// `redis-tls` feature).
    pub fn builder(url: impl Into<String>) -> RedisTokenStoreBuilder {
        RedisTokenStoreBuilder {
            url: url.into(),
            lease_ttl: DEFAULT_LEASE_TTL,
            timeout: DEFAULT_REDIS_TIMEOUT,
            when_unavailable: WhenUnavailable::default(),
        }
    }

    /// The key prefix in Redis (`ramp:transak:<environment>:<fingerprint>:`): no secret.
    pub fn namespace(&self) -> &str {
        self.keys
            .token
            .strip_suffix("token")
            .unwrap_or(&self.keys.token)
    }

    async fn connection(&self) -> redis::RedisResult<ConnectionManager> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let connection = tokio::time::timeout(
            self.timeout,
            self.client.get_connection_manager_with_config(config),
        )
        .await
        .map_err(|_| {
            redis::RedisError::from(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "connecting to Redis timed out",
            ))
        })??;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    fn remember(&self, token: Option<&AccessToken>) {
        if let (Some(token), Ok(mut last)) = (token, self.last.lock()) {
            *last = Some(token.clone());
        }
    }

    fn remembered(&self) -> Option<AccessToken> {
        self.last.lock().ok().and_then(|last| last.clone())
    }

    /// The error for an unreachable Redis when the policy fails closed.
    fn unavailable(&self, err: &redis::RedisError) -> StoreError {
        format!(
            "Redis is unreachable ({}); the policy is to fail closed, so no access token is \
             refreshed without the shared store",
            describe(err)
        )
        .into()
    }

    async fn load_from_redis(&self) -> redis::RedisResult<Option<AccessToken>> {
        let mut connection = self.connection().await?;
        let stored: Option<String> = connection.get(&self.keys.token).await?;
        Ok(stored.and_then(|json| decode(&json)))
    }
}

/// Compare-and-delete: the lease is deleted only by the replica that holds it.
const RELEASE: &str = r#"if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end"#;

impl TokenStore for RedisTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<AccessToken>, StoreError>> {
        Box::pin(async move {
            match self.load_from_redis().await {
                Ok(token) => {
                    self.remember(token.as_ref());
                    Ok(token)
                }
                // Reading needs no Redis: the last token this replica saw, while valid (the
                // client checks), whatever the policy.
                Err(err) if is_unreachable(&err) => Ok(self.remembered()),
                Err(err) => Err(format!("Redis refused the read: {}", describe(&err)).into()),
            }
        })
    }

    fn load_previous(&self) -> BoxFuture<'_, Result<Option<AccessToken>, StoreError>> {
        Box::pin(async move {
            self.previous_from_redis()
                .await
                .map_err(|err| format!("Redis refused the read: {}", describe(&err)).into())
        })
    }

    fn save(&self, token: AccessToken) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            let json = encode(&token)?;
            self.remember(Some(&token));
            let lifetime = token
                .expires_at_system()
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
                .max(Duration::from_secs(1));
            let result: redis::RedisResult<()> = async {
                let millis = u64::try_from(lifetime.as_millis()).unwrap_or(u64::MAX);
                self.save_rotating(&json, millis).await?;
                let mut connection = self.connection().await?;
                connection
                    .publish::<_, _, ()>(&self.keys.saved, "saved")
                    .await?;
                Ok(())
            }
            .await;
            match result {
                Ok(()) => Ok(()),
                Err(err) if is_unreachable(&err) => match self.when_unavailable {
                    WhenUnavailable::RefreshLocally => {
                        tracing::warn!(
                            error = %describe(&err),
                            "Redis is unreachable; the new Transak access token is kept in this process only"
                        );
                        Ok(())
                    }
                    WhenUnavailable::FailClosed => Err(self.unavailable(&err)),
                },
                Err(err) => Err(format!("Redis refused the write: {}", describe(&err)).into()),
            }
        })
    }

    fn try_lease(&self) -> BoxFuture<'_, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(async move {
            let result: redis::RedisResult<Option<String>> = async {
                let mut connection = self.connection().await?;
                redis::cmd("SET")
                    .arg(&self.keys.lease)
                    .arg(&self.owner)
                    .arg("NX")
                    .arg("PX")
                    .arg(u64::try_from(self.lease_ttl.as_millis()).unwrap_or(u64::MAX))
                    .query_async(&mut connection)
                    .await
            }
            .await;
            match result {
                Ok(Some(_)) => Ok(Some(RefreshLease::new(self.owner.clone()))),
                Ok(None) => Ok(None),
                Err(err) if is_unreachable(&err) => match self.when_unavailable {
                    WhenUnavailable::RefreshLocally => {
                        tracing::warn!(
                            error = %describe(&err),
                            "Redis is unreachable; refreshing the Transak access token in this process alone"
                        );
                        Ok(Some(RefreshLease::new(format!("{}:local", self.owner))))
                    }
                    WhenUnavailable::FailClosed => Err(self.unavailable(&err)),
                },
                Err(err) => Err(format!("Redis refused the lease: {}", describe(&err)).into()),
            }
        })
    }

    fn release(&self, lease: RefreshLease) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            if lease.owner() != self.owner {
                // A local lease taken while Redis was unreachable: nothing to give back.
                return Ok(());
            }
            let result: redis::RedisResult<i64> = async {
                let mut connection = self.connection().await?;
                redis::Script::new(RELEASE)
                    .key(&self.keys.lease)
                    .arg(lease.owner())
                    .invoke_async(&mut connection)
                    .await
            }
            .await;
            match result {
                Ok(_) => Ok(()),
                // The lease expires on its own.
                Err(err) if is_unreachable(&err) => Ok(()),
                Err(err) => Err(format!("Redis refused the release: {}", describe(&err)).into()),
            }
        })
    }

    fn wait_for_token<'a>(
        &'a self,
        other_than: Option<&'a SecretString>,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>> {
        Box::pin(async move {
            let newer = |token: &AccessToken| other_than.is_none_or(|other| !token.same_as(other));
            let waited: redis::RedisResult<Option<AccessToken>> = async {
                let mut pubsub = tokio::time::timeout(self.timeout, self.client.get_async_pubsub())
                    .await
                    .map_err(|_| {
                        redis::RedisError::from(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            "subscribing timed out",
                        ))
                    })??;
                pubsub.subscribe(&self.keys.saved).await?;
                // Subscribed first, then looked: a token saved in between is not missed.
                if let Some(token) = self.load_from_redis().await?.filter(|t| newer(t)) {
                    return Ok(Some(token));
                }
                let mut messages = pubsub.into_on_message();
                let deadline = tokio::time::Instant::now() + self.lease_ttl;
                loop {
                    match tokio::time::timeout_at(deadline, messages.next()).await {
                        Ok(Some(_)) => {
                            if let Some(token) = self.load_from_redis().await?.filter(|t| newer(t))
                            {
                                return Ok(Some(token));
                            }
                        }
                        // The stream ended (connection lost) or the lease's time is up.
                        Ok(None) | Err(_) => {
                            return self.load_from_redis().await.map(|t| t.filter(|t| newer(t)));
                        }
                    }
                }
            }
            .await;
            match waited {
                Ok(token) => {
                    self.remember(token.as_ref());
                    Ok(token)
                }
                Err(err) if is_unreachable(&err) => match self.when_unavailable {
                    // The next round takes a local lease.
                    WhenUnavailable::RefreshLocally => Ok(None),
                    WhenUnavailable::FailClosed => Err(self.unavailable(&err)),
                },
                Err(err) => Err(format!("Redis refused the wait: {}", describe(&err)).into()),
            }
        })
    }
}

impl fmt::Debug for RedisTokenStore {
    /// The key prefix, lease time and policy; never the token or the Redis URL (which may hold
    /// a password).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("namespace", &self.namespace())
            .field("lease_ttl", &self.lease_ttl)
            .field("when_unavailable", &self.when_unavailable)
            .finish_non_exhaustive()
    }
}

mod builder;
mod previous;
pub use previous::PREVIOUS_GRACE;
mod stored;

use stored::{decode, describe, encode, is_unreachable};
