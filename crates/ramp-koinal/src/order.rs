//! `POST /orders` and `GET /orders/{id}/status`.

use std::net::IpAddr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::Error;
use ramp_core::validate;

/// The body of `POST /orders`: the quote token, the customer's wallet, and for XRP a
/// destination tag.
///
/// ```
/// use ramp_koinal::OrderRequest;
///
/// let order = OrderRequest::builder("b4034a647879bd3b45a3d0e4ffe296a9", "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe")
///     .destination_tag("12345")
///     .ip_address("192.0.2.1".parse().unwrap())
///     .build()?;
/// assert_eq!(
///     String::from_utf8(order.to_body()).unwrap(),
///     r#"{"token":"b4034a647879bd3b45a3d0e4ffe296a9","wallet_address":"rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe","destination_tag":"12345","ip_address":"192.0.2.1"}"#
/// );
/// # Ok::<(), ramp_koinal::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct OrderRequest {
    token: String,
    wallet_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip_address: Option<IpAddr>,
    /// The quote's cryptocurrency, to check the address against; not sent.
    #[serde(skip)]
    cryptocurrency: Option<String>,
    /// The body, serialized once by [`build`](OrderRequestBuilder::build).
    #[serde(skip)]
    body: ramp_core::Body,
}

impl OrderRequest {
    /// A builder for an order on the quote `token`, paying out to `wallet_address`.
    pub fn builder(
        token: impl Into<String>,
        wallet_address: impl Into<String>,
    ) -> OrderRequestBuilder {
        OrderRequestBuilder {
            token: token.into(),
            wallet_address: wallet_address.into(),
            destination_tag: None,
            ip_address: None,
            cryptocurrency: None,
        }
    }

    /// The exact bytes sent as the body.
    pub fn to_body(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// The quote token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The customer's wallet address.
    pub fn wallet_address(&self) -> &str {
        &self.wallet_address
    }

    /// The XRP destination tag.
    pub fn destination_tag(&self) -> Option<&str> {
        self.destination_tag.as_deref()
    }

    /// The customer's IP address.
    pub fn ip_address(&self) -> Option<IpAddr> {
        self.ip_address
    }

    /// The cryptocurrency the wallet address is checked for, when known (set by
    /// [`Quote::order`](crate::Quote::order)).
    pub fn cryptocurrency(&self) -> Option<&str> {
        self.cryptocurrency.as_deref()
    }
}

/// Builds an [`OrderRequest`].
#[derive(Clone)]
pub struct OrderRequestBuilder {
    token: String,
    wallet_address: String,
    destination_tag: Option<String>,
    ip_address: Option<IpAddr>,
    cryptocurrency: Option<String>,
}

impl OrderRequestBuilder {
    /// The destination tag of an XRP address: digits only, at most 4294967295 (the XRP
    /// ledger's 32-bit limit).
    pub fn destination_tag(mut self, tag: impl Into<String>) -> Self {
        self.destination_tag = Some(tag.into());
        self
    }

    /// The customer's IP address.
    pub fn ip_address(mut self, ip: IpAddr) -> Self {
        self.ip_address = Some(ip);
        self
    }

    /// The cryptocurrency being bought (`BTC`, `ETH`, ...), which says what the wallet
    /// address must look like; [`Quote::order`](crate::Quote::order) sets it. It is not sent.
    pub fn cryptocurrency(mut self, code: impl Into<String>) -> Self {
        self.cryptocurrency = Some(code.into());
        self
    }

    /// Checks the rules: a token, a wallet address, a numeric destination tag.
    pub fn build(self) -> Result<OrderRequest, Error> {
        let token = validate::required("token", Some(self.token))?;
        let wallet_address = validate::required("wallet_address", Some(self.wallet_address))?;
        // With the quote's cryptocurrency known, the address must be well formed for it (on
        // mainnet or testnet; an EIP-55 typo is caught here). The client checks again, with
        // its strictness, before sending.
        if let Some(family) = self
            .cryptocurrency
            .as_deref()
            .and_then(ramp_address::family_of_crypto)
        {
            ramp_address::check_format(family.name(), &wallet_address)
                .map_err(|err| Error::validation("wallet_address", err.to_string()))?;
        }
        if let Some(tag) = &self.destination_tag {
            let digits = !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_digit());
            if !digits || tag.parse::<u32>().is_err() {
                return Err(Error::validation(
                    "destination_tag",
                    format!(
                        "an XRP destination tag is digits only, at most 4294967295, not {tag:?}"
                    ),
                ));
            }
        }
        let mut request = OrderRequest {
            token,
            wallet_address,
            destination_tag: self.destination_tag,
            ip_address: self.ip_address,
            cryptocurrency: self.cryptocurrency,
            body: ramp_core::Body::default(),
        };
        request.body = ramp_core::Body::new(
            serde_json::to_vec(&request)
                .map_err(|err| Error::validation("body", err.to_string()))?,
        );
        Ok(request)
    }
}

/// The quote token authorizes the order (it is sent as `Authorization`): `Debug` shows it as
/// `[REDACTED]`, like every credential.
fn debug_order(
    f: &mut std::fmt::Formatter<'_>,
    name: &str,
    wallet_address: &str,
    destination_tag: &Option<String>,
    ip_address: &Option<IpAddr>,
) -> std::fmt::Result {
    f.debug_struct(name)
        .field("token", &"[REDACTED]")
        .field("wallet_address", &wallet_address)
        .field("destination_tag", destination_tag)
        .field("ip_address", ip_address)
        .finish()
}

impl std::fmt::Debug for OrderRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        debug_order(
            f,
            "OrderRequest",
            &self.wallet_address,
            &self.destination_tag,
            &self.ip_address,
        )
    }
}

impl std::fmt::Debug for OrderRequestBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        debug_order(
            f,
            "OrderRequestBuilder",
            &self.wallet_address,
            &self.destination_tag,
            &self.ip_address,
        )
    }
}

/// A created order: send the customer to [`checkout_url`](Self::checkout_url).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The order id (Koinal sends it as a string here and as a number elsewhere).
    #[serde(deserialize_with = "string_or_integer")]
    pub order_id: String,
    /// Where the customer completes the purchase on Koinal's side.
    pub checkout_url: Url,
}

/// An order's status. Koinal's documentation shows `PAYMENT_WAITING` in the status answer and
/// says the callback comes when an order completes (`COMPLETED`); any other value decodes as
/// [`OrderStatus::Other`], as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// `PAYMENT_WAITING`: the customer has not paid yet.
    PaymentWaiting,
    /// `COMPLETED`: the crypto was sent (final).
    Completed,
    /// Any other value, as Koinal wrote it.
    Other(String),
}

ramp_core::wire_enum!(OrderStatus {
    PaymentWaiting => "PAYMENT_WAITING",
    Completed => "COMPLETED",
});

impl OrderStatus {
    /// Whether the status is final: `COMPLETED` (the only final status Koinal documents).
    pub fn is_terminal(&self) -> bool {
        self.normalized().is_terminal()
    }

    /// The status every provider shares: `PAYMENT_WAITING` is pending, `COMPLETED`
    /// completed, anything else unknown.
    pub fn normalized(&self) -> ramp_core::webhook::OrderStatus {
        use ramp_core::webhook::OrderStatus as Normal;
        match self {
            Self::PaymentWaiting => Normal::Pending,
            Self::Completed => Normal::Completed,
            Self::Other(_) => Normal::Unknown,
        }
    }
}

/// `GET /orders/{id}/status`: where an order stands. Amounts are exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderReport {
    /// The order id.
    #[serde(deserialize_with = "string_or_integer")]
    pub order_id: String,
    /// The order's state.
    pub status: OrderStatus,
    /// The total fiat amount.
    #[serde(with = "ramp_core::decimal::exact")]
    pub total_amount: Decimal,
    /// The fiat currency code.
    pub currency_code: String,
    /// The cryptocurrency amount.
    #[serde(with = "ramp_core::decimal::exact")]
    pub cryptocurrency_amount: Decimal,
    /// The cryptocurrency code.
    pub cryptocurrency_code: String,
    /// The blockchain transaction id, once there is one (`null` or empty means none).
    #[serde(default, deserialize_with = "optional_text")]
    pub blockchain_tx_id: Option<String>,
    /// When Koinal answered (`timestamp`: seconds or milliseconds since the epoch, or RFC
    /// 3339 text).
    #[serde(
        default,
        with = "ramp_core::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub timestamp: Option<time::OffsetDateTime>,
}

/// A string, or an integer written as its decimal text.
pub(crate) fn string_or_integer<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(match Id::deserialize(d)? {
        Id::Text(text) => text,
        Id::Number(number) => number.to_string(),
    })
}

/// `null`, absent or `""` as `None`.
pub(crate) fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|text| !text.is_empty()))
}
