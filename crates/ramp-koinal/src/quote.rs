//! `POST /quotes`: the price of a purchase, and the token that binds an order to it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::order::OrderRequestBuilder;
use ramp_core::validate;

/// The body of `POST /quotes`: a cryptocurrency, a fiat currency, and exactly one amount.
///
/// Amounts are sent as JSON numbers with their digits as given; the amount not given is left
/// out of the body.
///
/// ```
/// use ramp_koinal::{Decimal, QuoteRequest};
///
/// let request = QuoteRequest::builder()
///     .cryptocurrency("BTC")
///     .currency("USD")
///     .currency_amount(Decimal::from(1000))
///     .build()?;
/// assert_eq!(
///     String::from_utf8(request.to_body()).unwrap(),
///     r#"{"cryptocurrency":"BTC","currency_amount":1000,"currency":"USD"}"#
/// );
/// # Ok::<(), ramp_koinal::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteRequest {
    #[serde(
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    cryptocurrency_amount: Option<Decimal>,
    cryptocurrency: String,
    #[serde(
        with = "ramp_core::decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    currency_amount: Option<Decimal>,
    currency: String,
    /// The body, serialized once by [`build`](QuoteRequestBuilder::build).
    #[serde(skip)]
    body: ramp_core::Body,
}

impl QuoteRequest {
    /// A builder; [`build`](QuoteRequestBuilder::build) validates.
    pub fn builder() -> QuoteRequestBuilder {
        QuoteRequestBuilder::default()
    }

    /// The exact bytes sent as the body.
    pub fn to_body(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// The cryptocurrency amount to buy, if the quote is based on it.
    pub fn cryptocurrency_amount(&self) -> Option<Decimal> {
        self.cryptocurrency_amount
    }

    /// The cryptocurrency code, such as `BTC`.
    pub fn cryptocurrency(&self) -> &str {
        &self.cryptocurrency
    }

    /// The fiat amount to spend, if the quote is based on it.
    pub fn currency_amount(&self) -> Option<Decimal> {
        self.currency_amount
    }

    /// The fiat currency code, such as `USD`.
    pub fn currency(&self) -> &str {
        &self.currency
    }
}

/// Builds a [`QuoteRequest`].
#[derive(Debug, Clone, Default)]
pub struct QuoteRequestBuilder {
    cryptocurrency_amount: Option<Decimal>,
    cryptocurrency: Option<String>,
    currency_amount: Option<Decimal>,
    currency: Option<String>,
}

impl QuoteRequestBuilder {
    /// The cryptocurrency to buy, such as `BTC`, `LTC`, `ETH`, `BCH` or `XRP` (required).
    pub fn cryptocurrency(mut self, code: impl Into<String>) -> Self {
        self.cryptocurrency = Some(code.into());
        self
    }

    /// The fiat currency, a 3-letter code such as `USD` (required).
    pub fn currency(mut self, code: impl Into<String>) -> Self {
        self.currency = Some(code.into());
        self
    }

    /// Quote for this much cryptocurrency. Give this or a fiat amount, not both.
    pub fn cryptocurrency_amount(mut self, amount: Decimal) -> Self {
        self.cryptocurrency_amount = Some(amount);
        self
    }

    /// Quote for this much fiat. Give this or a cryptocurrency amount, not both.
    pub fn currency_amount(mut self, amount: Decimal) -> Self {
        self.currency_amount = Some(amount);
        self
    }

    /// Checks the rules: exactly one positive amount, a cryptocurrency, a 3-letter currency.
    pub fn build(self) -> Result<QuoteRequest, Error> {
        let (cryptocurrency_amount, currency_amount) = validate::exactly_one_positive(
            ("cryptocurrency_amount", self.cryptocurrency_amount),
            ("currency_amount", self.currency_amount),
        )?
        .split();
        let mut request = QuoteRequest {
            cryptocurrency_amount,
            cryptocurrency: validate::required("cryptocurrency", self.cryptocurrency)?,
            currency_amount,
            currency: validate::upper_code("currency", self.currency, 3, "USD")?,
            body: ramp_core::Body::default(),
        };
        request.body = ramp_core::Body::new(
            serde_json::to_vec(&request)
                .map_err(|err| Error::validation("body", err.to_string()))?,
        );
        Ok(request)
    }
}

/// A quote: both amounts, exact, and the token that an order must carry. Koinal gives no
/// rate: `currency_amount / cryptocurrency_amount` is fiat per 1 unit of crypto, whatever
/// fees are inside (Koinal's example: 1000 USD for 0.10034116 BTC, 9966 USD per BTC).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Quote {
    /// The quote token: sent with the order as its body's `token` and as `Authorization`.
    pub token: String,
    /// The crypto amount, in `cryptocurrency`. Whether it is net of Koinal's fees or of the
    /// network fee is not published.
    #[serde(with = "ramp_core::decimal::exact")]
    pub cryptocurrency_amount: Decimal,
    /// The cryptocurrency code.
    pub cryptocurrency: String,
    /// The fiat amount, in `currency`. Whether it includes Koinal's fees is not published
    /// (the quote has no fee or rate field).
    #[serde(with = "ramp_core::decimal::exact")]
    pub currency_amount: Decimal,
    /// The fiat currency code.
    pub currency: String,
}

impl Quote {
    /// An order for this quote, paying out to `wallet_address`.
    ///
    /// ```
    /// # fn quote() -> ramp_koinal::Quote { serde_json::from_str(r#"{"token":"83771cad9663db92693bc57579182678","cryptocurrency_amount":0.10034116,"cryptocurrency":"BTC","currency_amount":1000,"currency":"USD"}"#).unwrap() }
    /// let order = quote().order("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").build()?;
    /// assert_eq!(order.token(), "83771cad9663db92693bc57579182678");
    /// # Ok::<(), ramp_koinal::Error>(())
    /// ```
    pub fn order(&self, wallet_address: impl Into<String>) -> OrderRequestBuilder {
        crate::OrderRequest::builder(self.token.clone(), wallet_address)
            .cryptocurrency(self.cryptocurrency.clone())
    }
}

impl std::fmt::Debug for Quote {
    /// Amounts and codes; the token (which binds an order) is redacted.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Quote")
            .field("token", &"[REDACTED]")
            .field("cryptocurrency_amount", &self.cryptocurrency_amount)
            .field("cryptocurrency", &self.cryptocurrency)
            .field("currency_amount", &self.currency_amount)
            .field("currency", &self.currency)
            .finish()
    }
}
