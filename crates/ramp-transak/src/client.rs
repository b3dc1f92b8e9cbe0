//! The client: credentials, the managed access token, and the calls.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use ramp_core::http::{ApiError, HttpClient, Request, Response, StatusCode};
use ramp_core::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::token::{Clock, unix_time};
use crate::token_manager::{Lease, TokenManager};
use crate::widget::WIDGET_URL_LIFETIME;
use crate::{
    AccessToken, Error, ErrorKind, Order, PriceQuote, PriceQuoteRequest, WebhookEvent,
    WidgetParams, WidgetUrl,
};

/// The response header read as the request id of an error. Transak does not document one;
/// `x-request-id` is read when present.
pub(crate) const REQUEST_ID_HEADER: &str = "x-request-id";

/// The partner API key, on every call to Transak (docs.transak.com, "Mandatory security
/// changes", in force since 15 July 2026).
pub(crate) const API_KEY_HEADER: &str = "x-api-key";

/// The end user's IP, on every call made for an end user (same page).
const USER_IP_HEADER: &str = "x-user-ip";

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
/// # let user_ip = std::net::IpAddr::from([203, 0, 113, 9]);
/// // user_ip: the IP of the user's browser, as your backend sees it.
/// let widget = client
///     .create_widget_url(
///         &WidgetParams::builder()
///             .crypto_currency_code("ETH")
///             .fiat_currency("EUR")
///             .build()?,
///         user_ip,
///     )
///     .await?;
/// println!("load the widget from {} (single use, 5 minutes)", widget.url);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) api: HttpClient,
    pub(crate) gateway: HttpClient,
    pub(crate) api_key: SecretString,
    pub(crate) referrer_domain: Option<String>,
    pub(crate) tokens: Arc<TokenManager>,
    pub(crate) clock: Clock,
    pub(crate) webhook_leeway: Duration,
    pub(crate) addresses: ramp_address::Policy,
}

impl Client {
    /// Creates a widget URL: `POST /api/v2/auth/session` on the gateway host, for the end user
    /// at `user_ip`.
    ///
    /// The parameters get the client's API key and referrer domain where unset and are
    /// validated before anything is sent. The URL is single-use and expires 5 minutes after
    /// creation. A 401 on a cached token refreshes the token once and repeats the call once.
    ///
    /// # The user's IP
    ///
    /// Transak requires the IP of the end user on every call made for one (`x-user-ip`, since
    /// 15 July 2026), and the widget only opens for a browser at that IP: **a wrong IP makes
    /// Transak refuse the user.** Pass the address of the user's browser as your backend sees
    /// it: the peer address of the user's request when it reaches you directly, or, behind
    /// proxies and load balancers of your own, the entry of `X-Forwarded-For` that your
    /// outermost proxy appended (count from the right by the number of proxies you run;
    /// entries further left are written by the client and can be forged). Never your own
    /// server's address. `0.0.0.0` and `::` are refused with [`ErrorKind::Validation`](crate::ErrorKind::Validation) (field
    /// `x-user-ip`) and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(client: ramp_transak::Client) -> Result<(), ramp_transak::Error> {
    /// use std::net::{IpAddr, Ipv4Addr};
    ///
    /// let user_ip = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9)); // from the user's request
    /// let widget = client
    ///     .create_widget_url(&ramp_transak::WidgetParams::default(), user_ip)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_widget_url(
        &self,
        params: &WidgetParams,
        user_ip: IpAddr,
    ) -> Result<WidgetUrl, Error> {
        self.widget_url(params, user_ip, None).await
    }

    /// [`create_widget_url`](Self::create_widget_url) for integrations through Transak's user
    /// authentication APIs: also sends the user's token as `authorization`.
    pub async fn create_widget_url_for_user(
        &self,
        params: &WidgetParams,
        user_ip: IpAddr,
        user_authorization: &SecretString,
    ) -> Result<WidgetUrl, Error> {
        self.widget_url(params, user_ip, Some(user_authorization))
            .await
    }

    async fn widget_url(
        &self,
        params: &WidgetParams,
        user_ip: IpAddr,
        user_authorization: Option<&SecretString>,
    ) -> Result<WidgetUrl, Error> {
        let user_ip = user_ip_header(user_ip)?;
        let params = params.completed(
            self.api_key.expose_secret(),
            self.referrer_domain.as_deref(),
        )?;
        params.check_addresses(self.addresses)?;
        let body = serde_json::to_vec(&SessionBody {
            widget_params: &params,
        })
        .map_err(|err| {
            Error::from(ErrorKind::Validation {
                field: "widgetParams",
                reason: err.to_string(),
            })
        })?;
        let call = move |token: &SecretString| {
            // The answer is a single-use widget URL: no error may show it.
            let mut call = Request::post("api/v2/auth/session")
                .sensitive_header("access-token", token)
                .header(USER_IP_HEADER, &user_ip)
                .json_body(body.clone())
                .conceal_answer();
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
            return Err(Error::from(ErrorKind::Validation {
                field: "orderId",
                reason: "must not be empty".into(),
            }));
        }
        let call = |token: &SecretString| {
            Request::get("partners/api/v2/order")
                .segment(order_id)
                .sensitive_header("access-token", token)
                .header("accept", "application/json")
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
        if let Some(ip) = request.user_ip() {
            call = call.header(USER_IP_HEADER, &ip.to_string());
        }
        let response = self.api.send(call).await?;
        Ok(decode::<PublicData<PriceQuote>>(response)?.response)
    }

    /// A [`WebhookVerifier`](crate::WebhookVerifier) with the tokens this client knows now:
    /// the current one and, after a refresh, the one it replaced; the client's webhook leeway
    /// and clock (read at each verification). The tokens are those of this moment: take a new
    /// verifier for each delivery, or use [`verify_webhook`](Self::verify_webhook), which
    /// does. Never fetches a token: with none yet, it is
    /// [`ErrorKind::Webhook`](crate::ErrorKind::Webhook)`(`[`WebhookError::NoKey`](crate::WebhookError::NoKey)`)`.
    pub async fn webhook_verifier(&self) -> Result<crate::WebhookVerifier, Error> {
        let mut tokens = self.tokens.webhook_tokens().await?.into_iter();
        let Some(current) = tokens.next() else {
            return Err(crate::ErrorKind::Webhook(crate::WebhookError::NoKey(
                "no Transak access token yet: configure the token store this client shares \
                 with the process that creates widget URLs, or a fixed access token",
            ))
            .into());
        };
        let mut verifier = crate::WebhookVerifier::new(current)?;
        for previous in tokens {
            verifier = verifier.with_previous(previous)?;
        }
        Ok(verifier
            .leeway(self.webhook_leeway)
            .with_clock(self.clock.clone()))
    }

    /// Verifies a webhook with the tokens this client knows (see
    /// [`webhook_verifier`](Self::webhook_verifier)); a refusal is
    /// [`ErrorKind::Webhook`](crate::ErrorKind::Webhook) naming its cause.
    pub async fn verify_webhook(
        &self,
        raw_body: &[u8],
        headers: &crate::HeaderMap,
    ) -> Result<WebhookEvent, Error> {
        use ramp_core::webhook::Verify as _;
        let verifier = self.webhook_verifier().await?;
        verifier
            .verify(raw_body, headers)
            .map_err(|why| crate::ErrorKind::Webhook(why).into())
    }

    /// The current access token, fetching one if there is none usable (for a process that
    /// refreshes on behalf of others; see [`crate::token`]).
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        Ok(self.tokens.token().await?.token)
    }

    /// Sends `call` with a token and decodes Transak's `{"data": T}`; on a 401 with a cached
    /// token, replaces the token once and sends once more.
    pub(crate) async fn with_token<T: DeserializeOwned>(
        &self,
        http: &HttpClient,
        call: impl Fn(&SecretString) -> Request,
    ) -> Result<T, Error> {
        let response = self.send_with_token(http, call).await?;
        Ok(decode::<Data<T>>(response)?.data)
    }

    /// [`with_token`](Self::with_token), returning the answer as it came.
    pub(crate) async fn send_with_token(
        &self,
        http: &HttpClient,
        call: impl Fn(&SecretString) -> Request,
    ) -> Result<Response, Error> {
        let Lease { token, fresh } = self.tokens.token().await?;
        let response = http.send(call(token.secret())).await?;
        if response.status() != StatusCode::UNAUTHORIZED || fresh || !self.tokens.can_refresh() {
            return Ok(response);
        }
        let Lease { token, .. } = self.tokens.replace(token.secret()).await?;
        Ok(http.send(call(token.secret())).await?)
    }

    /// The API host's client.
    pub(crate) fn api(&self) -> &HttpClient {
        &self.api
    }
}

/// The `x-user-ip` value for an end user's IP: its text (`203.0.113.9`, `2001:db8::1`); the
/// unspecified addresses are refused, they name no user.
pub(crate) fn user_ip_header(ip: IpAddr) -> Result<String, Error> {
    Ok(ramp_core::validate::end_user_ip(USER_IP_HEADER, ip)?.to_string())
}

/// The body of `POST /api/v2/auth/session`, serialized straight from the typed parameters
/// (through a `serde_json::Value` the exact amounts would become doubles).
#[derive(serde::Serialize)]
struct SessionBody<'a> {
    #[serde(rename = "widgetParams")]
    widget_params: &'a WidgetParams,
}

#[derive(Deserialize)]
pub(crate) struct Data<T> {
    pub(crate) data: T,
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
pub(crate) struct TokenData {
    pub(crate) access_token: String,
    pub(crate) expires_at: u64,
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
    error_code: Option<serde_json::Value>,
    /// Some answers carry the code as `code` (a number, or a number in a string).
    #[serde(default)]
    code: Option<serde_json::Value>,
}

/// A code as text: a number's digits, or a string trimmed.
fn code_text(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Transak's error answer `{"error": {"statusCode", "message", "errorCode"}}`.
pub(crate) fn api_error(response: &Response) -> Option<ApiError> {
    let body: ErrorBody = serde_json::from_slice(response.body()).ok()?;
    let fields = body.error;
    let code = code_text(fields.error_code.as_ref()).or_else(|| code_text(fields.code.as_ref()));
    let api = ApiError::from_response(crate::error::PROVIDER, response)
        .message(fields.message.unwrap_or_default());
    Some(match code {
        Some(code) => api.code(code),
        None => api,
    })
}

/// The body `T` from a 2xx; Transak's `{"error": {...}}` as [`ErrorKind::Api`](crate::ErrorKind::Api); anything else
/// as the generic status error with a snippet.
pub(crate) fn decode<T: DeserializeOwned>(response: Response) -> Result<T, Error> {
    response.decode(api_error)
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
