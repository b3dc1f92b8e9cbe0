//! Configuring a [`Client`]: hosts, credentials, the token store, timeouts and retries.

use std::sync::Arc;
use std::time::Duration;

use ramp_core::http::{HttpClient, HttpClientBuilder, Request};
use ramp_core::{ExposeSecret, SecretString};
use url::Url;

use crate::client::{
    API_KEY_HEADER, Client, DEFAULT_REFRESH_MARGIN, Data, REQUEST_ID_HEADER, TokenData, decode,
};
use crate::token::{Clock, expiry, far_future, system_clock};
use crate::token_manager::{Fetch, TokenManager};
use crate::{AccessToken, Environment, Error, MemoryTokenStore, TokenStore};

impl Client {
    /// A builder for an environment, the API key and the API secret (which only ever goes to
    /// the token endpoint).
    pub fn builder(
        environment: Environment,
        api_key: SecretString,
        api_secret: SecretString,
    ) -> ClientBuilder {
        let agent = ramp_core::user_agent!();
        // Staging is Transak's test environment: testnet Bitcoin addresses there.
        let testnet = environment == Environment::Staging;
        // Every call carries the API key as `x-api-key` (mandatory since 15 July 2026).
        let host = |url: Url| {
            HttpClient::builder(url, agent)
                .request_id_header(REQUEST_ID_HEADER)
                .sensitive_header(API_KEY_HEADER, &api_key)
        };
        ClientBuilder {
            api: host(environment.api()),
            gateway: host(environment.gateway()),
            api_key,
            api_secret,
            referrer_domain: None,
            store: None,
            fixed_token: None,
            clock: Arc::new(system_clock),
            margin: DEFAULT_REFRESH_MARGIN,
            webhook_leeway: crate::webhook::DEFAULT_LEEWAY,
            addresses: ramp_address::Policy::default().testnet(testnet),
        }
    }
}

/// Configures a [`Client`]. Defaults: tokens in memory, refreshed 5 minutes before they
/// expire; 10 s to connect, 30 s per attempt, up to 3 attempts with jittered backoff.
pub struct ClientBuilder {
    api: HttpClientBuilder,
    gateway: HttpClientBuilder,
    api_key: SecretString,
    api_secret: SecretString,
    referrer_domain: Option<String>,
    store: Option<Arc<dyn TokenStore>>,
    fixed_token: Option<SecretString>,
    clock: Clock,
    margin: Duration,
    webhook_leeway: Duration,
    addresses: ramp_address::Policy,
}

impl ClientBuilder {
    /// Timeouts, the retry policy, your own `reqwest::Client` and your application's name in
    /// `User-Agent` ([`HttpConfig`](ramp_core::http::HttpConfig)), for calls to both hosts.
    /// What the config does not set keeps its default.
    pub fn http_config(mut self, config: ramp_core::http::HttpConfig) -> Self {
        self.api = self.api.config(&config);
        self.gateway = self.gateway.config(&config);
        self
    }

    /// Your domain (web) or app package name (mobile), sent as `referrerDomain` unless the
    /// parameters set one. Transak requires it.
    pub fn referrer_domain(mut self, domain: impl Into<String>) -> Self {
        self.referrer_domain = Some(domain.into());
        self
    }

    /// Where the access token is kept: share one store between instances so they share one
    /// token (see [`crate::token`]). In memory by default.
    pub fn token_store(mut self, store: impl TokenStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Uses this access token and never refreshes: for instances that get the token from a
    /// single place that refreshes it. A 401 is then returned as is.
    pub fn access_token(mut self, token: SecretString) -> Self {
        self.fixed_token = Some(token);
        self
    }

    /// How long before its expiry a cached token is replaced.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Refuses wallet addresses on networks whose addresses cannot be checked (off by
    /// default: such an address passes unchecked). `walletAddress` (for `network`, or else
    /// `cryptoCurrencyCode`) and every entry of `walletAddressesData` on a known network
    /// (every EVM chain, Bitcoin, Tron, Solana; see `ramp_address::family_of`) are always
    /// checked before anything is sent; on [`Environment::Staging`] Bitcoin addresses must be
    /// testnet ones.
    pub fn strict_addresses(mut self, strict: bool) -> Self {
        self.addresses = self.addresses.strict(strict);
        self
    }

    /// How far Transak's clock and yours may disagree when a webhook's `exp`, `nbf` and `iat`
    /// are checked (default [`webhook::DEFAULT_LEEWAY`](crate::webhook::DEFAULT_LEEWAY)).
    pub fn webhook_leeway(mut self, leeway: Duration) -> Self {
        self.webhook_leeway = leeway;
        self
    }

    /// The clock, as Unix seconds (for tests).
    pub fn clock(mut self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Builds the client. An API key, an API secret (unless a fixed access token is given)
    /// or a fixed access token that is empty or whitespace only is [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret); an
    /// invalid host is an error too.
    pub fn build(self) -> Result<Client, Error> {
        ramp_core::require_secret("Transak API key", &self.api_key)?;
        match &self.fixed_token {
            Some(token) => {
                ramp_core::require_secret("Transak access token", token)?;
            }
            None => {
                ramp_core::require_secret("Transak API secret", &self.api_secret)?;
            }
        }
        let api = self.api.build()?;
        let gateway = self.gateway.build()?;
        let (store, fetch): (Arc<dyn TokenStore>, Option<Fetch>) = match self.fixed_token {
            Some(token) => {
                // A fixed token never expires on our side; Transak's 401 says when it has.
                let store = MemoryTokenStore::holding(AccessToken::expiring(token, far_future()));
                (Arc::new(store), None)
            }
            None => (
                self.store
                    .unwrap_or_else(|| Arc::new(MemoryTokenStore::default())),
                Some(fetcher(api.clone(), self.api_key.clone(), self.api_secret)),
            ),
        };
        Ok(Client {
            api,
            gateway,
            api_key: self.api_key,
            referrer_domain: self.referrer_domain,
            tokens: Arc::new(TokenManager::new(
                store,
                fetch,
                Arc::clone(&self.clock),
                self.margin,
            )),
            clock: self.clock,
            webhook_leeway: self.webhook_leeway,
            addresses: self.addresses,
        })
    }
}

/// `POST /partners/api/v2/refresh-token` with `api-secret`, body `{"apiKey": ...}`.
fn fetcher(api: HttpClient, api_key: SecretString, api_secret: SecretString) -> Fetch {
    Arc::new(move || {
        let (api, api_key, api_secret) = (api.clone(), api_key.clone(), api_secret.clone());
        Box::pin(async move {
            let body = serde_json::json!({ "apiKey": api_key.expose_secret() }).to_string();
            let call = Request::post("partners/api/v2/refresh-token")
                .sensitive_header("api-secret", &api_secret)
                .header("accept", "application/json")
                .json_body(body.into_bytes())
                // The answer is the access token: no error may show it.
                .conceal_answer();
            let data = decode::<Data<TokenData>>(api.send(call).await?)?.data;
            Ok(AccessToken::expiring(
                SecretString::from(data.access_token),
                expiry(data.expires_at),
            ))
        })
    })
}
