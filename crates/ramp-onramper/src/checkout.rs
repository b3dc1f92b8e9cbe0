//! Checkout V2: `POST /checkout/v2/intent`, always signed with Signature V2
//! (docs.onramper.com/docs/checkout-v2).

use std::fmt;
use std::net::IpAddr;

use ramp_core::ExposeSecret;
use ramp_core::http::Request;
use ramp_onramper_sign::v2::{ApiRequest, SignOptions, sign_request_v2};
use rust_decimal::Decimal;
use url::Url;

use crate::checkout_wire::{Answer, Body};
use crate::{Client, Error, ErrorKind};

/// The API path of the checkout, as it is signed.
pub(crate) const CHECKOUT_PATH: &str = "/checkout/v2/intent";

/// Where your integration runs (`platform`). Providers that serve only some platforms are
/// dropped when it is left out, so the checkout always sends it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// `web`: a web browser, desktop or mobile.
    Web,
    /// `mobile-ios`: an iOS app.
    MobileIos,
    /// `mobile-android`: an Android app.
    MobileAndroid,
    /// Any other value Onramper lists, as written.
    Other(String),
}

ramp_core::wire_enum!(Platform {
    Web => "web",
    MobileIos => "mobile-ios",
    MobileAndroid => "mobile-android",
});

/// `buy` (fiat to crypto) or `sell`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckoutType {
    /// `buy`.
    Buy,
    /// `sell`.
    Sell,
    /// Any other value, as written (refused by the builder).
    Other(String),
}

ramp_core::wire_enum!(CheckoutType { Buy => "buy", Sell => "sell" });

/// The body of a checkout, checked: build it with [`CheckoutRequest::builder`], or read it
/// from JSON (the documented camelCase fields), which runs the same checks. The client adds
/// `endUserIpHash` and `platform`.
///
/// ```
/// use ramp_onramper::{CheckoutRequest, Decimal};
///
/// let request = CheckoutRequest::builder()
///     .onramp("moonpay")
///     .source("eur")
///     .destination("eth")
///     .amount(Decimal::new(10050, 2))
///     .payment_method("creditcard")
///     .network("ethereum")
///     .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
///     .partner_context("order-42")
///     .build()?;
/// assert_eq!(request.amount().to_string(), "100.50");
/// # Ok::<(), ramp_onramper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    pub(crate) onramp: String,
    pub(crate) source: String,
    pub(crate) destination: String,
    pub(crate) amount: Decimal,
    pub(crate) kind: CheckoutType,
    pub(crate) payment_method: String,
    pub(crate) network: String,
    pub(crate) wallet_address: String,
    pub(crate) wallet_memo: Option<String>,
    pub(crate) partner_context: String,
    pub(crate) email: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) external_customer_id: Option<String>,
    pub(crate) supported_params: Option<serde_json::Map<String, serde_json::Value>>,
}

impl CheckoutRequest {
    /// A builder.
    pub fn builder() -> CheckoutRequestBuilder {
        CheckoutRequestBuilder::default()
    }

    /// The amount, exactly as given.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// Your reference for the order (`partnerContext`): Checkout V2 returns no transaction
    /// id, and Onramper's webhooks name the order by it.
    pub fn partner_context(&self) -> &str {
        &self.partner_context
    }

    /// The network the wallet address is on.
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The wallet address the crypto goes to.
    pub fn wallet_address(&self) -> &str {
        &self.wallet_address
    }
}

/// Builds a [`CheckoutRequest`]; [`build`](Self::build) checks it.
#[derive(Debug, Clone, Default)]
pub struct CheckoutRequestBuilder {
    pub(crate) onramp: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) destination: Option<String>,
    pub(crate) amount: Option<Decimal>,
    pub(crate) kind: Option<CheckoutType>,
    pub(crate) payment_method: Option<String>,
    pub(crate) network: Option<String>,
    pub(crate) wallet_address: Option<String>,
    pub(crate) wallet_memo: Option<String>,
    pub(crate) partner_context: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) external_customer_id: Option<String>,
    pub(crate) supported_params: Option<serde_json::Value>,
}

macro_rules! text_setters {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$name = Some(value.into());
            self
        }
    )+};
}

impl CheckoutRequestBuilder {
    text_setters! {
        /// The onramp (provider) id, such as `moonpay`, from a quote's `ramp` (required).
        onramp,
        /// The source currency id, such as `eur` (required).
        source,
        /// The destination currency id, such as `eth` or `usdc_polygon` (required).
        destination,
        /// The payment method id, such as `creditcard`, from a quote (required).
        payment_method,
        /// The network id, such as `ethereum` (required).
        network,
        /// The wallet address the crypto goes to (required; checked for the network).
        wallet_address,
        /// The wallet's memo or destination tag, where the network has one.
        wallet_memo,
        /// Your reference for the order (required): webhooks name the order by it.
        partner_context,
        /// The user's email.
        email,
        /// The user's country (ISO 3166-1 alpha-2, such as `NL`).
        country,
        /// Your id for the user.
        external_customer_id,
    }

    /// The amount of the source currency (required, positive), sent with every digit.
    pub fn amount(mut self, amount: Decimal) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Buy (the default) or sell.
    pub fn checkout_type(mut self, kind: CheckoutType) -> Self {
        self.kind = Some(kind);
        self
    }

    /// `supportedParams`: a JSON object passed as given (such as
    /// `{"partnerData": {"redirectUrl": {"success": "https://…"}}}`).
    pub fn supported_params(mut self, params: serde_json::Value) -> Self {
        self.supported_params = Some(params);
        self
    }

    /// Checks the documented rules; [`ErrorKind::Validation`](crate::ErrorKind::Validation) names the first field that breaks
    /// one. The wallet address is checked for its network when the client signs.
    pub fn build(self) -> Result<CheckoutRequest, Error> {
        use ramp_core::validate;
        let amount = match self.amount {
            Some(amount) => validate::positive("amount", amount)?,
            None => return Err(Error::validation("amount", "is required")),
        };
        let kind = self.kind.unwrap_or(CheckoutType::Buy);
        if let CheckoutType::Other(other) = &kind {
            return Err(Error::validation(
                "type",
                format!("must be buy or sell, got {other:?}"),
            ));
        }
        let supported_params = match self.supported_params {
            None => None,
            Some(serde_json::Value::Object(map)) => Some(map),
            Some(_) => {
                return Err(Error::validation(
                    "supportedParams",
                    "must be a JSON object",
                ));
            }
        };
        let country = match self.country {
            Some(code) => Some(validate::upper_code("country", Some(code), 2, "NL")?),
            None => None,
        };
        let email = match self.email {
            Some(email) => Some(validate::email("email", email)?),
            None => None,
        };
        let optional = |field: &'static str, value: Option<String>| match value {
            Some(text) if text.trim().is_empty() => {
                Err(Error::validation(field, "must not be blank"))
            }
            other => Ok(other),
        };
        Ok(CheckoutRequest {
            onramp: validate::required("onramp", self.onramp)?,
            source: validate::required("source", self.source)?,
            destination: validate::required("destination", self.destination)?,
            amount,
            kind,
            payment_method: validate::required("paymentMethod", self.payment_method)?,
            network: validate::required("network", self.network)?,
            wallet_address: validate::required("wallet.address", self.wallet_address)?,
            wallet_memo: optional("wallet.memo", self.wallet_memo)?,
            partner_context: validate::required("partnerContext", self.partner_context)?,
            email,
            country,
            external_customer_id: optional("externalCustomerId", self.external_customer_id)?,
            supported_params,
        })
    }
}

/// The URL the user's browser goes to. It holds a one-time resume token, so it is a
/// credential: it prints as `[REDACTED]` in `Debug`, has no `Display`, and is never logged.
/// Send it to the browser that belongs to the IP the checkout was made for.
#[derive(Clone, PartialEq, Eq)]
pub struct RedirectUrl(pub(crate) Url);

impl RedirectUrl {
    /// The URL itself, to redirect the user's browser to.
    pub fn expose_url(&self) -> &Url {
        &self.0
    }
}

impl fmt::Debug for RedirectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RedirectUrl([REDACTED])")
    }
}

/// A checkout session: single use, valid 10 minutes after the intent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckoutSession {
    /// Where to send the user's browser (redacted in `Debug`).
    pub redirect_url: RedirectUrl,
    /// Onramper's session id.
    pub session_id: String,
}

impl Client {
    /// Starts a checkout: `POST /checkout/v2/intent`, V2-signed, for the end user at
    /// `user_ip` on `platform`.
    ///
    /// The body is the request plus `endUserIpHash` (the hex SHA-256 of the IP's text,
    /// computed here; Onramper checks the browser that opens the session against it, so a
    /// wrong IP makes it refuse the user with 403) and `platform`. The wallet address is
    /// checked for the network before anything is signed. The signature is single use, so the
    /// call is retried only when the request never left this machine.
    ///
    /// Onramper's page names the hash `clientIpHash`; its December 2026 notes name it
    /// `endUserIpHash` and keep `clientIpHash` as a deprecated alias. Both are sent, with the
    /// same value, so the checkout holds under either reading.
    pub async fn checkout(
        &self,
        request: &CheckoutRequest,
        user_ip: IpAddr,
        platform: Platform,
    ) -> Result<CheckoutSession, Error> {
        let Some(key) = &self.key else {
            return Err(Error::validation(
                "signing key",
                "Checkout V2 is always signed: set ClientBuilder::signing_key",
            ));
        };
        let policy = ramp_address::Policy::default().strict(self.strict_addresses);
        ramp_address::check(&request.network, &request.wallet_address, policy)
            .map_err(|err| Error::validation("wallet.address", err.to_string()))?;
        if let Platform::Other(text) = &platform
            && text.trim().is_empty()
        {
            return Err(Error::validation("platform", "must not be blank"));
        }
        let ip_hash = ramp_onramper_sign::end_user_ip_hash(user_ip)
            .map_err(|err| Error::validation("endUserIpHash", err.to_string()))?;
        let body = serde_json::to_vec(&Body::new(request, &ip_hash, &platform))
            .map_err(|err| Error::validation("body", err.to_string()))?;
        let signed = ApiRequest::new("POST", CHECKOUT_PATH, self.api_key.expose_secret())
            .content_type("application/json")
            .body(&body);
        let headers = sign_request_v2(&signed, key, &SignOptions::new())?;
        let mut call = Request::post(&CHECKOUT_PATH[1..]).json_body(body);
        for (name, value) in headers.iter().skip(1) {
            call = call.header(name, value);
        }
        let response = self.http.send(call).await?;
        if !response.status().is_success() {
            return self
                .decode::<Answer>(response)
                .map(|Answer(session)| session);
        }
        // Read here rather than through `decode`: a decode error carries the start of the
        // body, and this body holds the one-time redirect URL. serde's messages can quote a
        // value too, so only the error's place is kept.
        serde_json::from_slice::<Answer>(response.body())
            .map(|Answer(session)| session)
            .map_err(|err| {
                Error::from(ErrorKind::UnreadableCheckout {
                    reason: format!(
                        "{:?} error at line {} column {}",
                        err.classify(),
                        err.line(),
                        err.column()
                    ),
                })
            })
    }
}
