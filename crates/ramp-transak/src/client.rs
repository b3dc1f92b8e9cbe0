//! The client: credentials, the managed access token, and the calls.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ramp_core::http::{HttpClient, HttpClientBuilder, Request, Response, StatusCode};
use ramp_core::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::token::{Clock, expiry, far_future, system_clock, unix_time};
use crate::token_manager::{Fetch, Lease, TokenManager};
use crate::widget::WIDGET_URL_LIFETIME;
use crate::{
    AccessToken, Environment, Error, MemoryTokenStore, Order, PriceQuote, PriceQuoteRequest,
    TokenStore, WebhookEvent, WidgetParams, WidgetUrl,
};

/// The response header read as the request id of an error. Transak does not document one;
/// `x-request-id` is read when present.
const REQUEST_ID_HEADER: &str = "x-request-id";

/// How long before `expiresAt` a cached token is replaced, by default.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A Transak client. Cheap to clone (clones share the token); build one per process and reuse
/// it. It manages the partner access token for you (see [`crate::token`]).
///
/// ```no_run
/// use ramp_transak::{Client, Environment, WidgetParams, secret_from_env};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder(
///     Environment::Staging,
///     secret_from_env("TRANSAK_API_KEY")?,
///     secret_from_env("TRANSAK_API_SECRET")?,
/// )
/// .referrer_domain("yourdomain.com")
/// .build()?;
/// let widget = client
///     .create_widget_url(
///         &WidgetParams::builder()
///             .crypto_currency_code("ETH")
///             .fiat_currency("EUR")
///             .build()?,
///     )
///     .await?;
/// println!("load the widget from {} (single use, 5 minutes)", widget.url);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    api: HttpClient,
    gateway: HttpClient,
    api_key: SecretString,
    referrer_domain: Option<String>,
    tokens: Arc<TokenManager>,
    clock: Clock,
    webhook_leeway: Duration,
    addresses: ramp_address::Policy,
}

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
        ClientBuilder {
            api: HttpClient::builder(environment.api(), agent).request_id_header(REQUEST_ID_HEADER),
            gateway: HttpClient::builder(environment.gateway(), agent)
                .request_id_header(REQUEST_ID_HEADER),
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

    /// Creates a widget URL: `POST /api/v2/auth/session` on the gateway host.
    ///
    /// The parameters get the client's API key and referrer domain where unset and are
    /// validated before anything is sent. The URL is single-use and expires 5 minutes after
    /// creation. A 401 on a cached token refreshes the token once and repeats the call once.
    pub async fn create_widget_url(&self, params: &WidgetParams) -> Result<WidgetUrl, Error> {
        self.widget_url(params, None).await
    }

    /// [`create_widget_url`](Self::create_widget_url) for integrations through Transak's user
    /// authentication APIs: also sends the user's token as `authorization`.
    pub async fn create_widget_url_for_user(
        &self,
        params: &WidgetParams,
        user_authorization: &SecretString,
    ) -> Result<WidgetUrl, Error> {
        self.widget_url(params, Some(user_authorization)).await
    }

    async fn widget_url(
        &self,
        params: &WidgetParams,
        user_authorization: Option<&SecretString>,
    ) -> Result<WidgetUrl, Error> {
        let params = params.completed(
            self.api_key.expose_secret(),
            self.referrer_domain.as_deref(),
        )?;
        params.check_addresses(self.addresses)?;
        let body = serde_json::to_vec(&SessionBody {
            widget_params: &params,
        })
        .map_err(|err| Error::Validation {
            field: "widgetParams",
            reason: err.to_string(),
        })?;
        let call = move |token: &SecretString| {
            let mut call = Request::post("api/v2/auth/session")
                .sensitive_header("access-token", token)
                .json_body(body.clone());
            if let Some(user) = user_authorization {
                call = call.sensitive_header("authorization", user);
            }
            call
        };
        let data: WidgetUrlData = self.with_token(&self.gateway, call).await?;
        let now = unix_time(&self.clock);
        Ok(WidgetUrl {
            url: data.widget_url,
            expires_at: crate::token::offset_date_time(
                now.checked_add(WIDGET_URL_LIFETIME).unwrap_or(now),
            ),
        })
    }

    /// An order: `GET /partners/api/v2/order/{orderId}` on the API host. Safe to retry.
    pub async fn order(&self, order_id: &str) -> Result<Order, Error> {
        if order_id.trim().is_empty() {
            return Err(Error::Validation {
                field: "orderId",
                reason: "must not be empty".into(),
            });
        }
        let call = |token: &SecretString| {
            Request::get("partners/api/v2/order")
                .segment(order_id)
                .sensitive_header("access-token", token)
        };
        self.with_token(&self.api, call).await
    }

    /// A price quote: `GET /api/v1/pricing/public/quotes` on the API host, with the client's
    /// API key as `partnerApiKey`. A public call: no access token is fetched or sent. Safe to
    /// retry. Show it before opening the widget; the widget prices the order again.
    pub async fn price_quote(&self, request: &PriceQuoteRequest) -> Result<PriceQuote, Error> {
        let mut call = Request::get("api/v1/pricing/public/quotes")
            .query("partnerApiKey", self.api_key.expose_secret())
            .header("accept", "application/json");
        for (key, value) in request.query_pairs() {
            call = call.query(key, &value);
        }
        let response = self.api.send(call).await?;
        if response.status().is_success() {
            return Ok(response.json::<PublicData<PriceQuote>>()?.response);
        }
        decode::<PriceQuote>(response)
    }

    /// Verifies a webhook with the tokens this client knows: the current one and, after a
    /// refresh in this process, the one it replaced. See [`crate::webhook::verify`].
    pub async fn verify_webhook(&self, raw_body: &[u8]) -> Result<WebhookEvent, Error> {
        let tokens = self.tokens.webhook_tokens().await?;
        let tokens: Vec<&SecretString> = tokens.iter().collect();
        crate::webhook::verify_at(
            raw_body,
            &tokens,
            unix_time(&self.clock),
            self.webhook_leeway,
        )
    }

    /// The current access token, fetching one if there is none usable (for a process that
    /// refreshes on behalf of others; see [`crate::token`]).
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        Ok(self.tokens.token().await?.token)
    }

    /// Sends `call` with a token; on a 401 with a cached token, replaces the token once and
    /// sends once more.
    async fn with_token<T: DeserializeOwned>(
        &self,
        http: &HttpClient,
        call: impl Fn(&SecretString) -> Request,
    ) -> Result<T, Error> {
        let Lease { token, fresh } = self.tokens.token().await?;
        let response = http.send(call(token.secret())).await?;
        if response.status() != StatusCode::UNAUTHORIZED || fresh || !self.tokens.can_refresh() {
            return decode(response);
        }
        let Lease { token, .. } = self.tokens.replace(token.secret()).await?;
        decode(http.send(call(token.secret())).await?)
    }
}

/// The body of `POST /api/v2/auth/session`, serialized straight from the typed parameters
/// (through a `serde_json::Value` the exact amounts would become doubles).
#[derive(serde::Serialize)]
struct SessionBody<'a> {
    #[serde(rename = "widgetParams")]
    widget_params: &'a WidgetParams,
}

#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

/// `{"response": T}`, the envelope of Transak's public endpoints.
#[derive(Deserialize)]
struct PublicData<T> {
    response: T,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WidgetUrlData {
    widget_url: Url,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenData {
    access_token: String,
    expires_at: u64,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorFields {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error_code: Option<i64>,
}

/// `{"data": T}` from a 2xx; Transak's `{"error": {...}}` as [`Error::Api`]; anything else as
/// the generic status error with a snippet.
fn decode<T: DeserializeOwned>(response: Response) -> Result<T, Error> {
    if response.status().is_success() {
        return Ok(response.json::<Data<T>>()?.data);
    }
    match serde_json::from_slice::<ErrorBody>(response.body()) {
        Ok(body) => Err(Error::Api {
            status: response.status(),
            code: body.error.error_code.unwrap_or(0),
            message: body.error.message.unwrap_or_default(),
            request_id: response.request_id().map(str::to_owned),
            retry_after: response.retry_after(),
        }),
        Err(_) => Err(Error::Http(response.status_error())),
    }
}

impl fmt::Debug for Client {
    /// The hosts and referrer domain; the key, secret and token print as `[REDACTED]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.api.base_url().as_str())
            .field("gateway", &self.gateway.base_url().as_str())
            .field("referrer_domain", &self.referrer_domain)
            .field("api_key", &"[REDACTED]")
            .finish_non_exhaustive()
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

ramp_core::client_settings!(ClientBuilder { api, gateway });

impl ClientBuilder {
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
    /// or a fixed access token that is empty or whitespace only is [`Error::EmptySecret`]; an
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
                .json_body(body.into_bytes());
            let data: TokenData = decode(api.send(call).await?)?;
            Ok(AccessToken::expiring(
                SecretString::from(data.access_token),
                expiry(data.expires_at),
            ))
        })
    })
}
