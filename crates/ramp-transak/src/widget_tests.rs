//! The widget parameters: their wire form, their rules, and the address checks.

use std::collections::BTreeSet;

use super::*;
use crate::widget_rules::TYPED;

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

/// Every parameter set through its builder setter: the wire-name test below then also
/// proves each setter sets its own field.
fn every_field_set() -> WidgetParams {
    let list = ["a", "b"];
    WidgetParams::builder()
        .api_key("x")
        .referrer_domain("x")
        .products_availed(Products::Buy)
        .fiat_currency("x")
        .default_fiat_currency("x")
        .country_code("x")
        .exclude_fiat_currencies(list)
        .network("x")
        .default_network("x")
        .networks(list)
        .crypto_currency_code("x")
        .default_crypto_currency("x")
        .crypto_currency_list(list)
        .fiat_amount(Decimal::ONE)
        .default_fiat_amount(Decimal::ONE)
        .crypto_amount(Decimal::ONE)
        .default_crypto_amount(Decimal::ONE)
        .payment_method("x")
        .default_payment_method("x")
        .disable_payment_methods(list)
        .wallet_address("x")
        .wallet_addresses_data(WalletAddressesData::default())
        .disable_wallet_address_form(true)
        .email("user@example.com")
        .user_data(UserData::default())
        .is_auto_fill_user_data(true)
        .is_fee_calculation_hidden(true)
        .hide_exchange_screen(true)
        .theme_color("x")
        .hide_menu(true)
        .color_mode(ColorMode::Dark)
        .exchange_screen_title("x")
        .background_colors(list)
        .text_colors(list)
        .border_colors(list)
        .redirect_url("https://example.com/done")
        .partner_order_id("x")
        .partner_customer_id("x")
        .wallet_redirection(true)
        .build()
        .unwrap()
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
    assert_eq!(json["fiatAmount"].to_string(), "1");
}

#[test]
fn the_builder_checks_what_validate_checks() {
    let err = WidgetParams::builder()
        .fiat_amount(Decimal::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `fiatAmount`: must be greater than zero, not 0"
    );
    let err = WidgetParams::builder()
        .extra("networks", "ethereum")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("`networks` is a typed parameter"));
    let unset = WidgetParams::builder().build().unwrap();
    assert_eq!(serde_json::to_string(&unset).unwrap(), "{}");
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
