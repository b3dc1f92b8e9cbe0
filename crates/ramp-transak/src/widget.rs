//! Widget parameters and the widget URL `POST /api/v2/auth/session` returns.

use std::collections::BTreeMap;
use std::time::Duration;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use serde_with::StringWithSeparator;
use serde_with::formats::CommaSeparator;
use url::Url;

use crate::Error;
use crate::{ColorMode, Products, UserData, WalletAddressesData};

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
/// Build it with [`WidgetParams::builder`] (the struct is `#[non_exhaustive]`: Transak adds
/// parameters, and adding a field here must not break your code); read its fields directly.
///
/// ```
/// use ramp_transak::{ColorMode, Decimal, Products, WidgetParams};
///
/// let params = WidgetParams::builder()
///     .products_availed(Products::Buy)
///     .crypto_currency_code("ETH")
///     .fiat_currency("EUR")
///     .fiat_amount(Decimal::new(15050, 2))
///     .network("ethereum")
///     .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
///     .color_mode(ColorMode::Dark)
///     .build()?;
/// assert_eq!(params.network.as_deref(), Some("ethereum"));
/// # Ok::<(), ramp_transak::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[serde_with::serde_as]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WidgetParams {
    /// Your API key; the client's when `None`.
    pub api_key: Option<String>,
    /// Your domain (web) or app package name (mobile); the client's when `None`.
    pub referrer_domain: Option<String>,
    /// Buy, sell or both.
    pub products_availed: Option<Products>,
    /// The fiat currency, locked.
    pub fiat_currency: Option<String>,
    /// The default fiat currency, changeable.
    pub default_fiat_currency: Option<String>,
    /// The user's country, ISO 3166-1 alpha-2.
    pub country_code: Option<String>,
    /// Fiat currencies to leave out.
    #[serde_as(as = "Option<StringWithSeparator<CommaSeparator, String>>")]
    pub exclude_fiat_currencies: Option<Vec<String>>,
    /// The network, locked.
    pub network: Option<String>,
    /// The default network, changeable.
    pub default_network: Option<String>,
    /// The networks offered.
    #[serde_as(as = "Option<StringWithSeparator<CommaSeparator, String>>")]
    pub networks: Option<Vec<String>>,
    /// The cryptocurrency, locked.
    pub crypto_currency_code: Option<String>,
    /// The default cryptocurrency, changeable.
    pub default_crypto_currency: Option<String>,
    /// The cryptocurrencies offered.
    #[serde_as(as = "Option<StringWithSeparator<CommaSeparator, String>>")]
    pub crypto_currency_list: Option<Vec<String>>,
    /// The fiat amount, locked (positive).
    #[serde(with = "ramp_core::decimal::option")]
    pub fiat_amount: Option<Decimal>,
    /// The default fiat amount, changeable (positive).
    #[serde(with = "ramp_core::decimal::option")]
    pub default_fiat_amount: Option<Decimal>,
    /// The crypto amount, locked (positive).
    #[serde(with = "ramp_core::decimal::option")]
    pub crypto_amount: Option<Decimal>,
    /// The default crypto amount, changeable (positive).
    #[serde(with = "ramp_core::decimal::option")]
    pub default_crypto_amount: Option<Decimal>,
    /// The payment method, locked.
    pub payment_method: Option<String>,
    /// The default payment method, changeable.
    pub default_payment_method: Option<String>,
    /// Payment methods to leave out.
    #[serde_as(as = "Option<StringWithSeparator<CommaSeparator, String>>")]
    pub disable_payment_methods: Option<Vec<String>>,
    /// The user's wallet address.
    pub wallet_address: Option<String>,
    /// Wallet addresses per network or coin.
    pub wallet_addresses_data: Option<WalletAddressesData>,
    /// Whether the user may not change the wallet address.
    pub disable_wallet_address_form: Option<bool>,
    /// The user's email (local part @ domain).
    pub email: Option<String>,
    /// The user's details, to prefill.
    pub user_data: Option<UserData>,
    /// Whether to prefill from `userData` without asking.
    pub is_auto_fill_user_data: Option<bool>,
    /// Whether to hide the fee breakdown.
    pub is_fee_calculation_hidden: Option<bool>,
    /// Whether to skip the exchange screen.
    pub hide_exchange_screen: Option<bool>,
    /// The theme color, hex without `#`.
    pub theme_color: Option<String>,
    /// Whether to hide the menu.
    pub hide_menu: Option<bool>,
    /// Light or dark.
    pub color_mode: Option<ColorMode>,
    /// The title of the exchange screen.
    pub exchange_screen_title: Option<String>,
    /// Background colors of the widget's theme, hex.
    #[serde_as(as = "Option<StringWithSeparator<CommaSeparator, String>>")]
    pub background_colors: Option<Vec<String>>,
    /// Text colors of the widget's theme, hex.
    #[serde_as(as = "Option<StringWithSeparator<CommaSeparator, String>>")]
    pub text_colors: Option<Vec<String>>,
    /// Border colors of the widget's theme, hex.
    #[serde_as(as = "Option<StringWithSeparator<CommaSeparator, String>>")]
    pub border_colors: Option<Vec<String>>,
    /// Where to send the user after the order (an absolute URL).
    #[serde(rename = "redirectURL")]
    pub redirect_url: Option<String>,
    /// Your order id, returned in webhooks.
    pub partner_order_id: Option<String>,
    /// Your customer id, returned in webhooks.
    pub partner_customer_id: Option<String>,
    /// Whether to redirect to the wallet after the order.
    pub wallet_redirection: Option<bool>,
    /// Parameters this crate does not model, sent as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl WidgetParams {
    /// A builder; [`build`](WidgetParamsBuilder::build) validates.
    pub fn builder() -> WidgetParamsBuilder {
        WidgetParamsBuilder::default()
    }
}

/// Builds [`WidgetParams`]: one setter per parameter, then [`build`](Self::build), which
/// checks the documented rules ([`WidgetParams::validate`]).
///
/// ```
/// use ramp_transak::{ColorMode, Decimal, Products, WidgetParams};
///
/// let params = WidgetParams::builder()
///     .products_availed(Products::Buy)
///     .crypto_currency_code("ETH")
///     .network("ethereum")
///     .fiat_currency("EUR")
///     .fiat_amount(Decimal::new(15050, 2))
///     .wallet_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
///     .networks(["ethereum", "polygon"])
///     .color_mode(ColorMode::Dark)
///     .build()?;
/// assert_eq!(params.fiat_amount, Some(Decimal::new(15050, 2)));
/// # Ok::<(), ramp_transak::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct WidgetParamsBuilder {
    params: WidgetParams,
}

/// One setter per field of [`WidgetParams`], by kind: text, a list of texts, an amount, a
/// flag, or a value of its own type.
macro_rules! setters {
    ($($name:ident: $kind:tt),* $(,)?) => {
        impl WidgetParamsBuilder {
            $(setters!(@one $name $kind);)*
        }
    };
    (@one $name:ident text) => {
        #[doc = concat!("Sets [`", stringify!($name), "`](WidgetParams::", stringify!($name), ").")]
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.params.$name = Some(value.into());
            self
        }
    };
    (@one $name:ident list) => {
        #[doc = concat!("Sets [`", stringify!($name), "`](WidgetParams::", stringify!($name), "), sent comma-separated.")]
        pub fn $name<S: Into<String>>(mut self, values: impl IntoIterator<Item = S>) -> Self {
            self.params.$name = Some(values.into_iter().map(Into::into).collect());
            self
        }
    };
    (@one $name:ident amount) => {
        #[doc = concat!("Sets [`", stringify!($name), "`](WidgetParams::", stringify!($name), "), sent with every digit as given.")]
        pub fn $name(mut self, amount: Decimal) -> Self {
            self.params.$name = Some(amount);
            self
        }
    };
    (@one $name:ident flag) => {
        #[doc = concat!("Sets [`", stringify!($name), "`](WidgetParams::", stringify!($name), ").")]
        pub fn $name(mut self, value: bool) -> Self {
            self.params.$name = Some(value);
            self
        }
    };
    (@one $name:ident ($ty:ty)) => {
        #[doc = concat!("Sets [`", stringify!($name), "`](WidgetParams::", stringify!($name), ").")]
        pub fn $name(mut self, value: $ty) -> Self {
            self.params.$name = Some(value);
            self
        }
    };
}

setters! {
    api_key: text,
    referrer_domain: text,
    products_availed: (Products),
    fiat_currency: text,
    default_fiat_currency: text,
    country_code: text,
    exclude_fiat_currencies: list,
    network: text,
    default_network: text,
    networks: list,
    crypto_currency_code: text,
    default_crypto_currency: text,
    crypto_currency_list: list,
    fiat_amount: amount,
    default_fiat_amount: amount,
    crypto_amount: amount,
    default_crypto_amount: amount,
    payment_method: text,
    default_payment_method: text,
    disable_payment_methods: list,
    wallet_address: text,
    wallet_addresses_data: (WalletAddressesData),
    disable_wallet_address_form: flag,
    email: text,
    user_data: (UserData),
    is_auto_fill_user_data: flag,
    is_fee_calculation_hidden: flag,
    hide_exchange_screen: flag,
    theme_color: text,
    hide_menu: flag,
    color_mode: (ColorMode),
    exchange_screen_title: text,
    background_colors: list,
    text_colors: list,
    border_colors: list,
    redirect_url: text,
    partner_order_id: text,
    partner_customer_id: text,
    wallet_redirection: flag,
}

impl WidgetParamsBuilder {
    /// A parameter this crate does not type, sent as given (see
    /// [`WidgetParams::extra`]); `build` refuses a key that names a typed parameter.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.params.extra.insert(key.into(), value.into());
        self
    }

    /// The parameters, checked ([`WidgetParams::validate`]); `apiKey` and `referrerDomain`
    /// may stay unset, for the client to fill in.
    pub fn build(self) -> Result<WidgetParams, Error> {
        self.params.validate()?;
        // What can be checked before the environment is known: each wallet address well
        // formed for its network (on mainnet or testnet). The client checks again, with its
        // environment and strictness, before anything is sent.
        self.params
            .check_addresses_with(ramp_address::check_format)?;
        Ok(self.params)
    }
}

/// A widget URL. It is **single-use** and **expires 5 minutes** after creation: create one per
/// user flow, right before showing the widget, and never cache or share it. Its session id
/// opens the user's widget, so `Debug` shows only its origin.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WidgetUrl {
    /// The URL to load the widget from.
    pub url: Url,
    /// When it stops working: 5 minutes after it was received, by the local clock (UTC).
    pub expires_at: time::OffsetDateTime,
}

/// How long a widget URL lives.
pub const WIDGET_URL_LIFETIME: Duration = Duration::from_secs(5 * 60);

#[cfg(test)]
#[path = "widget_tests.rs"]
mod tests;

impl std::fmt::Debug for WidgetUrl {
    /// The URL's origin and the expiry; the path and query (the session) print as
    /// `[REDACTED]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WidgetUrl")
            .field(
                "url",
                &format_args!("{}/[REDACTED]", self.url.origin().ascii_serialization()),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}
