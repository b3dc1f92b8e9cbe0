//! The client: the client token, the Origin, transport settings, sessions and transactions.

use std::fmt;

use ramp_core::SecretString;
use ramp_core::http::{HttpClient, HttpClientBuilder, Request, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::{Error, SessionRequest, Transaction, WidgetSession};

/// A Proof client. Cheap to clone; build one per process and reuse it. Call it from your
/// backend only: the client token must never reach a browser.
///
/// ```no_run
/// use ramp_proof::{Client, Decimal, SessionRequest, Url, secret_from_env};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder(
///     Url::parse(&std::env::var("PROOF_BASE_URL")?)?, // production or sandbox, from onboarding
///     secret_from_env("PROOF_CLIENT_TOKEN")?,
/// )
/// .origin("https://app.example.com")
/// .build()?;
/// let session = client
///     .create_session(&SessionRequest::builder()
///         .partner_user_id("user-123")
///         .user_email("user@example.com")
///         .network("TRC20")
///         .currency("USDT")
///         .amount(Decimal::from(100))
///         .build()?)
///     .await?;
/// let config = session.widget_config(); // send to the browser for proofWidget.run(...)
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) http: HttpClient,
    pub(crate) origin: Option<String>,
    strict_addresses: bool,
}

impl Client {
    /// A builder for the base URL Proof handed out (production and sandbox differ; there is
    /// no default) and the client token, sent as `Authorization: Bearer <client_token>`.
    pub fn builder(base_url: Url, client_token: SecretString) -> ClientBuilder {
        ClientBuilder {
            http: HttpClient::builder(base_url, ramp_core::user_agent!())
                .request_id_header("x-request-id"),
            client_token,
            origin: None,
            strict_addresses: false,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }

    /// The `Origin` header sent, if any.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Creates a widget session: `POST /widget/session`.
    ///
    /// Proof documents one retryable answer for this call, 502 `upstream_error` /
    /// `provider_error` ("retry with the same body"): the client retries exactly that, with the
    /// same bytes and backoff. Any other failure is returned at once (or retried only if the
    /// request never left), because a retry could create a second session.
    pub async fn create_session(&self, request: &SessionRequest) -> Result<WidgetSession, Error> {
        if let Some(address) = request.address() {
            let policy = ramp_address::Policy::default().strict(self.strict_addresses);
            ramp_address::check(request.network(), address, policy)
                .map_err(|err| Error::validation("address", err.to_string()))?;
        }
        // The answer holds the single-use init token: no error may show it.
        let call = Request::post("widget/session")
            .json_body(request.to_body())
            .retry_when(is_provider_error)
            .conceal_answer();
        self.decode(self.http.send(call).await?)
    }

    /// The status of a transaction: `GET /widget/transactions/{merchant_transaction_id}`.
    /// Safe to retry.
    pub async fn transaction(&self, merchant_transaction_id: &str) -> Result<Transaction, Error> {
        if merchant_transaction_id.trim().is_empty() {
            return Err(Error::validation(
                "merchant_transaction_id",
                "must not be empty",
            ));
        }
        let call = Request::get("widget/transactions").segment(merchant_transaction_id);
        self.decode(self.http.send(call).await?)
    }

    /// A refused WebSocket upgrade: Proof's error shape as [`ErrorKind::Api`](crate::ErrorKind::Api), anything else
    /// as [`ErrorKind::UpgradeRefused`](crate::ErrorKind::UpgradeRefused).
    #[cfg(feature = "websocket")]
    pub(crate) fn refused_upgrade(
        &self,
        status: StatusCode,
        body: &[u8],
        request_id: Option<String>,
    ) -> Error {
        match crate::error::api_error(status, body, self.origin.as_deref()) {
            Some(api) => match request_id {
                Some(id) => api.request_id(id).into(),
                None => api.into(),
            },
            None => Error::from(crate::ErrorKind::UpgradeRefused {
                status,
                body: ramp_core::http::snippet(body),
            }),
        }
    }

    /// A 2xx body as `T`; Proof's error shape as [`ErrorKind::Api`](crate::ErrorKind::Api); anything else as the
    /// generic status error with a snippet.
    pub(crate) fn decode<T: DeserializeOwned>(&self, response: Response) -> Result<T, Error> {
        response.decode(|response| {
            let mut api = crate::error::api_error(
                response.status(),
                response.body(),
                self.origin.as_deref(),
            )?;
            api.request_id = response.request_id().map(str::to_owned);
            api.retry_after = response.retry_after();
            Some(api)
        })
    }
}

/// 502 `upstream_error` / `provider_error`: documented as safe to retry with the same body.
fn is_provider_error(status: StatusCode, body: &[u8]) -> bool {
    status == StatusCode::BAD_GATEWAY
        && crate::error::api_error(status, body, None).is_some_and(|api| {
            api.category.as_deref() == Some("upstream_error")
                || api.code.as_deref() == Some("provider_error")
        })
}

impl fmt::Debug for Client {
    /// The base URL and Origin; the client token prints as `[REDACTED]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.http.base_url().as_str())
            .field("origin", &self.origin)
            .field("client_token", &"[REDACTED]")
            .finish()
    }
}

/// Configures a [`Client`]. Defaults: no Origin, 10 s to connect, 30 s per attempt, up to 3
/// attempts with jittered exponential backoff.
pub struct ClientBuilder {
    http: HttpClientBuilder,
    client_token: SecretString,
    origin: Option<String>,
    strict_addresses: bool,
}

impl ClientBuilder {
    /// Timeouts, the retry policy, your own `reqwest::Client` and your application's name in
    /// `User-Agent` ([`HttpConfig`](ramp_core::http::HttpConfig)). What the config does not
    /// set keeps its default.
    pub fn http_config(mut self, config: ramp_core::http::HttpConfig) -> Self {
        self.http = self.http.config(&config);
        self
    }

    /// The `Origin` header to send. Proof rejects a session request whose Origin is not one of
    /// your registered origins with 403 `forbidden_origin`.
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// Refuses a session whose `network` is not one whose addresses can be checked (off by
    /// default: such an address passes unchecked). On a known network (`TRC20`, `ERC20`,
    /// `BEP20`, every EVM chain, Bitcoin, Solana; see `ramp_address::family_of`) the
    /// `address` is always checked before anything is sent, and an invalid one is
    /// [`ErrorKind::Validation`](crate::ErrorKind::Validation) for `address`.
    pub fn strict_addresses(mut self, strict: bool) -> Self {
        self.strict_addresses = strict;
        self
    }

    /// Builds the client; a client token that is empty or whitespace only is
    /// [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret), and an invalid Origin or base URL is an error too.
    pub fn build(self) -> Result<Client, Error> {
        let token = ramp_core::require_secret("Proof client token", &self.client_token)?.trim();
        let bearer = SecretString::from(format!("Bearer {token}"));
        let mut http = self.http.sensitive_header("Authorization", &bearer);
        if let Some(origin) = &self.origin {
            http = http.default_header("Origin", origin);
        }
        Ok(Client {
            http: http.build()?,
            origin: self.origin,
            strict_addresses: self.strict_addresses,
        })
    }
}
