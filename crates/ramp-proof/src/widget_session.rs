//! The answer of `POST /widget/session`: the widget's parameters, verbatim.

use std::fmt;

use ramp_core::{ExposeSecret, SecretString};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::TransactionType;

/// The init token as the widget needs it: the one place it is written out.
fn expose<S: Serializer>(token: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(token.expose_secret())
}

fn secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SecretString, D::Error> {
    String::deserialize(deserializer).map(SecretString::from)
}

/// A widget session: every parameter `proofWidget.run({...})` needs, exactly as Proof sent
/// it. Pass them through verbatim with [`widget_config`](Self::widget_config).
///
/// Fields Proof adds later are kept in [`extra`](Self::extra) and passed on too.
#[derive(Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WidgetSession {
    /// Stable id of the transaction: save it, every status surface keys off it.
    pub merchant_transaction_id: String,
    /// Your widget id.
    pub widget_id: String,
    /// The resolved destination address.
    pub address: String,
    /// Proof's signature (`v2:<128 hex>`), for the widget.
    pub signature: String,
    /// Single-use session token (expires after first use or one hour): a secret, redacted in
    /// `Debug`; [`widget_config`](Self::widget_config) hands it to the widget.
    #[serde(serialize_with = "expose", deserialize_with = "secret")]
    pub init_token: SecretString,
    /// The init token's type.
    pub init_token_type: String,
    /// The crypto currency.
    pub currency: String,
    /// The currencies offered in the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currencies: Option<Vec<String>>,
    /// Whether the currency is locked (always true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_currency: Option<bool>,
    /// The network.
    pub network: String,
    /// The networks offered in the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub networks: Option<Vec<String>>,
    /// The locked network, as a list (`[network]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_network: Option<Vec<String>>,
    /// The crypto amount, as Proof wrote it.
    pub amount: String,
    /// Whether the amount is locked (always true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_amount: Option<bool>,
    /// The default fiat currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat_currency: Option<String>,
    /// The fiat currencies offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat_currencies: Option<Vec<String>>,
    /// Whether the fiat currency is locked (always false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_fiat_currency: Option<bool>,
    /// Whether the fiat amount is locked (always true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_fiat_amount: Option<bool>,
    /// `buy` or `sell`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<TransactionType>,
    /// The widget language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The widget theme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Where the user goes after the transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Fields this crate does not know, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl WidgetSession {
    /// The object for `proofWidget.run({...})`: every field under its camelCase name
    /// (`widgetId`, `initToken`, `fixNetwork`, ...), every value unchanged, unknown fields
    /// included (their names converted the same way). Serialize it to the browser as is.
    ///
    /// ```
    /// let session: ramp_proof::WidgetSession = serde_json::from_str(r#"{
    ///     "merchant_transaction_id": "550e8400-e29b-41d4-a716-446655440000",
    ///     "widget_id": "fb359d09", "address": "TRx1", "signature": "v2:a1b2",
    ///     "init_token": "eyJhbGciOi", "init_token_type": "sdk_partner_authorization",
    ///     "currency": "USDT", "network": "TRC20", "amount": "100", "fix_network": ["TRC20"]
    /// }"#)?;
    /// let config = session.widget_config();
    /// assert_eq!(config["widgetId"], "fb359d09");
    /// assert_eq!(config["fixNetwork"], serde_json::json!(["TRC20"]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn widget_config(&self) -> Value {
        let snake = match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Value::Object(
            snake
                .into_iter()
                .map(|(key, value)| (camel_case(&key), value))
                .collect(),
        )
    }

    /// The amount as an exact decimal, if Proof's text is one.
    pub fn amount_decimal(&self) -> Option<Decimal> {
        ramp_core::decimal::parse_exact(&self.amount)
    }
}

/// `init_token_type` → `initTokenType`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Debug for WidgetSession {
    /// The session with the single-use init token redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WidgetSession")
            .field("merchant_transaction_id", &self.merchant_transaction_id)
            .field("widget_id", &self.widget_id)
            .field("address", &self.address)
            .field("signature", &self.signature)
            .field("init_token", &"[REDACTED]")
            .field("init_token_type", &self.init_token_type)
            .field("currency", &self.currency)
            .field("network", &self.network)
            .field("amount", &self.amount)
            .field("transaction_type", &self.transaction_type)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn snake_case_names_become_camel_case() {
        assert_eq!(camel_case("init_token_type"), "initTokenType");
        assert_eq!(camel_case("fix_network"), "fixNetwork");
        assert_eq!(camel_case("type"), "type");
        assert_eq!(camel_case("_private"), "_private");
        assert_eq!(camel_case("already_camelCase"), "alreadyCamelCase");
    }
}
