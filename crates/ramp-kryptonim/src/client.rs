//! The client: credentials, transport settings and the two operations.

use std::fmt;

use ramp_core::SecretString;
use ramp_core::http::{HttpClient, HttpClientBuilder, Request, Response};
use url::Url;

use crate::testnet;
use crate::{Error, Quote, QuoteRequest, WidgetSession, WidgetSessionRequest, sign_body};

/// The header carrying the API key.
pub const API_KEY_HEADER: &str = "X-API-Key";
/// The header carrying the body signature.
pub const SIGNATURE_HEADER: &str = "X-Request-Signature";

/// A Kryptonim API client. Cheap to clone (the connection pool is shared); build one per
/// process and reuse it.
///
/// ```no_run
/// use ramp_kryptonim::{Client, Decimal, SecretString, Url, WidgetSessionRequest};
///
/// # async fn run() -> Result<(), ramp_kryptonim::Error> {
/// let client = Client::builder(
///     Url::parse("https://api.example-kryptonim-host.com/").unwrap(), // from onboarding
///     SecretString::from(std::env::var("KRYPTONIM_API_KEY").unwrap_or_default()),
///     SecretString::from(std::env::var("KRYPTONIM_SIGNATURE_SECRET").unwrap_or_default()),
/// )
/// .build()?;
/// let request = WidgetSessionRequest::builder()
///     .fiat_amount(Decimal::from(15))
///     .fiat_currency("EUR")
///     .crypto_currency("USDC")
///     .network("polygon")
///     .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
///     .build()?;
/// let session = client.create_widget_session(&request).await?;
/// println!("send the user to {}", session.widget_url);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    http: HttpClient,
    signature_secret: SecretString,
    testnet: bool,
    strict_addresses: bool,
}

impl Client {
    /// A builder for the base URL Kryptonim handed out at onboarding (there is no public
    /// default), the API key and the signature secret.
    pub fn builder(
        base_url: Url,
        api_key: SecretString,
        signature_secret: SecretString,
    ) -> ClientBuilder {
        ClientBuilder {
            http: HttpClient::builder(base_url, ramp_core::user_agent!())
                .request_id_header("x-request-id"),
            api_key,
            signature_secret,
            testnet: false,
            strict_addresses: false,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }

    /// Whether the testnet limits are checked before sending.
    pub fn is_testnet(&self) -> bool {
        self.testnet
    }

    /// Creates a widget session: `POST /v1/widget-sessions`, the body signed with
    /// `X-Request-Signature`.
    ///
    /// The body is serialized once ([`WidgetSessionRequest::to_body`]); those bytes are signed
    /// and sent. The call creates a session, so it is retried only when the request never
    /// reached Kryptonim (the connection was refused or timed out); after any other failure,
    /// retrying may create a second session.
    pub async fn create_widget_session(
        &self,
        request: &WidgetSessionRequest,
    ) -> Result<WidgetSession, Error> {
        if self.testnet {
            testnet::check_widget_session(request)?;
        }
        self.check_address(request.network(), request.destination_address())?;
        let body = request.to_body();
        let signature = sign_body(&body, &self.signature_secret)?;
        let call = Request::post("v1/widget-sessions")
            .header(SIGNATURE_HEADER, &signature)
            .json_body(body);
        decode(self.http.send(call).await?)
    }

    /// Prices a purchase: `POST /v1/quotes`, one quote per available payment method.
    ///
    /// Kryptonim documents no signature for this call, so none is sent. Asking for a quote
    /// changes nothing, so the call is retried like a read on timeouts and 5xx answers.
    pub async fn quotes(&self, request: &QuoteRequest) -> Result<Vec<Quote>, Error> {
        if self.testnet {
            testnet::check_quote(request)?;
        }
        let call = Request::post("v1/quotes")
            .json_body(request.to_body())
            .idempotent(true);
        decode(self.http.send(call).await?)
    }
}

impl Client {
    /// `destinationAddress` checked for `network` before anything is signed (see
    /// [`ClientBuilder::strict_addresses`]).
    fn check_address(&self, network: &str, address: &str) -> Result<(), Error> {
        let policy = ramp_address::Policy::default()
            .strict(self.strict_addresses)
            .testnet(self.testnet);
        ramp_address::check(network, address, policy)
            .map(|_| ())
            .map_err(|err| Error::validation("destinationAddress", err.to_string()))
    }
}

/// A 2xx body decoded as `T`; any other status as Kryptonim's error body, or failing that the
/// generic status error with a snippet of what came back.
fn decode<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, Error> {
    response.decode(crate::error::api_error)
}

impl fmt::Debug for Client {
    /// The base URL and mode; the credentials print as `[REDACTED]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.http.base_url().as_str())
            .field("testnet", &self.testnet)
            .field("api_key", &"[REDACTED]")
            .field("signature_secret", &"[REDACTED]")
            .finish()
    }
}

/// Configures a [`Client`]. Defaults: 10 s to connect, 30 s per attempt, up to 3 attempts
/// with jittered exponential backoff, testnet limits off.
pub struct ClientBuilder {
    http: HttpClientBuilder,
    api_key: SecretString,
    signature_secret: SecretString,
    testnet: bool,
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

    /// Checks the testnet's documented limits before sending (only USDC, USDT and MATIC; only
    /// `polygon` or `80002`; only `card` and `bank_transfer`), so a request the testnet would
    /// fail is refused locally with [`ErrorKind::TestnetLimit`](crate::ErrorKind::TestnetLimit). Off by default.
    pub fn testnet(mut self, testnet: bool) -> Self {
        self.testnet = testnet;
        self
    }

    /// Refuses a request whose `network` is not one whose addresses can be checked (off by
    /// default: such an address passes unchecked). The address of a network that is known
    /// (every EVM chain, Bitcoin, Tron, Solana; see `ramp_address::family_of`) is always
    /// checked before anything is signed, and an invalid one is [`ErrorKind::Validation`](crate::ErrorKind::Validation) for
    /// `destinationAddress`, with no request sent.
    pub fn strict_addresses(mut self, strict: bool) -> Self {
        self.strict_addresses = strict;
        self
    }

    /// Builds the client. An API key or signature secret that is empty or whitespace only is
    /// [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret); an invalid base URL or API key (not a valid header value) is an
    /// error too.
    pub fn build(self) -> Result<Client, Error> {
        ramp_core::require_secret("Kryptonim API key", &self.api_key)?;
        ramp_core::require_secret("Kryptonim signature secret", &self.signature_secret)?;
        let http = self
            .http
            .sensitive_header(API_KEY_HEADER, &self.api_key)
            .build()?;
        Ok(Client {
            http,
            signature_secret: self.signature_secret,
            testnet: self.testnet,
            strict_addresses: self.strict_addresses,
        })
    }
}
