//! `POST /widget/session`: the request, its builder, and the session to hand to the widget.

use std::net::IpAddr;

use ramp_core::decimal::deserialize_exact;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{Error, TransactionType};
use ramp_core::validate;

/// The body of `POST /widget/session`, valid by construction.
///
/// Built with [`SessionRequest::builder`] or deserialized from the wire JSON (snake_case);
/// both run the same checks. The amount is sent as a decimal string exactly as given
/// (`"99.50"` stays `"99.50"`).
///
/// ```
/// use ramp_proof::{Decimal, SessionRequest, TransactionType};
///
/// let request = SessionRequest::builder()
///     .partner_user_id("user-123")
///     .user_email("user@example.com")
///     .network("TRC20")
///     .currency("USDT")
///     .amount("100".parse::<Decimal>().unwrap())
///     .transaction_type(TransactionType::Buy)
///     .client_ip("203.0.113.42".parse().unwrap())
///     .build()?;
/// assert_eq!(
///     String::from_utf8(request.to_body()).unwrap(),
///     r#"{"partner_user_id":"user-123","user_email":"user@example.com","network":"TRC20","currency":"USDT","amount":"100","type":"buy","client_ip":"203.0.113.42"}"#
/// );
/// # Ok::<(), ramp_proof::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SessionRequestBuilder")]
pub struct SessionRequest {
    partner_user_id: String,
    user_email: String,
    network: String,
    currency: String,
    #[serde(serialize_with = "ramp_core::decimal::serialize_string")]
    amount: Decimal,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    transaction_type: Option<TransactionType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<Url>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ip: Option<IpAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    /// The body, serialized once by [`build`](SessionRequestBuilder::build).
    #[serde(skip)]
    body: ramp_core::Body,
}

impl SessionRequest {
    /// A builder; [`build`](SessionRequestBuilder::build) validates.
    pub fn builder() -> SessionRequestBuilder {
        SessionRequestBuilder::default()
    }

    /// The exact bytes sent as the body.
    pub fn to_body(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// Your stable id for the user.
    pub fn partner_user_id(&self) -> &str {
        &self.partner_user_id
    }

    /// The user's email.
    pub fn user_email(&self) -> &str {
        &self.user_email
    }

    /// The network, such as `TRC20`.
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The crypto currency, such as `USDT`.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// The crypto amount, with its digits as given.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// `buy` or `sell`, when set (otherwise the partner default applies).
    pub fn transaction_type(&self) -> Option<&TransactionType> {
        self.transaction_type.as_ref()
    }

    /// The redirect URL for this session.
    pub fn redirect_url(&self) -> Option<&Url> {
        self.redirect_url.as_ref()
    }

    /// The end user's IP address.
    pub fn client_ip(&self) -> Option<IpAddr> {
        self.client_ip
    }

    /// The destination address, when Proof asked you to send one.
    pub fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }
}

/// Builds a [`SessionRequest`]; also its wire-shape deserializer (unknown fields refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRequestBuilder {
    partner_user_id: Option<String>,
    user_email: Option<String>,
    network: Option<String>,
    currency: Option<String>,
    #[serde(default, deserialize_with = "optional_decimal")]
    amount: Option<Decimal>,
    #[serde(rename = "type")]
    transaction_type: Option<String>,
    redirect_url: Option<String>,
    client_ip: Option<String>,
    address: Option<String>,
}

fn optional_decimal<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    deserialize_exact(d).map(Some)
}

impl SessionRequestBuilder {
    /// Your stable internal id for the user (required): KYC mapping and attribution.
    pub fn partner_user_id(mut self, id: impl Into<String>) -> Self {
        self.partner_user_id = Some(id.into());
        self
    }

    /// The user's email (required): Proof finds or creates the user's identity with it.
    pub fn user_email(mut self, email: impl Into<String>) -> Self {
        self.user_email = Some(email.into());
        self
    }

    /// The blockchain network, such as `TRC20`, `ERC20` or `BEP20` (required).
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// The crypto currency, one enabled for your integration (required).
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.currency = Some(currency.into());
        self
    }

    /// The crypto amount (required, positive), sent as a decimal string exactly as given.
    pub fn amount(mut self, amount: Decimal) -> Self {
        self.amount = Some(amount);
        self
    }

    /// `buy` or `sell`, overriding the partner default (sell must be enabled for you).
    pub fn transaction_type(mut self, transaction_type: TransactionType) -> Self {
        self.transaction_type = Some(transaction_type.as_str().to_owned());
        self
    }

    /// Where to send the user afterwards, overriding the partner default.
    pub fn redirect_url(mut self, url: Url) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// The end user's real IP, as your backend sees it (recommended: it is mixed into the
    /// session signature and feeds fraud checks).
    pub fn client_ip(mut self, ip: IpAddr) -> Self {
        self.client_ip = Some(ip.to_string());
        self
    }

    /// The destination wallet address. Send it only if Proof told you to during onboarding;
    /// otherwise Proof resolves the address and ignores any you send.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Checks every rule and returns the request, or a [`Validation`](crate::ErrorKind::Validation)
    /// error naming the first field that breaks one.
    pub fn build(self) -> Result<SessionRequest, Error> {
        let partner_user_id = validate::required("partner_user_id", self.partner_user_id)?;
        let user_email = validate::email(
            "user_email",
            validate::required("user_email", self.user_email)?,
        )?;
        let network = validate::required("network", self.network)?;
        let currency = validate::required("currency", self.currency)?;
        let amount = match self.amount {
            Some(amount) => validate::positive("amount", amount)?,
            None => return Err(Error::validation("amount", "is required")),
        };
        let transaction_type = self
            .transaction_type
            .map(|text| match TransactionType::from(text.as_str()) {
                TransactionType::Other(other) => Err(Error::validation(
                    "type",
                    format!("must be \"buy\" or \"sell\", not {other:?}"),
                )),
                known => Ok(known),
            })
            .transpose()?;
        let redirect_url = self
            .redirect_url
            .map(|text| validate::absolute_url("redirect_url", &text))
            .transpose()?;
        let client_ip = self
            .client_ip
            .map(|text| validate::ip("client_ip", &text))
            .transpose()?;
        let address = self
            .address
            .map(|address| validate::required("address", Some(address)))
            .transpose()?;
        let mut request = SessionRequest {
            partner_user_id,
            user_email,
            network,
            currency,
            amount,
            transaction_type,
            redirect_url,
            client_ip,
            address,
            body: ramp_core::Body::default(),
        };
        request.body = ramp_core::Body::new(
            serde_json::to_vec(&request)
                .map_err(|err| Error::validation("body", err.to_string()))?,
        );
        Ok(request)
    }
}

impl TryFrom<SessionRequestBuilder> for SessionRequest {
    type Error = Error;

    fn try_from(builder: SessionRequestBuilder) -> Result<Self, Error> {
        builder.build()
    }
}
