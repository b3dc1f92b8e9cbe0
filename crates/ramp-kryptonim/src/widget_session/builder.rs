//! The builder of [`WidgetSessionRequest`], which is also its wire-shape deserializer: both
//! paths end in [`WidgetSessionRequestBuilder::build`], the one place the rules are checked.

use std::fmt;
use std::net::IpAddr;

use rust_decimal::Decimal;
use serde::de::Visitor;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

use super::metadata::{check_metadata, ordered_metadata};
use super::request::{EXTERNAL_PARTNER_ID, UnlockedField, WidgetSessionRequest};
use crate::validate;
use crate::{Amount, Error, PaymentMethod};
use ramp_core::decimal::deserialize_exact as deserialize_exact_decimal;

/// Builds a [`WidgetSessionRequest`]; [`build`](Self::build) checks every documented rule.
///
/// It also deserializes from the wire JSON (camelCase, unknown fields refused), which is how
/// `WidgetSessionRequest`'s own `Deserialize` validates.
///
/// ```
/// use std::net::IpAddr;
/// use ramp_kryptonim::{Decimal, PaymentMethod, UnlockedField, Url, WidgetSessionRequest};
///
/// let request = WidgetSessionRequest::builder()
///     .crypto_amount("0.12345678".parse::<Decimal>().unwrap())
///     .fiat_currency("EUR")
///     .crypto_currency("USDC")
///     .network("polygon")
///     .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
///     .email("user@example.com")
///     .payment_method(PaymentMethod::Card)
///     .unlocked_fields([UnlockedField::FiatAmount])
///     .metadata("orderId", "12345")
///     .external_partner_id("partnerId123")
///     .success_url(Url::parse("https://yoursite.com/success")?)
///     .failure_url(Url::parse("https://yoursite.com/failure")?)
///     .ip_address("192.0.2.1".parse::<IpAddr>()?)
///     .build()?;
/// assert!(String::from_utf8(request.to_body())?.starts_with(r#"{"cryptoAmount":0.12345678,"#));
///
/// // More digits than a JavaScript number holds: Kryptonim would read another amount.
/// let too_precise = WidgetSessionRequest::builder()
///     .crypto_amount("0.123456789012345678".parse::<Decimal>().unwrap())
///     .fiat_currency("EUR")
///     .crypto_currency("USDC")
///     .network("polygon")
///     .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
///     .build();
/// assert!(too_precise.is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WidgetSessionRequestBuilder {
    #[serde(default, deserialize_with = "optional_decimal")]
    fiat_amount: Option<Decimal>,
    #[serde(default, deserialize_with = "optional_decimal")]
    crypto_amount: Option<Decimal>,
    fiat_currency: Option<String>,
    crypto_currency: Option<String>,
    network: Option<String>,
    destination_address: Option<String>,
    email: Option<String>,
    payment_method: Option<PaymentMethod>,
    unlocked_fields: Option<Vec<String>>,
    #[serde(default, deserialize_with = "ordered_metadata")]
    metadata: Option<Vec<(String, Value)>>,
    success_url: Option<Parsed<Url>>,
    failure_url: Option<Parsed<Url>>,
    ip_address: Option<Parsed<IpAddr>>,
}

impl WidgetSessionRequestBuilder {
    /// The fiat amount to spend (`fiatAmount`). Give this or a crypto amount, not both.
    pub fn fiat_amount(mut self, amount: Decimal) -> Self {
        self.fiat_amount = Some(amount);
        self
    }

    /// The crypto amount to buy (`cryptoAmount`). Give this or a fiat amount, not both.
    pub fn crypto_amount(mut self, amount: Decimal) -> Self {
        self.crypto_amount = Some(amount);
        self
    }

    /// The amount, fiat or crypto, replacing any amount set before.
    pub fn amount(mut self, amount: Amount) -> Self {
        (self.fiat_amount, self.crypto_amount) = amount.sides();
        self
    }

    /// The fiat currency, a 3-letter code such as `EUR` or `USD` (required).
    pub fn fiat_currency(mut self, code: impl Into<String>) -> Self {
        self.fiat_currency = Some(code.into());
        self
    }

    /// The cryptocurrency symbol, such as `USDC` (required).
    pub fn crypto_currency(mut self, symbol: impl Into<String>) -> Self {
        self.crypto_currency = Some(symbol.into());
        self
    }

    /// The blockchain network name, such as `polygon` (required).
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// The wallet address that receives the crypto (required). Check that it belongs to your
    /// user before creating a session.
    pub fn destination_address(mut self, address: impl Into<String>) -> Self {
        self.destination_address = Some(address.into());
        self
    }

    /// The user's email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The payment method.
    pub fn payment_method(mut self, method: PaymentMethod) -> Self {
        self.payment_method = Some(method);
        self
    }

    /// The fields the user may change in the widget, in the order given.
    pub fn unlocked_fields(mut self, fields: impl IntoIterator<Item = UnlockedField>) -> Self {
        self.unlocked_fields = Some(fields.into_iter().map(|f| f.as_str().to_owned()).collect());
        self
    }

    /// Adds a metadata entry, returned to you in Kryptonim's webhooks. Entries are sent in the
    /// order added; setting a key again replaces its value in place. Keys starting with `_`
    /// are reserved (see [`external_partner_id`](Self::external_partner_id)).
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        let (key, value) = (key.into(), value.into());
        let entries = self.metadata.get_or_insert_with(Vec::new);
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => entries.push((key, value)),
        }
        self
    }

    /// Sets the reserved metadata entry `_externalPartnerId`, the identifier for external
    /// partner attribution.
    pub fn external_partner_id(self, id: impl Into<String>) -> Self {
        self.metadata(EXTERNAL_PARTNER_ID, id.into())
    }

    /// Where to send the user after a successful payment: `https`, or `http` on a loopback
    /// host for local development.
    pub fn success_url(mut self, url: Url) -> Self {
        self.success_url = Some(Parsed::Value(url));
        self
    }

    /// Where to send the user after a failed or cancelled payment: `https`, or `http` on a
    /// loopback host.
    pub fn failure_url(mut self, url: Url) -> Self {
        self.failure_url = Some(Parsed::Value(url));
        self
    }

    /// The end user's public IP address, which Kryptonim uses for fraud checks; without it
    /// the user may face extra verification or lower limits.
    pub fn ip_address(mut self, ip: IpAddr) -> Self {
        self.ip_address = Some(Parsed::Value(ip));
        self
    }

    /// Checks every documented rule and returns the request, or a
    /// [`Validation`](crate::ErrorKind::Validation) error naming the first field that breaks one.
    pub fn build(self) -> Result<WidgetSessionRequest, Error> {
        let amount = validate::one_amount(
            ("fiatAmount", self.fiat_amount),
            ("cryptoAmount", self.crypto_amount),
        )?;
        // The body is signed as JavaScript would write it again (`JSON.stringify` of what
        // `JSON.parse` read): an amount a JavaScript number cannot hold would be read as
        // another amount, so it is refused here, before anything is signed.
        let (field, value) = match amount {
            Amount::Fiat(value) => ("fiatAmount", value),
            Amount::Crypto(value) => ("cryptoAmount", value),
        };
        if !crate::json::js_number_exact(value) {
            return Err(Error::validation(
                field,
                format!(
                    "{value} has more than the 15 significant digits a JavaScript number always \
                     keeps: Kryptonim could read another amount; round it"
                ),
            ));
        }
        let fiat_currency = validate::upper_code("fiatCurrency", self.fiat_currency, 3, "EUR")?;
        let crypto_currency = validate::required("cryptoCurrency", self.crypto_currency)?;
        let network = validate::required("network", self.network)?;
        let destination_address =
            validate::required("destinationAddress", self.destination_address)?;
        // Well formed for the network, on mainnet or testnet (an EIP-55 typo is caught here);
        // the client checks again with its environment and strictness before sending.
        ramp_address::check_format(&network, &destination_address)
            .map_err(|err| Error::validation("destinationAddress", err.to_string()))?;
        let email = self
            .email
            .map(|email| ramp_core::validate::email("email", email))
            .transpose()?;
        let unlocked_fields = self
            .unlocked_fields
            .map(|names| names.iter().map(|name| unlocked_field(name)).collect())
            .transpose()?;
        if let Some(metadata) = &self.metadata {
            check_metadata(metadata)?;
        }
        let success_url = redirect("successUrl", self.success_url)?;
        let failure_url = redirect("failureUrl", self.failure_url)?;
        let ip_address = self
            .ip_address
            .map(|ip| match ip {
                Parsed::Value(ip) => Ok(ip),
                Parsed::Invalid(text) => validate::ip("ipAddress", &text),
            })
            .transpose()?;
        Ok(WidgetSessionRequest {
            amount,
            fiat_currency,
            crypto_currency,
            network,
            destination_address,
            email,
            payment_method: self.payment_method,
            unlocked_fields,
            metadata: self.metadata,
            success_url,
            failure_url,
            ip_address,
        })
    }
}

impl TryFrom<WidgetSessionRequestBuilder> for WidgetSessionRequest {
    type Error = Error;

    fn try_from(builder: WidgetSessionRequestBuilder) -> Result<Self, Error> {
        builder.build()
    }
}

fn unlocked_field(name: &str) -> Result<UnlockedField, Error> {
    UnlockedField::from_name(name).ok_or_else(|| {
        let allowed: Vec<&str> = UnlockedField::ALL.iter().map(|f| f.as_str()).collect();
        Error::validation(
            "unlockedFields",
            format!(
                "`{name}` cannot be unlocked; the documented fields are {}",
                allowed.join(", ")
            ),
        )
    })
}

fn redirect(field: &'static str, url: Option<Parsed<Url>>) -> Result<Option<Url>, Error> {
    url.map(|url| match url {
        Parsed::Value(url) => validate::redirect_url(field, url),
        Parsed::Invalid(text) => {
            validate::redirect_url(field, validate::absolute_url(field, &text)?)
        }
    })
    .transpose()
}

/// A value read from JSON text and parsed there and then (a URL, an IP address). Text that
/// does not parse is kept as it is, so that [`WidgetSessionRequestBuilder::build`] refuses
/// it in its turn, with the error it gives any other bad field.
#[derive(Clone)]
enum Parsed<T> {
    Value(T),
    Invalid(String),
}

impl<'de, T: std::str::FromStr> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text<T>(std::marker::PhantomData<T>);

        impl<T: std::str::FromStr> Visitor<'_> for Text<T> {
            type Value = Parsed<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Parsed<T>, E> {
                Ok(match text.parse() {
                    Ok(value) => Parsed::Value(value),
                    Err(_) => Parsed::Invalid(text.to_owned()),
                })
            }
        }

        d.deserialize_string(Text(std::marker::PhantomData))
    }
}

impl<T: fmt::Display> fmt::Debug for Parsed<T> {
    /// The text, as the field was given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(value) => fmt::Debug::fmt(&value.to_string(), f),
            Self::Invalid(text) => fmt::Debug::fmt(text, f),
        }
    }
}

fn optional_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    deserialize_exact_decimal(d).map(Some)
}
