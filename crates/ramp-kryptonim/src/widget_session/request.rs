//! `WidgetSessionRequest`: the body of `POST /v1/widget-sessions`, valid by construction.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use url::Url;

use crate::json::{write_js_decimal, write_js_object, write_str};
use crate::{Amount, PaymentMethod};

/// The only metadata key starting with `_` that Kryptonim allows (a string: the identifier
/// for external partner attribution).
pub const EXTERNAL_PARTNER_ID: &str = "_externalPartnerId";

/// A field the widget lets the user change (`unlockedFields`).
///
/// These are the eight names the documentation allows. Its own full request example also
/// lists `destinationAddress`, which the table does not allow; this crate follows the table,
/// so the destination address can never be unlocked. Kryptonim notes the feature is not yet
/// available to everyone: sending it may not change the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnlockedField {
    /// `fiatAmount`.
    FiatAmount,
    /// `cryptoAmount`.
    CryptoAmount,
    /// `fiatCurrency`.
    FiatCurrency,
    /// `email`.
    Email,
    /// `network`.
    Network,
    /// `paymentMethod`.
    PaymentMethod,
    /// `successUrl`.
    SuccessUrl,
    /// `failureUrl`.
    FailureUrl,
}

impl UnlockedField {
    /// Every field the documentation allows, in its order.
    pub const ALL: [Self; 8] = [
        Self::FiatAmount,
        Self::CryptoAmount,
        Self::FiatCurrency,
        Self::Email,
        Self::Network,
        Self::PaymentMethod,
        Self::SuccessUrl,
        Self::FailureUrl,
    ];

    /// The wire name, such as `fiatAmount`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FiatAmount => "fiatAmount",
            Self::CryptoAmount => "cryptoAmount",
            Self::FiatCurrency => "fiatCurrency",
            Self::Email => "email",
            Self::Network => "network",
            Self::PaymentMethod => "paymentMethod",
            Self::SuccessUrl => "successUrl",
            Self::FailureUrl => "failureUrl",
        }
    }

    /// The field with this wire name, if the documentation allows unlocking it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == name)
    }
}

impl fmt::Display for UnlockedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of `POST /v1/widget-sessions`.
///
/// Built with [`WidgetSessionRequest::builder`] or deserialized from its wire JSON; both run
/// the same validation, so a value of this type always satisfies the documented rules.
/// [`to_body`](Self::to_body) gives the exact bytes that are signed and sent: fields in the
/// documentation's order, absent ones omitted, numbers as JavaScript's `JSON.stringify` prints
/// them.
///
/// ```
/// use ramp_kryptonim::{Decimal, WidgetSessionRequest};
///
/// let request = WidgetSessionRequest::builder()
///     .fiat_amount(Decimal::from(15))
///     .fiat_currency("EUR")
///     .crypto_currency("USDC")
///     .network("polygon")
///     .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
///     .build()?;
/// assert_eq!(
///     String::from_utf8(request.to_body()).unwrap(),
///     r#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538"}"#
/// );
/// # Ok::<(), ramp_kryptonim::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "WidgetSessionRequestBuilder")]
pub struct WidgetSessionRequest {
    pub(super) amount: Amount,
    pub(super) fiat_currency: String,
    pub(super) crypto_currency: String,
    pub(super) network: String,
    pub(super) destination_address: String,
    pub(super) email: Option<String>,
    pub(super) payment_method: Option<PaymentMethod>,
    pub(super) unlocked_fields: Option<Vec<UnlockedField>>,
    pub(super) metadata: Option<Vec<(String, Value)>>,
    pub(super) success_url: Option<Url>,
    pub(super) failure_url: Option<Url>,
    pub(super) ip_address: Option<IpAddr>,
}

impl WidgetSessionRequest {
    /// A builder; [`build`](WidgetSessionRequestBuilder::build) validates.
    pub fn builder() -> WidgetSessionRequestBuilder {
        WidgetSessionRequestBuilder::default()
    }

    /// The exact bytes sent as the body, and signed: compact JSON in the documentation's field
    /// order, equal to JavaScript's `JSON.stringify` of the same object.
    ///
    /// Written straight into one buffer: each field's name, its value escaped or laid out as
    /// `JSON.stringify` would, absent fields left out.
    pub fn to_body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body_capacity());
        match self.amount {
            Amount::Fiat(amount) => {
                out.extend_from_slice(br#"{"fiatAmount":"#);
                write_js_decimal(&mut out, amount);
            }
            Amount::Crypto(amount) => {
                out.extend_from_slice(br#"{"cryptoAmount":"#);
                write_js_decimal(&mut out, amount);
            }
        }
        let field = |out: &mut Vec<u8>, name: &str, value: &str| {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
            write_str(out, value);
        };
        field(&mut out, "fiatCurrency", &self.fiat_currency);
        field(&mut out, "cryptoCurrency", &self.crypto_currency);
        field(&mut out, "network", &self.network);
        field(&mut out, "destinationAddress", &self.destination_address);
        if let Some(email) = &self.email {
            field(&mut out, "email", email);
        }
        if let Some(method) = &self.payment_method {
            field(&mut out, "paymentMethod", method.as_str());
        }
        if let Some(fields) = &self.unlocked_fields {
            out.extend_from_slice(br#","unlockedFields":["#);
            for (i, unlocked) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(&mut out, unlocked.as_str());
            }
            out.push(b']');
        }
        if let Some(metadata) = &self.metadata {
            out.extend_from_slice(br#","metadata":"#);
            write_js_object(&mut out, metadata.iter().map(|(k, v)| (k, v)));
        }
        if let Some(url) = &self.success_url {
            field(&mut out, "successUrl", url.as_str());
        }
        if let Some(url) = &self.failure_url {
            field(&mut out, "failureUrl", url.as_str());
        }
        if let Some(ip) = &self.ip_address {
            let mut text = [0u8; 64];
            field(&mut out, "ipAddress", ip_text(ip, &mut text));
        }
        out.push(b'}');
        out
    }

    /// Enough for the body unless metadata or strings need escaping.
    fn body_capacity(&self) -> usize {
        let texts = [
            Some(self.fiat_currency.as_str()),
            Some(self.crypto_currency.as_str()),
            Some(self.network.as_str()),
            Some(self.destination_address.as_str()),
            self.email.as_deref(),
            self.success_url.as_ref().map(Url::as_str),
            self.failure_url.as_ref().map(Url::as_str),
        ];
        let metadata = self.metadata.as_ref().map_or(0, |m| m.len() * 32);
        192 + metadata + texts.iter().flatten().map(|t| t.len()).sum::<usize>()
    }

    /// The fiat or crypto amount the session is based on.
    pub fn amount(&self) -> Amount {
        self.amount
    }

    /// The fiat currency code, such as `EUR`.
    pub fn fiat_currency(&self) -> &str {
        &self.fiat_currency
    }

    /// The cryptocurrency symbol, such as `USDC`.
    pub fn crypto_currency(&self) -> &str {
        &self.crypto_currency
    }

    /// The blockchain network name, such as `polygon`.
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The wallet address that receives the crypto.
    pub fn destination_address(&self) -> &str {
        &self.destination_address
    }

    /// The user's email address.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// The payment method.
    pub fn payment_method(&self) -> Option<&PaymentMethod> {
        self.payment_method.as_ref()
    }

    /// The fields the user may change in the widget.
    pub fn unlocked_fields(&self) -> Option<&[UnlockedField]> {
        self.unlocked_fields.as_deref()
    }

    /// The metadata entries, in the order they are sent.
    pub fn metadata(&self) -> Option<&[(String, Value)]> {
        self.metadata.as_deref()
    }

    /// Where the user lands after a successful payment.
    pub fn success_url(&self) -> Option<&Url> {
        self.success_url.as_ref()
    }

    /// Where the user lands after a failed or cancelled payment.
    pub fn failure_url(&self) -> Option<&Url> {
        self.failure_url.as_ref()
    }

    /// The end user's IP address.
    pub fn ip_address(&self) -> Option<IpAddr> {
        self.ip_address
    }
}

/// An IP address as text, written into `buffer` (45 bytes hold any IPv6 address).
fn ip_text<'b>(ip: &IpAddr, buffer: &'b mut [u8; 64]) -> &'b str {
    use std::io::Write as _;
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    // Writing to a 64-byte buffer cannot fail for an address of at most 45 characters.
    let len = match write!(cursor, "{ip}") {
        Ok(()) => cursor.position() as usize,
        Err(_) => 0,
    };
    std::str::from_utf8(&buffer[..len]).unwrap_or_default()
}

impl Serialize for WidgetSessionRequest {
    /// The wire shape: exactly the bytes of [`to_body`](Self::to_body), handed to the
    /// serializer as raw JSON, so this is meant for serde_json.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let body = String::from_utf8(self.to_body()).map_err(serde::ser::Error::custom)?;
        serde_json::value::RawValue::from_string(body)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

pub use super::builder::WidgetSessionRequestBuilder;
