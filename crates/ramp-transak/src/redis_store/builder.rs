//! Configuring a [`RedisTokenStore`]: the lease, the timeouts, what to do when Redis is
//! unreachable, and the keys.

use super::*;

impl RedisTokenStoreBuilder {
    /// How long a refresh claim lasts before another replica may take over (default
    /// [`DEFAULT_LEASE_TTL`]). It must outlast a refresh: the token call's connect and
    /// request timeouts.
    pub fn lease_ttl(mut self, ttl: Duration) -> Self {
        self.lease_ttl = ttl;
        self
    }

    /// How long one Redis command may take before Redis counts as unreachable (default
    /// [`DEFAULT_REDIS_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// What to do when a refresh is needed and Redis cannot be reached (default
    /// [`WhenUnavailable::FailClosed`]).
    pub fn when_unavailable(mut self, policy: WhenUnavailable) -> Self {
        self.when_unavailable = policy;
        self
    }

    /// The store for the tokens of `api_key` on `environment`. Connecting happens on first
    /// use, so a service can start while Redis is down. An invalid URL or a blank API key is
    /// an error.
    pub fn build(
        self,
        environment: &Environment,
        api_key: &SecretString,
    ) -> Result<RedisTokenStore, Error> {
        let key = ramp_core::require_secret("Transak API key", api_key)?;
        let client = redis::Client::open(self.url.as_str()).map_err(|err| {
            Error::from(ErrorKind::TokenStore(format!(
                "invalid Redis URL: {:?}",
                err.kind()
            )))
        })?;
        let environment = match environment {
            Environment::Staging => "staging".to_owned(),
            Environment::Production => "production".to_owned(),
            Environment::Custom { api, .. } => {
                format!(
                    "custom-{}",
                    &ramp_core::sha256_hex(api.as_str().as_bytes())[..16]
                )
            }
        };
        let fingerprint = &ramp_core::sha256_hex(key.as_bytes())[..32];
        let prefix = format!("ramp:transak:{environment}:{fingerprint}:");
        let mut owner = [0u8; 16];
        getrandom::fill(&mut owner).map_err(|err| {
            Error::from(ErrorKind::TokenStore(format!(
                "no randomness for the lease owner: {err}"
            )))
        })?;
        Ok(RedisTokenStore {
            client,
            connection: tokio::sync::Mutex::new(None),
            keys: Keys {
                token: format!("{prefix}token"),
                previous: format!("{prefix}previous"),
                lease: format!("{prefix}lease"),
                saved: format!("{prefix}saved"),
            },
            owner: hex_of(&owner),
            lease_ttl: self.lease_ttl,
            timeout: self.timeout,
            when_unavailable: self.when_unavailable,
            last: Mutex::new(None),
        })
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl fmt::Debug for RedisTokenStoreBuilder {
    /// The settings; never the Redis URL (which may hold a password).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStoreBuilder")
            .field("lease_ttl", &self.lease_ttl)
            .field("timeout", &self.timeout)
            .field("when_unavailable", &self.when_unavailable)
            .finish_non_exhaustive()
    }
}
