//! The client: merchant credentials, the clock for the hash, transport settings, the calls.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use ramp_core::SecretString;
use ramp_core::http::{ApiError, HttpClient, HttpClientBuilder, Request, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::MERCHANT_SECRET;
use crate::{AuthHash, Error, Order, OrderReport, OrderRequest, Quote, QuoteRequest};

/// The header carrying the authorization hash.
pub const HASH_HEADER: &str = "Hash";

/// The result code of a successful call.
pub const SUCCESS_CODE: &str = "00";

type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// A Koinal Checkout client. Cheap to clone; build one per process and reuse it.
///
/// Every call carries a fresh [`AuthHash`] for the customer it is about, stamped with the
/// current Unix time in seconds.
///
/// ```no_run
/// use ramp_koinal::{Client, Decimal, QuoteRequest, Url, secret_from_env};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder(
///     Url::parse(&std::env::var("KOINAL_BASE_URL")?)?, // from onboarding
///     1000,                                            // your merchant code
///     secret_from_env("KOINAL_SECRET")?,
/// )
/// .build()?;
/// let quote = client
///     .quote("User1", &QuoteRequest::builder()
///         .cryptocurrency("BTC")
///         .currency("USD")
///         .currency_amount(Decimal::from(1000))
///         .build()?)
///     .await?;
/// let order = client
///     .create_order("User1", &quote.order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").build()?)
///     .await?;
/// println!("send the customer to {}", order.checkout_url);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    http: HttpClient,
    merchant_code: u64,
    secret: SecretString,
    clock: Clock,
    strict_addresses: bool,
}

impl Client {
    /// A builder for the base URL from onboarding (there is no public default), the merchant
    /// code and the merchant secret.
    pub fn builder(base_url: Url, merchant_code: u64, secret: SecretString) -> ClientBuilder {
        ClientBuilder {
            http: HttpClient::builder(base_url, ramp_core::user_agent!())
                .request_id_header("x-request-id"),
            merchant_code,
            secret,
            clock: Arc::new(unix_now),
            strict_addresses: false,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }

    /// The merchant code.
    pub fn merchant_code(&self) -> u64 {
        self.merchant_code
    }

    /// The authorization hash for `customer_reference`, stamped now.
    pub fn auth_hash(&self, customer_reference: &str) -> Result<AuthHash, Error> {
        if customer_reference.trim().is_empty() {
            return Err(Error::validation("customer_reference", "must not be empty"));
        }
        let timestamp = (self.clock)().to_string();
        AuthHash::new(
            self.merchant_code,
            customer_reference,
            &timestamp,
            &self.secret,
        )
    }

    fn signed(&self, request: Request, customer_reference: &str) -> Result<Request, Error> {
        let hash = SecretString::from(self.auth_hash(customer_reference)?.to_header_value());
        Ok(request.sensitive_header(HASH_HEADER, &hash))
    }

    /// Gets a quote for `customer_reference` (your id of the end user): `POST /quotes`.
    ///
    /// A quote commits to nothing, so the call is retried like a read on timeouts and 5xx
    /// answers.
    pub async fn quote(
        &self,
        customer_reference: &str,
        request: &QuoteRequest,
    ) -> Result<Quote, Error> {
        let call = Request::post("quotes")
            .json_body(request.to_body())
            .idempotent(true);
        let call = self.signed(call, customer_reference)?;
        decode(self.http.send(call).await?)
    }

    /// Creates an order from a quote: `POST /orders` with the quote token as `Authorization`.
    ///
    /// Redirect the customer to the returned [`Order::checkout_url`]. The call creates an
    /// order, so it is retried only when the request never reached Koinal.
    pub async fn create_order(
        &self,
        customer_reference: &str,
        request: &OrderRequest,
    ) -> Result<Order, Error> {
        let network = request
            .cryptocurrency()
            .and_then(ramp_address::family_of_crypto)
            .map_or(request.cryptocurrency().unwrap_or(""), |family| {
                family.name()
            });
        let policy = ramp_address::Policy::default().strict(self.strict_addresses);
        ramp_address::check(network, request.wallet_address(), policy)
            .map_err(|err| Error::validation("wallet_address", err.to_string()))?;
        let call = Request::post("orders")
            .sensitive_header("Authorization", &SecretString::from(request.token()))
            .json_body(request.to_body());
        let call = self.signed(call, customer_reference)?;
        decode(self.http.send(call).await?)
    }

    /// The status of an order: `GET /orders/{id}/status`. Safe to retry.
    pub async fn order_status(
        &self,
        customer_reference: &str,
        order_id: &str,
    ) -> Result<OrderReport, Error> {
        if order_id.trim().is_empty() {
            return Err(Error::validation("order_id", "must not be empty"));
        }
        let call = Request::get("orders").segment(order_id).segment("status");
        let call = self.signed(call, customer_reference)?;
        decode(self.http.send(call).await?)
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or(0)
}

/// The envelope's result fields, read before (and without) the data.
#[derive(Deserialize)]
struct Head {
    #[serde(default, deserialize_with = "code")]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The envelope with its data.
#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

/// A code written as a string (`"00"`) or, defensively, a number.
fn code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Text(String),
        Number(i64),
    }
    Ok(Option::<Code>::deserialize(d)?.map(|code| match code {
        Code::Text(text) => text,
        Code::Number(number) => number.to_string(),
    }))
}

/// `{data, code, message, status}`: code `"00"` with a 2xx is success and `data` is decoded;
/// any other code, or an HTTP error carrying the envelope, is [`ErrorKind::Api`](crate::ErrorKind::Api); anything else
/// is the generic status error with a snippet of the body.
fn decode<T: DeserializeOwned>(response: Response) -> Result<T, Error> {
    let head = serde_json::from_slice::<Head>(response.body()).ok();
    let api_error = |code: String, message: Option<String>| {
        Error::from(
            ApiError::from_response(crate::error::PROVIDER, &response)
                .code(code)
                .message(message.unwrap_or_default()),
        )
    };
    match head {
        Some(Head {
            code: Some(code),
            message,
        }) if code != SUCCESS_CODE || !response.status().is_success() => {
            Err(api_error(code, message))
        }
        _ if !response.status().is_success() => Err(response.status_error().into()),
        _ => Ok(response.json::<Envelope<T>>()?.data),
    }
}

impl fmt::Debug for Client {
    /// The base URL and merchant code; the secret prints as `[REDACTED]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.http.base_url().as_str())
            .field("merchant_code", &self.merchant_code)
            .field("secret", &"[REDACTED]")
            .finish()
    }
}

/// Configures a [`Client`]. Defaults: 10 s to connect, 30 s per attempt, up to 3 attempts
/// with jittered exponential backoff, the system clock.
pub struct ClientBuilder {
    http: HttpClientBuilder,
    merchant_code: u64,
    secret: SecretString,
    clock: Clock,
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

    /// The clock the hash's timestamp comes from, as Unix seconds (for tests).
    pub fn clock(mut self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Refuses an order whose cryptocurrency does not say what its address looks like (a
    /// token such as `USDT`, or none given); off by default, when such an address passes
    /// unchecked. For a native coin (`BTC`, `ETH`, `SOL`, `TRX`, ...) the wallet address is
    /// always checked before anything is sent, and an invalid one is [`ErrorKind::Validation`](crate::ErrorKind::Validation)
    /// for `wallet_address`.
    pub fn strict_addresses(mut self, strict: bool) -> Self {
        self.strict_addresses = strict;
        self
    }

    /// Builds the client; a secret that is empty or whitespace only is
    /// [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret), and an invalid base URL is an error too.
    pub fn build(self) -> Result<Client, Error> {
        ramp_core::require_secret(MERCHANT_SECRET, &self.secret)?;
        Ok(Client {
            http: self.http.build()?,
            merchant_code: self.merchant_code,
            secret: self.secret,
            clock: self.clock,
            strict_addresses: self.strict_addresses,
        })
    }
}
