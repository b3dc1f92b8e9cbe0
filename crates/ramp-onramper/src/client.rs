//! The client: the API key, the Signature V2 key, the host, and how answers are decoded.

use std::fmt;
use std::sync::Arc;

use ramp_core::SecretString;
use ramp_core::http::{ApiError, HttpClient, HttpClientBuilder, Response};
use ramp_onramper_sign::v2::SigningKey;
use serde::de::DeserializeOwned;
use url::Url;

use crate::Error;

/// The response header read as the request id of an error (Onramper does not document one).
const REQUEST_ID_HEADER: &str = "x-request-id";

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.onramper.com`, with `pk_prod_…` keys.
    Production,
    /// `https://api-stg.onramper.com`, with `pk_test_…` keys.
    Staging,
    /// Your own host: a proxy, or a local emulator in tests. Paths are joined below it, and
    /// the path that is signed is the API path (`/checkout/v2/intent`), not the prefix.
    Custom(Url),
}

impl Environment {
    /// The API host.
    ///
    /// ```
    /// use ramp_onramper::Environment;
    ///
    /// assert_eq!(Environment::Production.url().as_str(), "https://api.onramper.com/");
    /// assert_eq!(Environment::Staging.url().as_str(), "https://api-stg.onramper.com/");
    /// ```
    pub fn url(&self) -> Url {
        match self {
            Self::Production => known("https://api.onramper.com/"),
            Self::Staging => known("https://api-stg.onramper.com/"),
            Self::Custom(url) => url.clone(),
        }
    }
}

/// A URL constant of this file; the doc test above parses both, so the `expect` cannot fire
/// and no input reaches it.
#[allow(clippy::expect_used)]
fn known(url: &'static str) -> Url {
    Url::parse(url).expect("a constant Onramper URL parses")
}

/// An Onramper API client. Cheap to clone; build one per process and reuse it, on your
/// backend only (the API key and the signing key stay there).
///
/// ```no_run
/// use ramp_onramper::{Client, Environment, SigningKey, secret_from_env};
///
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder(Environment::Staging, secret_from_env("ONRAMPER_API_KEY")?)
///     .signing_key(SigningKey::from_env("ONRAMPER_SIGNING_KEY_PEM")?)
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) http: HttpClient,
    pub(crate) api_key: SecretString,
    pub(crate) key: Option<Arc<SigningKey>>,
    pub(crate) strict_addresses: bool,
}

impl Client {
    /// A builder for an environment and the API key (sent as `Authorization`, no `Bearer`).
    /// The checkout also needs the partner's Ed25519 key:
    /// [`signing_key`](ClientBuilder::signing_key).
    pub fn builder(environment: Environment, api_key: SecretString) -> ClientBuilder {
        ClientBuilder {
            http: HttpClient::builder(environment.url(), ramp_core::user_agent!())
                .request_id_header(REQUEST_ID_HEADER),
            api_key,
            key: None,
            strict_addresses: false,
        }
    }

    /// The API host requests go to.
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }

    /// A 2xx body as `T`; an error body as [`ErrorKind::Api`](crate::ErrorKind::Api); anything else as the generic
    /// status error with a snippet.
    pub(crate) fn decode<T: DeserializeOwned>(&self, response: Response) -> Result<T, Error> {
        response.decode(|response| {
            let (code, message) = api_error(response.body())?;
            Some(
                ApiError::from_response(crate::error::PROVIDER, response)
                    .code(code)
                    .message(message),
            )
        })
    }
}

/// The code and message of an error body. Onramper's pages name the codes
/// (`SIGNATURE_INVALID`, `NONCE_REUSED`, ...) but not the body that carries them, so every
/// shape seen is read: `{"error": {"code", "message"}}`, `{"error": "CODE", "message"}`,
/// `{"code", "message"}`, `{"errorId", "message"}` and `{"message"}`.
fn api_error(body: &[u8]) -> Option<(String, String)> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let nested = value.get("error").filter(|e| e.is_object());
    let code = text(nested.and_then(|e| e.get("code")))
        .or_else(|| text(value.get("error")))
        .or_else(|| text(value.get("code")))
        .or_else(|| text(value.get("errorId")));
    let message =
        text(nested.and_then(|e| e.get("message"))).or_else(|| text(value.get("message")));
    if code.is_none() && message.is_none() {
        return None;
    }
    Some((code.unwrap_or_default(), message.unwrap_or_default()))
}

impl fmt::Debug for Client {
    /// The host; the API key and signing key print as `[REDACTED]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.http.base_url().as_str())
            .field("api_key", &"[REDACTED]")
            .field("key", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Defaults: 10 s to connect, 30 s per attempt, a 60 s deadline, up
/// to 3 attempts with jittered backoff (the checkout is retried only when it never left).
pub struct ClientBuilder {
    http: HttpClientBuilder,
    api_key: SecretString,
    key: Option<SigningKey>,
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

    /// The partner's Ed25519 private key, registered with Onramper for this environment: the
    /// checkout is always signed with it (Signature V2). Quotes and supported data are public
    /// calls and do not need it.
    pub fn signing_key(mut self, key: SigningKey) -> Self {
        self.key = Some(key);
        self
    }

    /// Refuses a checkout whose `network` is not one whose addresses can be checked (off by
    /// default: such an address passes unchecked). On a known network (every EVM chain,
    /// Bitcoin, Tron, Solana; see `ramp_address::family_of`) the wallet address is always
    /// checked before anything is signed, and an invalid one is [`ErrorKind::Validation`](crate::ErrorKind::Validation) for
    /// `wallet.address`.
    pub fn strict_addresses(mut self, strict: bool) -> Self {
        self.strict_addresses = strict;
        self
    }

    /// Builds the client; an API key that is empty or whitespace only is
    /// [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret), and an invalid host is an error too.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = ramp_core::require_secret("Onramper API key", &self.api_key)?.trim();
        let api_key = SecretString::from(api_key.to_owned());
        let http = self
            .http
            .sensitive_header("Authorization", &api_key)
            .build()?;
        Ok(Client {
            http,
            api_key,
            key: self.key.map(Arc::new),
            strict_addresses: self.strict_addresses,
        })
    }
}
