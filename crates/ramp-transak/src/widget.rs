//! Widget parameters and the widget URL `POST /api/v2/auth/session` returns.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use ramp_core::decimal::serialize_option_number;
use ramp_core::validate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::Value;
use url::Url;

use crate::Error;

/// Which products the widget offers (`productsAvailed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Products {
    /// `BUY`.
    Buy,
    /// `SELL`.
    Sell,
    /// `BUY,SELL`.
    BuyAndSell,
}

impl Serialize for Products {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            Self::Buy => "BUY",
            Self::Sell => "SELL",
            Self::BuyAndSell => "BUY,SELL",
        })
    }
}

/// The widget's color mode (`colorMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum ColorMode {
    /// `LIGHT`.
    Light,
    /// `DARK`.
    Dark,
}

/// One wallet address, with its memo or tag where the chain needs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletAddress {
    /// The address.
    pub address: String,
    /// A memo, tag or other extra data for the address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_additional_data: Option<String>,
}

/// Wallet addresses per network and per coin (`walletAddressesData`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WalletAddressesData {
    /// Addresses by network, such as `ethereum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networks: Option<BTreeMap<String, WalletAddress>>,
    /// Addresses by coin, such as `USDT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coins: Option<BTreeMap<String, WalletAddress>>,
}

/// The user's postal address, inside [`UserData`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAddress {
    /// First line.
    pub address_line1: String,
    /// Second line.
    pub address_line2: String,
    /// City.
    pub city: String,
    /// State or region.
    pub state: String,
    /// Postal code.
    pub post_code: String,
    /// Country, ISO 3166-1 alpha-2.
    pub country_code: String,
}

/// The user's details, to prefill the widget (`userData`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserData {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
    /// Mobile number, with country code.
    pub mobile_number: String,
    /// Date of birth, as Transak expects it (`DD-MM-YYYY`).
    pub dob: String,
    /// Postal address.
    pub address: UserAddress,
}

/// The widget's query parameters (`widgetParams`), camelCase on the wire.
///
/// Every parameter of Transak's published list (the official transak-sdk's `QueryParams`
/// type) is a field, except those of the NFT checkout and Transak One products, which are
/// left to [`extra`](Self::extra) on purpose (see below). Set the ones you need and leave the
/// rest to `Default`. `api_key` and `referrer_domain` come from the client unless set here.
/// Amounts are `Decimal`s sent as JSON numbers; lists are sent comma-separated.
///
/// # Left to `extra`
///
/// Parameters not modelled go in [`extra`](Self::extra), sent as given; they cannot override a
/// typed one. These published ones are left there deliberately:
///
/// - NFT checkout: `isNFT`, `contractId`, `nftData`, `tokenData`, `tokenId`, `tradeType`,
///   `contractAddress`, `smartContractAddress`, `calldata`, `estimatedGasLimit`;
/// - Transak One (arbitrary smart-contract calls): `isTransakOne`, `sourceTokenData`,
///   `cryptoCurrencyData`;
/// - Transak Stream off-ramp: `isTransakStreamOffRamp`.
///
/// They belong to other products than the fiat on-ramp this crate serves: they need a
/// contract registered in Transak's dashboard, and their values are encoded per product (the
/// SDK sends `nftData`, `tokenData`, `sourceTokenData` and `cryptoCurrencyData` as base64 JSON,
/// `calldata` deflated and base64): typing them without that product's contract to test
/// against would be guessing. Pass them in `extra` in the form Transak's docs for that product
/// give.
///
/// ```
/// use ramp_transak::{ColorMode, Decimal, Products, WidgetParams};
///
/// let params = WidgetParams {
///     products_availed: Some(Products::Buy),
///     crypto_currency_code: Some("ETH".into()),
///     fiat_currency: Some("EUR".into()),
///     fiat_amount: Some(Decimal::new(15050, 2)),
///     network: Some("ethereum".into()),
///     wallet_address: Some("0x977BC1915dA4f7edA9D2e49BC08356db37478538".into()),
///     color_mode: Some(ColorMode::Dark),
///     ..WidgetParams::default()
/// };
/// params.validate()?;
/// # Ok::<(), ramp_transak::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetParams {
    /// Your API key; the client's when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Your domain (web) or app package name (mobile); the client's when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer_domain: Option<String>,
    /// Buy, sell or both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub products_availed: Option<Products>,
    /// The fiat currency, locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiat_currency: Option<String>,
    /// The default fiat currency, changeable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_fiat_currency: Option<String>,
    /// The user's country, ISO 3166-1 alpha-2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Fiat currencies to leave out.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_list")]
    pub exclude_fiat_currencies: Option<Vec<String>>,
    /// The network, locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// The default network, changeable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_network: Option<String>,
    /// The networks offered.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_list")]
    pub networks: Option<Vec<String>>,
    /// The cryptocurrency, locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crypto_currency_code: Option<String>,
    /// The default cryptocurrency, changeable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_crypto_currency: Option<String>,
    /// The cryptocurrencies offered.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_list")]
    pub crypto_currency_list: Option<Vec<String>>,
    /// The fiat amount, locked (positive).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_option_number"
    )]
    pub fiat_amount: Option<Decimal>,
    /// The default fiat amount, changeable (positive).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_option_number"
    )]
    pub default_fiat_amount: Option<Decimal>,
    /// The crypto amount, locked (positive).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_option_number"
    )]
    pub crypto_amount: Option<Decimal>,
    /// The default crypto amount, changeable (positive).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_option_number"
    )]
    pub default_crypto_amount: Option<Decimal>,
    /// The payment method, locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// The default payment method, changeable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_payment_method: Option<String>,
    /// Payment methods to leave out.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_list")]
    pub disable_payment_methods: Option<Vec<String>>,
    /// The user's wallet address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_address: Option<String>,
    /// Wallet addresses per network or coin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_addresses_data: Option<WalletAddressesData>,
    /// Whether the user may not change the wallet address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_wallet_address_form: Option<bool>,
    /// The user's email (local part @ domain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's details, to prefill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<UserData>,
    /// Whether to prefill from `userData` without asking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_fill_user_data: Option<bool>,
    /// Whether to hide the fee breakdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_fee_calculation_hidden: Option<bool>,
    /// Whether to skip the exchange screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_exchange_screen: Option<bool>,
    /// The theme color, hex without `#`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme_color: Option<String>,
    /// Whether to hide the menu.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_menu: Option<bool>,
    /// Light or dark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color_mode: Option<ColorMode>,
    /// The title of the exchange screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_screen_title: Option<String>,
    /// Background colors of the widget's theme, hex.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_list")]
    pub background_colors: Option<Vec<String>>,
    /// Text colors of the widget's theme, hex.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_list")]
    pub text_colors: Option<Vec<String>>,
    /// Border colors of the widget's theme, hex.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_list")]
    pub border_colors: Option<Vec<String>>,
    /// Where to send the user after the order (an absolute URL).
    #[serde(rename = "redirectURL", skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Your order id, returned in webhooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_order_id: Option<String>,
    /// Your customer id, returned in webhooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_customer_id: Option<String>,
    /// Whether to redirect to the wallet after the order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_redirection: Option<bool>,
    /// Parameters this crate does not model, sent as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The wire names of the typed parameters, which `extra` may not use.
const TYPED: [&str; 39] = [
    "apiKey",
    "referrerDomain",
    "productsAvailed",
    "fiatCurrency",
    "defaultFiatCurrency",
    "countryCode",
    "excludeFiatCurrencies",
    "network",
    "defaultNetwork",
    "networks",
    "cryptoCurrencyCode",
    "defaultCryptoCurrency",
    "cryptoCurrencyList",
    "fiatAmount",
    "defaultFiatAmount",
    "cryptoAmount",
    "defaultCryptoAmount",
    "paymentMethod",
    "defaultPaymentMethod",
    "disablePaymentMethods",
    "walletAddress",
    "walletAddressesData",
    "disableWalletAddressForm",
    "email",
    "userData",
    "isAutoFillUserData",
    "isFeeCalculationHidden",
    "hideExchangeScreen",
    "themeColor",
    "hideMenu",
    "colorMode",
    "exchangeScreenTitle",
    "backgroundColors",
    "textColors",
    "borderColors",
    "redirectURL",
    "partnerOrderId",
    "partnerCustomerId",
    "walletRedirection",
];

fn comma_list<S: Serializer>(list: &Option<Vec<String>>, serializer: S) -> Result<S::Ok, S::Error> {
    match list {
        Some(list) => serializer.serialize_str(&list.join(",")),
        None => serializer.serialize_none(),
    }
}

impl WidgetParams {
    /// Checks the documented rules: `apiKey` and `referrerDomain` present and not empty, each
    /// amount positive, an email with a local part and a domain, an absolute `redirectURL`,
    /// and no `extra` key shadowing a typed parameter. The client runs this (after filling
    /// in its API key and referrer domain) before anything is sent.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(api_key) = &self.api_key {
            validate::required("apiKey", Some(api_key.clone()))?;
        }
        if let Some(domain) = &self.referrer_domain {
            validate::required("referrerDomain", Some(domain.clone()))?;
        }
        for (field, amount) in [
            ("fiatAmount", self.fiat_amount),
            ("defaultFiatAmount", self.default_fiat_amount),
            ("cryptoAmount", self.crypto_amount),
            ("defaultCryptoAmount", self.default_crypto_amount),
        ] {
            if let Some(amount) = amount {
                validate::positive(field, amount)?;
            }
        }
        if let Some(email) = &self.email {
            validate::email("email", email.clone())?;
        }
        if let Some(url) = &self.redirect_url {
            validate::absolute_url("redirectURL", url)?;
        }
        if let Some(key) = self.extra.keys().find(|k| TYPED.contains(&k.as_str())) {
            return Err(Error::Validation {
                field: "extra",
                reason: format!("`{key}` is a typed parameter; set its field instead"),
            });
        }
        Ok(())
    }

    /// With the client's API key and referrer domain where these are unset, validated.
    /// Every wallet address, checked for its network before anything is sent.
    pub(crate) fn check_addresses(&self, policy: ramp_address::Policy) -> Result<(), Error> {
        let invalid = |field: &'static str, err: ramp_address::CheckError| Error::Validation {
            field,
            reason: err.to_string(),
        };
        let check_by_coin = |coin: &str, address: &str| {
            let network = ramp_address::family_of_crypto(coin).map(ramp_address::Family::name);
            ramp_address::check(network.unwrap_or(coin), address, policy)
        };
        if let Some(address) = &self.wallet_address {
            match (&self.network, &self.crypto_currency_code) {
                (Some(network), _) => ramp_address::check(network, address, policy),
                (None, Some(coin)) => check_by_coin(coin, address),
                (None, None) => ramp_address::check("", address, policy),
            }
            .map_err(|err| invalid("walletAddress", err))?;
        }
        if let Some(data) = &self.wallet_addresses_data {
            for (network, wallet) in data.networks.iter().flatten() {
                ramp_address::check(network, &wallet.address, policy)
                    .map_err(|err| invalid("walletAddressesData", err))?;
            }
            for (coin, wallet) in data.coins.iter().flatten() {
                check_by_coin(coin, &wallet.address)
                    .map_err(|err| invalid("walletAddressesData", err))?;
            }
        }
        Ok(())
    }

    pub(crate) fn completed(
        &self,
        api_key: &str,
        referrer_domain: Option<&str>,
    ) -> Result<Self, Error> {
        let mut params = self.clone();
        params.api_key.get_or_insert_with(|| api_key.to_owned());
        if params.referrer_domain.is_none() {
            params.referrer_domain = referrer_domain.map(str::to_owned);
        }
        if params.referrer_domain.is_none() {
            return Err(Error::Validation {
                field: "referrerDomain",
                reason: "is required; set it on the client (ClientBuilder::referrer_domain) or \
                         in the parameters"
                    .into(),
            });
        }
        params.validate()?;
        Ok(params)
    }
}

/// A widget URL. It is **single-use** and **expires 5 minutes** after creation: create one per
/// user flow, right before showing the widget, and never cache or share it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WidgetUrl {
    /// The URL to load the widget from.
    pub url: Url,
    /// When it stops working: 5 minutes after it was received, by the local clock.
    pub expires_at: SystemTime,
}

/// How long a widget URL lives.
pub const WIDGET_URL_LIFETIME: Duration = Duration::from_secs(5 * 60);

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// The keys of `QueryParams` in Transak/transak-sdk `src/Types/query-params.types.d.ts`.
    const PUBLISHED: [&str; 53] = [
        "apiKey",
        "exchangeScreenTitle",
        "productsAvailed",
        "defaultFiatCurrency",
        "fiatCurrency",
        "countryCode",
        "excludeFiatCurrencies",
        "defaultNetwork",
        "network",
        "networks",
        "defaultPaymentMethod",
        "paymentMethod",
        "disablePaymentMethods",
        "defaultCryptoAmount",
        "defaultCryptoCurrency",
        "cryptoCurrencyCode",
        "cryptoCurrencyList",
        "isFeeCalculationHidden",
        "hideExchangeScreen",
        "email",
        "userData",
        "isAutoFillUserData",
        "themeColor",
        "hideMenu",
        "redirectURL",
        "partnerOrderId",
        "partnerCustomerId",
        "defaultFiatAmount",
        "fiatAmount",
        "walletAddress",
        "walletAddressesData",
        "disableWalletAddressForm",
        "isNFT",
        "tokenId",
        "tradeType",
        "contractAddress",
        "calldata",
        "smartContractAddress",
        "nftData",
        "estimatedGasLimit",
        "cryptoAmount",
        "walletRedirection",
        "referrerDomain",
        "colorMode",
        "backgroundColors",
        "textColors",
        "borderColors",
        "isTransakOne",
        "sourceTokenData",
        "cryptoCurrencyData",
        "contractId",
        "tokenData",
        "isTransakStreamOffRamp",
    ];

    /// The published parameters left to `extra`, as the `WidgetParams` docs list them.
    const LEFT_TO_EXTRA: [&str; 14] = [
        "isNFT",
        "contractId",
        "nftData",
        "tokenData",
        "tokenId",
        "tradeType",
        "contractAddress",
        "smartContractAddress",
        "calldata",
        "estimatedGasLimit",
        "isTransakOne",
        "sourceTokenData",
        "cryptoCurrencyData",
        "isTransakStreamOffRamp",
    ];

    fn every_field_set() -> WidgetParams {
        let text = || Some("x".to_owned());
        let list = || Some(vec!["a".to_owned(), "b".to_owned()]);
        let amount = Some(Decimal::ONE);
        WidgetParams {
            api_key: text(),
            referrer_domain: text(),
            products_availed: Some(Products::Buy),
            fiat_currency: text(),
            default_fiat_currency: text(),
            country_code: text(),
            exclude_fiat_currencies: list(),
            network: text(),
            default_network: text(),
            networks: list(),
            crypto_currency_code: text(),
            default_crypto_currency: text(),
            crypto_currency_list: list(),
            fiat_amount: amount,
            default_fiat_amount: amount,
            crypto_amount: amount,
            default_crypto_amount: amount,
            payment_method: text(),
            default_payment_method: text(),
            disable_payment_methods: list(),
            wallet_address: text(),
            wallet_addresses_data: Some(WalletAddressesData::default()),
            disable_wallet_address_form: Some(true),
            email: text(),
            user_data: Some(UserData::default()),
            is_auto_fill_user_data: Some(true),
            is_fee_calculation_hidden: Some(true),
            hide_exchange_screen: Some(true),
            theme_color: text(),
            hide_menu: Some(true),
            color_mode: Some(ColorMode::Dark),
            exchange_screen_title: text(),
            background_colors: list(),
            text_colors: list(),
            border_colors: list(),
            redirect_url: text(),
            partner_order_id: text(),
            partner_customer_id: text(),
            wallet_redirection: Some(true),
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn every_published_parameter_is_typed_or_deliberately_left_to_extra() {
        let typed: BTreeSet<&str> = TYPED.into_iter().collect();
        let left: BTreeSet<&str> = LEFT_TO_EXTRA.into_iter().collect();
        let published: BTreeSet<&str> = PUBLISHED.into_iter().collect();
        assert!(typed.is_disjoint(&left));
        let covered: BTreeSet<&str> = typed.union(&left).copied().collect();
        assert_eq!(
            covered, published,
            "typed ∪ left to extra = the published list"
        );
    }

    #[test]
    fn the_typed_names_are_the_wire_names() {
        let json = serde_json::to_value(every_field_set()).unwrap();
        let sent: BTreeSet<String> = json.as_object().unwrap().keys().cloned().collect();
        let typed: BTreeSet<String> = TYPED.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(sent, typed);
        assert_eq!(json["backgroundColors"], "a,b");
        assert_eq!(json["exchangeScreenTitle"], "x");
    }

    #[test]
    fn a_parameter_left_to_extra_is_sent_as_given() {
        let mut params = WidgetParams {
            api_key: Some("k".into()),
            referrer_domain: Some("d".into()),
            ..WidgetParams::default()
        };
        params.extra.insert("isNFT".into(), Value::Bool(true));
        params
            .extra
            .insert("contractId".into(), Value::String("c-1".into()));
        params.validate().unwrap();
        let json = serde_json::to_value(&params).unwrap();
        assert_eq!(json["isNFT"], true);
        assert_eq!(json["contractId"], "c-1");
        params
            .extra
            .insert("borderColors".into(), Value::String("#fff".into()));
        let err = params.validate().unwrap_err();
        assert!(
            err.to_string()
                .contains("`borderColors` is a typed parameter")
        );
    }
}
