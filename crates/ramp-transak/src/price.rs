//! The public price quote: `GET /api/v1/pricing/public/quotes`, so a backend can show a price
//! before it opens the widget.

use ramp_core::validate;
use rust_decimal::Decimal;

use crate::Error;

/// Buying or selling crypto (`isBuyOrSell`); a value Transak adds later is kept as written
/// in an answer, and refused in a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BuyOrSell {
    /// `BUY`: fiat in, crypto out (the default).
    #[default]
    Buy,
    /// `SELL`: crypto in, fiat out.
    Sell,
    /// Any other value, as written (never sent).
    Other(String),
}

ramp_core::wire_enum!(BuyOrSell { Buy => "BUY", Sell => "SELL" });

impl BuyOrSell {
    /// `BUY` or `SELL` for a request; anything else is a validation error on `field`.
    pub(crate) fn checked(&self, field: &'static str) -> Result<&Self, Error> {
        match self {
            Self::Other(other) => Err(Error::validation(
                field,
                format!("must be BUY or SELL, not {other:?}"),
            )),
            known => Ok(known),
        }
    }
}

/// Which side of the trade the amount is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Amount {
    Fiat(Decimal),
    Crypto(Decimal),
}

/// The query of a price quote: currencies, network, payment method and exactly one amount.
/// The client adds `partnerApiKey` (its API key).
///
/// ```
/// use ramp_transak::{Decimal, PriceQuoteRequest};
///
/// let request = PriceQuoteRequest::builder()
///     .fiat_currency("EUR")
///     .crypto_currency("ETH")
///     .network("ethereum")
///     .payment_method("credit_debit_card")
///     .fiat_amount(Decimal::new(15050, 2))
///     .quote_country_code("FR")
///     .build()?;
/// assert_eq!(
///     request.query_pairs(),
///     [
///         ("fiatCurrency", "EUR".to_owned()),
///         ("cryptoCurrency", "ETH".to_owned()),
///         ("isBuyOrSell", "BUY".to_owned()),
///         ("network", "ethereum".to_owned()),
///         ("paymentMethod", "credit_debit_card".to_owned()),
///         ("fiatAmount", "150.50".to_owned()),
///         ("quoteCountryCode", "FR".to_owned()),
///     ]
/// );
/// # Ok::<(), ramp_transak::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceQuoteRequest {
    fiat_currency: String,
    crypto_currency: String,
    side: BuyOrSell,
    network: String,
    payment_method: String,
    amount: Amount,
    quote_country_code: Option<String>,
    user_ip: Option<std::net::IpAddr>,
}

impl PriceQuoteRequest {
    /// A builder; [`build`](PriceQuoteRequestBuilder::build) validates.
    pub fn builder() -> PriceQuoteRequestBuilder {
        PriceQuoteRequestBuilder::default()
    }

    /// The query parameters in the order they are sent, without `partnerApiKey`. Amounts
    /// keep every digit as given (`150.50` stays `150.50`).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("fiatCurrency", self.fiat_currency.clone()),
            ("cryptoCurrency", self.crypto_currency.clone()),
            ("isBuyOrSell", self.side.as_str().to_owned()),
            ("network", self.network.clone()),
            ("paymentMethod", self.payment_method.clone()),
        ];
        pairs.push(match self.amount {
            Amount::Fiat(amount) => ("fiatAmount", amount.to_string()),
            Amount::Crypto(amount) => ("cryptoAmount", amount.to_string()),
        });
        if let Some(country) = &self.quote_country_code {
            pairs.push(("quoteCountryCode", country.clone()));
        }
        pairs
    }

    /// The fiat currency, such as `EUR`.
    pub fn fiat_currency(&self) -> &str {
        &self.fiat_currency
    }

    /// The cryptocurrency, such as `ETH`.
    pub fn crypto_currency(&self) -> &str {
        &self.crypto_currency
    }

    /// Buy or sell.
    pub fn side(&self) -> &BuyOrSell {
        &self.side
    }

    /// The network, such as `ethereum`.
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The payment method, such as `credit_debit_card`.
    pub fn payment_method(&self) -> &str {
        &self.payment_method
    }

    /// The fiat amount, if the quote is based on it.
    pub fn fiat_amount(&self) -> Option<Decimal> {
        match self.amount {
            Amount::Fiat(amount) => Some(amount),
            Amount::Crypto(_) => None,
        }
    }

    /// The crypto amount, if the quote is based on it.
    pub fn crypto_amount(&self) -> Option<Decimal> {
        match self.amount {
            Amount::Crypto(amount) => Some(amount),
            Amount::Fiat(_) => None,
        }
    }

    /// The country the quote is priced for, if given.
    pub fn quote_country_code(&self) -> Option<&str> {
        self.quote_country_code.as_deref()
    }

    /// The end user the quote is for, sent as `x-user-ip`, if given.
    pub fn user_ip(&self) -> Option<std::net::IpAddr> {
        self.user_ip
    }
}

/// Builds a [`PriceQuoteRequest`].
#[derive(Debug, Clone, Default)]
pub struct PriceQuoteRequestBuilder {
    fiat_currency: Option<String>,
    crypto_currency: Option<String>,
    side: BuyOrSell,
    network: Option<String>,
    payment_method: Option<String>,
    fiat_amount: Option<Decimal>,
    crypto_amount: Option<Decimal>,
    quote_country_code: Option<String>,
    user_ip: Option<std::net::IpAddr>,
}

impl PriceQuoteRequestBuilder {
    /// The fiat currency, a 3-letter code such as `EUR` (required).
    pub fn fiat_currency(mut self, code: impl Into<String>) -> Self {
        self.fiat_currency = Some(code.into());
        self
    }

    /// The cryptocurrency, such as `ETH` or `USDT` (required).
    pub fn crypto_currency(mut self, code: impl Into<String>) -> Self {
        self.crypto_currency = Some(code.into());
        self
    }

    /// Buy (the default) or sell.
    pub fn side(mut self, side: BuyOrSell) -> Self {
        self.side = side;
        self
    }

    /// The network, such as `ethereum`, `polygon` or `tron` (required).
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// The payment method, such as `credit_debit_card` (required).
    pub fn payment_method(mut self, method: impl Into<String>) -> Self {
        self.payment_method = Some(method.into());
        self
    }

    /// Quote for this much fiat. Give this or a crypto amount, not both.
    pub fn fiat_amount(mut self, amount: Decimal) -> Self {
        self.fiat_amount = Some(amount);
        self
    }

    /// Quote for this much crypto. Give this or a fiat amount, not both.
    pub fn crypto_amount(mut self, amount: Decimal) -> Self {
        self.crypto_amount = Some(amount);
        self
    }

    /// The user's country (ISO 3166-1 alpha-2, such as `FR`), so that the quote matches what
    /// the widget will show them.
    pub fn quote_country_code(mut self, code: impl Into<String>) -> Self {
        self.quote_country_code = Some(code.into());
        self
    }

    /// The end user the quote is shown to, sent as `x-user-ip`: Transak asks for it on every
    /// call made for an end user (see
    /// [`Client::create_widget_url`](crate::Client::create_widget_url) for where to read it).
    /// Leave it out for a quote that no user asked for. `0.0.0.0` and `::` are refused.
    pub fn user_ip(mut self, ip: std::net::IpAddr) -> Self {
        self.user_ip = Some(ip);
        self
    }

    /// Checks the rules: a 3-letter fiat currency, a cryptocurrency, a network and a payment
    /// method, exactly one positive amount, and a 2-letter country code if one is given.
    pub fn build(self) -> Result<PriceQuoteRequest, Error> {
        self.side.checked("isBuyOrSell")?;
        let amount = match validate::exactly_one_positive(
            ("fiatAmount", self.fiat_amount),
            ("cryptoAmount", self.crypto_amount),
        )? {
            validate::OneOf::First(fiat) => Amount::Fiat(fiat),
            validate::OneOf::Second(crypto) => Amount::Crypto(crypto),
        };
        let quote_country_code = match self.quote_country_code {
            Some(code) => Some(validate::upper_code(
                "quoteCountryCode",
                Some(code),
                2,
                "FR",
            )?),
            None => None,
        };
        Ok(PriceQuoteRequest {
            fiat_currency: validate::upper_code("fiatCurrency", self.fiat_currency, 3, "EUR")?,
            crypto_currency: validate::required("cryptoCurrency", self.crypto_currency)?,
            side: self.side,
            network: validate::required("network", self.network)?,
            payment_method: validate::required("paymentMethod", self.payment_method)?,
            amount,
            quote_country_code,
            user_ip: match self.user_ip {
                Some(ip) => Some(ramp_core::validate::end_user_ip("x-user-ip", ip)?),
                None => None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> PriceQuoteRequestBuilder {
        PriceQuoteRequest::builder()
            .fiat_currency("EUR")
            .crypto_currency("ETH")
            .network("ethereum")
            .payment_method("credit_debit_card")
    }

    #[test]
    fn exactly_one_positive_amount() {
        let both = base()
            .fiat_amount(Decimal::ONE)
            .crypto_amount(Decimal::ONE)
            .build()
            .unwrap_err();
        assert_eq!(
            both.to_string(),
            "invalid `fiatAmount`: give either `fiatAmount` or `cryptoAmount`, not both"
        );
        let none = base().build().unwrap_err();
        assert_eq!(
            none.to_string(),
            "invalid `fiatAmount`: one of `fiatAmount` or `cryptoAmount` is required"
        );
        let zero = base().crypto_amount(Decimal::ZERO).build().unwrap_err();
        assert_eq!(
            zero.to_string(),
            "invalid `cryptoAmount`: must be greater than zero, not 0"
        );
        let sell = base()
            .side(BuyOrSell::Sell)
            .crypto_amount(Decimal::new(5, 1))
            .build()
            .unwrap();
        assert_eq!(sell.crypto_amount(), Some(Decimal::new(5, 1)));
        assert!(
            sell.query_pairs()
                .contains(&("isBuyOrSell", "SELL".to_owned()))
        );
        assert!(
            sell.query_pairs()
                .contains(&("cryptoAmount", "0.5".to_owned()))
        );
    }

    #[test]
    fn codes_and_required_fields() {
        let lower = base()
            .fiat_currency("eur")
            .fiat_amount(Decimal::ONE)
            .build()
            .unwrap_err();
        assert!(lower.to_string().starts_with("invalid `fiatCurrency`"));
        let country = base()
            .fiat_amount(Decimal::ONE)
            .quote_country_code("FRA")
            .build()
            .unwrap_err();
        assert!(
            country
                .to_string()
                .starts_with("invalid `quoteCountryCode`")
        );
        let no_network = PriceQuoteRequest::builder()
            .fiat_currency("EUR")
            .crypto_currency("ETH")
            .payment_method("credit_debit_card")
            .fiat_amount(Decimal::ONE)
            .build()
            .unwrap_err();
        assert_eq!(no_network.to_string(), "invalid `network`: is required");
    }
}
