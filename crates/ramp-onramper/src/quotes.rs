//! Quotes: `GET /quotes/{source}/{destination}`, one quote per onramp, exact decimals.

use ramp_core::http::Request;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::{CheckoutType, Client, Error, Platform};

/// What to quote: a source and destination currency, an amount of the source, and the
/// filters Onramper takes (`paymentMethod`, `network`, `platform`, `type`).
///
/// ```
/// use ramp_onramper::{Decimal, Platform, QuoteRequest};
///
/// let request = QuoteRequest::builder()
///     .source("usd")
///     .destination("btc")
///     .amount(Decimal::from(100))
///     .payment_method("creditcard")
///     .platform(Platform::MobileIos)
///     .build()?;
/// assert_eq!(
///     request.query_pairs(),
///     [
///         ("amount", "100".to_owned()),
///         ("paymentMethod", "creditcard".to_owned()),
///         ("platform", "mobile-ios".to_owned()),
///     ]
/// );
/// # Ok::<(), ramp_onramper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRequest {
    source: String,
    destination: String,
    amount: Decimal,
    payment_method: Option<String>,
    network: Option<String>,
    platform: Option<Platform>,
    kind: Option<CheckoutType>,
}

impl QuoteRequest {
    /// A builder.
    pub fn builder() -> QuoteRequestBuilder {
        QuoteRequestBuilder::default()
    }

    /// The query, in the order it is sent.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("amount", self.amount.to_string())];
        if let Some(method) = &self.payment_method {
            pairs.push(("paymentMethod", method.clone()));
        }
        if let Some(network) = &self.network {
            pairs.push(("network", network.clone()));
        }
        if let Some(platform) = &self.platform {
            pairs.push(("platform", platform.as_str().to_owned()));
        }
        if let Some(kind) = &self.kind {
            pairs.push(("type", kind.as_str().to_owned()));
        }
        pairs
    }
}

/// Builds a [`QuoteRequest`]; [`build`](Self::build) checks it.
#[derive(Debug, Clone, Default)]
pub struct QuoteRequestBuilder {
    source: Option<String>,
    destination: Option<String>,
    amount: Option<Decimal>,
    payment_method: Option<String>,
    network: Option<String>,
    platform: Option<Platform>,
    kind: Option<CheckoutType>,
}

impl QuoteRequestBuilder {
    /// The source currency id, such as `usd` (required).
    pub fn source(mut self, id: impl Into<String>) -> Self {
        self.source = Some(id.into());
        self
    }

    /// The destination currency id, such as `btc` (required).
    pub fn destination(mut self, id: impl Into<String>) -> Self {
        self.destination = Some(id.into());
        self
    }

    /// The amount of the source currency (required, positive), sent with every digit.
    pub fn amount(mut self, amount: Decimal) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Only this payment method, such as `creditcard`.
    pub fn payment_method(mut self, id: impl Into<String>) -> Self {
        self.payment_method = Some(id.into());
        self
    }

    /// Only this network, such as `ethereum`.
    pub fn network(mut self, id: impl Into<String>) -> Self {
        self.network = Some(id.into());
        self
    }

    /// Where your integration runs: onramps that do not serve it are left out.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// `sell` quotes (Onramper quotes `buy` by default).
    pub fn checkout_type(mut self, kind: CheckoutType) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Checks the rules; [`ErrorKind::Validation`](crate::ErrorKind::Validation) names the first field that breaks one.
    pub fn build(self) -> Result<QuoteRequest, Error> {
        use ramp_core::validate;
        let amount = match self.amount {
            Some(amount) => validate::positive("amount", amount)?,
            None => return Err(Error::validation("amount", "is required")),
        };
        if let Some(CheckoutType::Other(other)) = &self.kind {
            return Err(Error::validation(
                "type",
                format!("must be buy or sell, got {other:?}"),
            ));
        }
        if let Some(Platform::Other(other)) = &self.platform
            && other.trim().is_empty()
        {
            return Err(Error::validation("platform", "must not be blank"));
        }
        for (field, value) in [
            ("paymentMethod", &self.payment_method),
            ("network", &self.network),
        ] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                return Err(Error::validation(field, "must not be blank"));
            }
        }
        Ok(QuoteRequest {
            source: validate::required("source", self.source)?,
            destination: validate::required("destination", self.destination)?,
            amount,
            payment_method: self.payment_method,
            network: self.network,
            platform: self.platform,
            kind: self.kind,
        })
    }
}

/// Why an onramp gave no quote, as Onramper says it (every field as it came).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteError {
    /// The kind of error, such as `LimitMismatch`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Onramper's numeric id of the error.
    #[serde(default)]
    pub error_id: Option<i64>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The smallest `amount` the onramp takes, when the amount was too small. Its currency:
    /// not said by Onramper (this crate's sandbox uses the source currency).
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub min_amount: Option<Decimal>,
    /// The largest `amount` the onramp takes, when the amount was too large. Its currency:
    /// not said by Onramper (this crate's sandbox uses the source currency).
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub max_amount: Option<Decimal>,
}

/// One onramp's quote. Amounts are exact; fields Onramper adds are ignored. An onramp that
/// cannot serve the request has no `payout` and says why in `errors`. On a buy, `rate` is fiat
/// per 1 unit of crypto; how `payout`, `rate` and the fees add up is not published
/// (docs/onramper.md, "What each quote amount is").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Quote {
    /// The onramp, such as `moonpay`: the checkout's `onramp`.
    pub ramp: String,
    /// The payment method quoted.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// On a buy, fiat per 1 unit of crypto (the usd→btc fixture: 24138.08 USD per BTC); on a
    /// sell, not known. Whether fees are in it is not published: in that fixture
    /// `payout × rate` is 96.07 USD for 100 USD with both fees 0.
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub rate: Option<Decimal>,
    /// The network fee Onramper reports for this onramp. Its currency, and whether `payout`
    /// is already net of it, are not published (every recorded value is 0).
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub network_fee: Option<Decimal>,
    /// The onramp's fee as Onramper reports it. Its currency, and whether `payout` is already
    /// net of it, are not published (every recorded value is 0).
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub transaction_fee: Option<Decimal>,
    /// The crypto the user receives on a buy, in the destination currency (the fixture:
    /// 0.00398 BTC). Which fees are already taken out of it is not published.
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub payout: Option<Decimal>,
    /// The quote's id, where the onramp gives one.
    #[serde(default)]
    pub quote_id: Option<String>,
    /// Why this onramp gave no quote (empty when it did).
    #[serde(default)]
    pub errors: Vec<QuoteError>,
    /// Onramper's labels for this quote, such as `BestPrice` or `LowKyc`.
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// The payment methods this onramp takes for the pair.
    #[serde(default)]
    pub available_payment_methods: Vec<crate::PaymentType>,
}

impl Client {
    /// Quotes from every onramp: `GET /quotes/{source}/{destination}` with the query of
    /// `request`, the API key as `Authorization` (a public call: not signed). Safe to retry.
    pub async fn quotes(&self, request: &QuoteRequest) -> Result<Vec<Quote>, Error> {
        let mut call = Request::get("quotes")
            .segment(&request.source)
            .segment(&request.destination)
            .header("accept", "application/json");
        for (key, value) in request.query_pairs() {
            call = call.query(key, &value);
        }
        self.decode(self.http.send(call).await?)
    }
}
