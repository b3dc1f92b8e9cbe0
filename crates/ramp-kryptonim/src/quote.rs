//! `POST /v1/quotes`: prices for a purchase before a session is created.

use std::fmt;

use rust_decimal::Decimal;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::validate;
use crate::{Amount, Error, PaymentMethod};
use ramp_core::decimal::deserialize_exact as deserialize_exact_decimal;

/// The chain a quote is for: a name such as `polygon`, or a numeric chain id such as `137`.
///
/// ```
/// use ramp_kryptonim::ChainId;
///
/// assert_eq!(ChainId::from("polygon").to_string(), "polygon");
/// assert_eq!(ChainId::from(80002).to_string(), "80002");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChainId {
    /// A chain name, sent as a JSON string.
    Name(String),
    /// A numeric chain id, sent as a JSON number.
    Id(u64),
}

impl From<&str> for ChainId {
    fn from(name: &str) -> Self {
        Self::Name(name.to_owned())
    }
}

impl From<String> for ChainId {
    fn from(name: String) -> Self {
        Self::Name(name)
    }
}

impl From<u64> for ChainId {
    fn from(id: u64) -> Self {
        Self::Id(id)
    }
}

impl fmt::Display for ChainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name(name) => f.write_str(name),
            Self::Id(id) => write!(f, "{id}"),
        }
    }
}

impl Serialize for ChainId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Name(name) => serializer.serialize_str(name),
            Self::Id(id) => serializer.serialize_u64(*id),
        }
    }
}

/// The body of `POST /v1/quotes`: a purchase (`side` is always `BUY`) of a token on a chain,
/// for an amount of fiat or of crypto. Amounts are sent as decimal strings exactly as given
/// (`"15.50"` stays `"15.50"`).
///
/// ```
/// use ramp_kryptonim::{Decimal, PaymentMethod, QuoteRequest};
///
/// let request = QuoteRequest::builder()
///     .fiat_currency("EUR")
///     .fiat_amount(Decimal::new(10000, 2))
///     .token("USDC")
///     .chain("polygon")
///     .country_code("PL")
///     .payment_method(PaymentMethod::Blik)
///     .build()?;
/// assert_eq!(
///     String::from_utf8(request.to_body()).unwrap(),
///     r#"{"side":"BUY","fiatCurrency":"EUR","amount":"100.00","tokenAddress":"USDC","chainId":"polygon","countryCode":"PL","paymentMethod":"blik"}"#
/// );
/// # Ok::<(), ramp_kryptonim::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRequest {
    fiat_currency: String,
    amount: Amount,
    token: String,
    chain: ChainId,
    country_code: Option<String>,
    payment_method: Option<PaymentMethod>,
    /// The body, serialized once by [`build`](QuoteRequestBuilder::build).
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

    /// The fiat currency code.
    pub fn fiat_currency(&self) -> &str {
        &self.fiat_currency
    }

    /// The fiat amount to spend or the crypto amount to buy.
    pub fn amount(&self) -> Amount {
        self.amount
    }

    /// The token, a symbol such as `USDC` or a contract address (`tokenAddress`).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The chain (`chainId`).
    pub fn chain(&self) -> &ChainId {
        &self.chain
    }

    /// The user's country, ISO 3166-1 alpha-2.
    pub fn country_code(&self) -> Option<&str> {
        self.country_code.as_deref()
    }

    /// The payment method to price.
    pub fn payment_method(&self) -> Option<&PaymentMethod> {
        self.payment_method.as_ref()
    }
}

impl Serialize for QuoteRequest {
    /// The wire shape: `side`, `fiatCurrency`, `amount` or `convertedAmount`, `tokenAddress`,
    /// `chainId`, then `countryCode` and `paymentMethod` when set.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("QuoteRequest", 7)?;
        s.serialize_field("side", "BUY")?;
        s.serialize_field("fiatCurrency", &self.fiat_currency)?;
        match self.amount {
            Amount::Fiat(amount) => s.serialize_field("amount", &amount.to_string())?,
            Amount::Crypto(amount) => s.serialize_field("convertedAmount", &amount.to_string())?,
        }
        s.serialize_field("tokenAddress", &self.token)?;
        s.serialize_field("chainId", &self.chain)?;
        if let Some(country) = &self.country_code {
            s.serialize_field("countryCode", country)?;
        }
        if let Some(method) = &self.payment_method {
            s.serialize_field("paymentMethod", method)?;
        }
        s.end()
    }
}

/// Builds a [`QuoteRequest`].
#[derive(Debug, Clone, Default)]
pub struct QuoteRequestBuilder {
    fiat_currency: Option<String>,
    fiat_amount: Option<Decimal>,
    crypto_amount: Option<Decimal>,
    token: Option<String>,
    chain: Option<ChainId>,
    country_code: Option<String>,
    payment_method: Option<PaymentMethod>,
}

impl QuoteRequestBuilder {
    /// The fiat currency, such as `EUR` or `USD` (required).
    pub fn fiat_currency(mut self, code: impl Into<String>) -> Self {
        self.fiat_currency = Some(code.into());
        self
    }

    /// The fiat amount to spend (`amount`). Give this or a crypto amount, not both.
    pub fn fiat_amount(mut self, amount: Decimal) -> Self {
        self.fiat_amount = Some(amount);
        self
    }

    /// The crypto amount to buy (`convertedAmount`). Give this or a fiat amount, not both.
    pub fn crypto_amount(mut self, amount: Decimal) -> Self {
        self.crypto_amount = Some(amount);
        self
    }

    /// The amount, fiat or crypto, replacing any amount set before.
    pub fn amount(mut self, amount: Amount) -> Self {
        (self.fiat_amount, self.crypto_amount) = amount.sides();
        self
    }

    /// The token, a symbol such as `USDC` or a contract address (required; `tokenAddress`).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The chain, a name such as `"polygon"` or an id such as `137` (required; `chainId`).
    pub fn chain(mut self, chain: impl Into<ChainId>) -> Self {
        self.chain = Some(chain.into());
        self
    }

    /// The user's country, an ISO 3166-1 alpha-2 code such as `PL`.
    pub fn country_code(mut self, code: impl Into<String>) -> Self {
        self.country_code = Some(code.into());
        self
    }

    /// The payment method to price.
    pub fn payment_method(mut self, method: PaymentMethod) -> Self {
        self.payment_method = Some(method);
        self
    }

    /// Checks the documented rules, or returns a [`Validation`](crate::ErrorKind::Validation) error
    /// naming the field.
    pub fn build(self) -> Result<QuoteRequest, Error> {
        let fiat_currency = validate::upper_code("fiatCurrency", self.fiat_currency, 3, "EUR")?;
        let amount = validate::one_amount(
            ("amount", self.fiat_amount),
            ("convertedAmount", self.crypto_amount),
        )?;
        let token = validate::required("tokenAddress", self.token)?;
        let chain = match self.chain {
            Some(ChainId::Name(name)) => ChainId::Name(validate::required("chainId", Some(name))?),
            Some(id) => id,
            None => return Err(Error::validation("chainId", "is required")),
        };
        let country_code = self
            .country_code
            .map(|code| validate::upper_code("countryCode", Some(code), 2, "PL"))
            .transpose()?;
        let mut request = QuoteRequest {
            fiat_currency,
            amount,
            token,
            chain,
            country_code,
            payment_method: self.payment_method,
            body: ramp_core::Body::default(),
        };
        request.body = ramp_core::Body::new(
            serde_json::to_vec(&request)
                .map_err(|err| Error::validation("body", err.to_string()))?,
        );
        Ok(request)
    }
}

/// One quote. Prices and amounts are exact decimals (Kryptonim sends them as strings).
///
/// Fields Kryptonim adds beyond these are accepted and ignored: its published table is
/// incomplete.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Quote {
    /// The estimate id.
    #[serde(rename = "estimateID")]
    pub estimate_id: String,
    /// The quote id.
    #[serde(rename = "quoteID")]
    pub quote_id: String,
    /// `conversionPrice`: Kryptonim's "exchange rate including fees". Its direction is not
    /// published; this crate's fixture takes it as fiat per 1 unit of crypto.
    #[serde(deserialize_with = "deserialize_exact_decimal")]
    pub conversion_price: Decimal,
    /// `marketConversionPrice`: Kryptonim's "market exchange rate without fees"; its
    /// direction is not published (taken as `conversion_price`'s).
    #[serde(deserialize_with = "deserialize_exact_decimal")]
    pub market_conversion_price: Decimal,
    /// The fiat currency.
    pub fiat_currency: String,
    /// The cryptocurrency.
    pub crypto_currency: String,
    /// The payment method the quote is for.
    pub payment_method: PaymentMethod,
    /// `fiatAmount`: Kryptonim's "input amount in fiat"; whether fees are taken from it or
    /// are only in the price is not published.
    #[serde(deserialize_with = "deserialize_exact_decimal")]
    pub fiat_amount: Decimal,
    /// `cryptoAmount`: Kryptonim's "output amount in crypto", after the fees in
    /// `conversion_price`; whether it is net of the network fee is not published.
    #[serde(deserialize_with = "deserialize_exact_decimal")]
    pub crypto_amount: Decimal,
    /// `BUY` or `SELL`, as Kryptonim writes it.
    pub is_buy_or_sell: String,
}
