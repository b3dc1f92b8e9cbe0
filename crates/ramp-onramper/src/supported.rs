//! What a checkout form offers: `GET /supported` (currencies), `/supported/countries`,
//! `/supported/assets`, `/supported/payment-types/{fiat}` and `/supported/defaults/all`, each
//! in Onramper's `{"message": ...}` envelope.
//!
//! Onramper's reference pages for these name the endpoints; the shapes typed here are those of
//! Onramper's own integration code (`{message}` envelope, currencies) and of public
//! integrations (assets, payment types, defaults). Every field but the ids is optional and
//! unknown fields are ignored, so a shape that grows does not break decoding.

use std::collections::BTreeMap;

use ramp_core::http::Request;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

use crate::{CheckoutType, Client, Error};

/// A crypto currency Onramper supports.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Crypto {
    /// The id, such as `eth` or `usdc_polygon`: a checkout's `destination`.
    pub code: String,
    /// The network, such as `ethereum`.
    #[serde(default)]
    pub network: Option<String>,
    /// The number of decimals.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// The display name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A fiat currency Onramper supports.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Fiat {
    /// The id, such as `eur`: a checkout's `source`.
    pub code: String,
    /// The number of decimals.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// The display name.
    #[serde(default)]
    pub name: Option<String>,
}

/// The currencies of `GET /supported`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Supported {
    /// Crypto currencies.
    #[serde(default)]
    pub crypto: Vec<Crypto>,
    /// Fiat currencies.
    #[serde(default)]
    pub fiat: Vec<Fiat>,
}

/// A country of `GET /supported/countries`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Country {
    /// ISO 3166-1 alpha-2, such as `NL`.
    pub country_code: String,
    /// The display name.
    #[serde(default)]
    pub country_name: Option<String>,
}

/// What one fiat currency can buy (or, for `sell`, what one crypto can be sold for), and
/// with which payment methods.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Asset {
    /// Fiat ids (one for `buy`; several for `sell`).
    #[serde(deserialize_with = "one_or_many")]
    pub fiat: Vec<String>,
    /// Crypto ids (several for `buy`; one for `sell`).
    #[serde(deserialize_with = "one_or_many")]
    pub crypto: Vec<String>,
    /// Payment method ids.
    #[serde(default)]
    pub payment_methods: Vec<String>,
}

/// `GET /supported/assets`: the assets for a source currency in a country.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Assets {
    /// The assets.
    #[serde(default)]
    pub assets: Vec<Asset>,
    /// The country they apply to.
    #[serde(default)]
    pub country: Option<String>,
}

/// An amount range.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Limit {
    /// The smallest amount.
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub min: Option<Decimal>,
    /// The largest amount.
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub max: Option<Decimal>,
}

/// Where a payment type works, and its limits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentTypeDetails {
    /// Such as `SourceAndDestSupported`.
    #[serde(default)]
    pub currency_status: Option<String>,
    /// Limits per onramp, and `aggregatedLimit` across them.
    #[serde(default)]
    pub limits: BTreeMap<String, Limit>,
}

/// A payment type of `GET /supported/payment-types/{fiat}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentType {
    /// The id, such as `creditcard`: a checkout's `paymentMethod`.
    pub payment_type_id: String,
    /// The display name.
    #[serde(default)]
    pub name: Option<String>,
    /// An icon URL.
    #[serde(default)]
    pub icon: Option<String>,
    /// Where it works and its limits, where given.
    #[serde(default)]
    pub details: Option<PaymentTypeDetails>,
}

/// A default purchase: what a form starts with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DefaultPurchase {
    /// The source currency.
    #[serde(default)]
    pub source: Option<String>,
    /// The destination currency.
    #[serde(default)]
    pub target: Option<String>,
    /// The amount of the source, exact.
    #[serde(
        default,
        deserialize_with = "ramp_core::decimal::deserialize_exact_option"
    )]
    pub amount: Option<Decimal>,
    /// The payment method.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The onramp.
    #[serde(default)]
    pub provider: Option<String>,
    /// The country, where given.
    #[serde(default)]
    pub country: Option<String>,
}

/// `GET /supported/defaults/all`: the recommendation for the request's country, and the
/// defaults of every country (by lowercase country code).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Defaults {
    /// The default for the country asked about.
    #[serde(default)]
    pub recommended: Option<DefaultPurchase>,
    /// Every country's default.
    #[serde(default)]
    pub defaults: BTreeMap<String, DefaultPurchase>,
}

/// A string, or a list of strings, as a list.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

#[derive(Deserialize)]
struct Message<T> {
    message: T,
}

impl Client {
    /// The supported currencies: `GET /supported` (public: not signed). Safe to retry.
    pub async fn supported(&self) -> Result<Supported, Error> {
        self.supported_part("supported", None).await
    }

    /// The supported countries: `GET /supported/countries`. Safe to retry.
    pub async fn supported_countries(&self) -> Result<Vec<Country>, Error> {
        self.supported_part("supported", Some("countries")).await
    }

    /// The assets for a source currency: `GET /supported/assets?source=&type=` and, when
    /// given, `country` (ISO 3166-1 alpha-2). Safe to retry.
    pub async fn supported_assets(
        &self,
        source: &str,
        kind: CheckoutType,
        country: Option<&str>,
    ) -> Result<Assets, Error> {
        if source.trim().is_empty() {
            return Err(Error::validation("source", "must not be empty"));
        }
        let mut call = Request::get("supported/assets")
            .header("accept", "application/json")
            .query("source", source)
            .query("type", kind.as_str());
        if let Some(country) = country {
            call = call.query("country", country);
        }
        self.message(call).await
    }

    /// The payment types for a fiat currency: `GET /supported/payment-types/{fiat}`. Safe to
    /// retry.
    pub async fn supported_payment_types(&self, fiat: &str) -> Result<Vec<PaymentType>, Error> {
        if fiat.trim().is_empty() {
            return Err(Error::validation("fiat", "must not be empty"));
        }
        self.supported_part("supported/payment-types", Some(fiat))
            .await
    }

    /// The default purchase for a country, and every country's: `GET
    /// /supported/defaults/all?type=` and, when given, `country`. Safe to retry.
    pub async fn supported_defaults(
        &self,
        kind: CheckoutType,
        country: Option<&str>,
    ) -> Result<Defaults, Error> {
        let mut call = Request::get("supported/defaults/all")
            .header("accept", "application/json")
            .query("type", kind.as_str());
        if let Some(country) = country {
            call = call.query("country", country);
        }
        self.message(call).await
    }

    async fn supported_part<T: serde::de::DeserializeOwned>(
        &self,
        path: &'static str,
        segment: Option<&str>,
    ) -> Result<T, Error> {
        let mut call = Request::get(path).header("accept", "application/json");
        if let Some(segment) = segment {
            call = call.segment(segment);
        }
        self.message(call).await
    }

    /// Sends `call` and takes `message` out of the answer.
    async fn message<T: serde::de::DeserializeOwned>(&self, call: Request) -> Result<T, Error> {
        let body: Message<T> = self.decode(self.http.send(call).await?)?;
        Ok(body.message)
    }
}
