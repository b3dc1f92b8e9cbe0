//! The answer of the public price quote: the quote and its fee breakdown, exact.

use rust_decimal::Decimal;
use serde::Deserialize;

/// One line of a quote's fee breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Fee {
    /// The fee's id, such as `transak_fee` or `network_fee`, where given.
    #[serde(default)]
    pub id: Option<String>,
    /// The fee's name, such as `Transak fee`.
    pub name: String,
    /// The fee, in the fiat currency, exact.
    #[serde(with = "ramp_core::decimal::exact")]
    pub value: Decimal,
}

/// A price quote. Every amount is exact, as Transak wrote it; fields Transak adds are
/// ignored. A quote is indicative: prices move, and the widget prices the order again.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PriceQuote {
    /// Transak's id for this quote.
    pub quote_id: String,
    /// Crypto per unit of fiat, fees included.
    #[serde(with = "ramp_core::decimal::exact")]
    pub conversion_price: Decimal,
    /// Crypto per unit of fiat at the market rate, without fees.
    #[serde(default, with = "ramp_core::decimal::option")]
    pub market_conversion_price: Option<Decimal>,
    /// The difference between the two, in percent.
    #[serde(default, with = "ramp_core::decimal::option")]
    pub slippage: Option<Decimal>,
    /// The fiat currency.
    pub fiat_currency: String,
    /// The cryptocurrency.
    pub crypto_currency: String,
    /// The payment method priced.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The fiat amount.
    #[serde(with = "ramp_core::decimal::exact")]
    pub fiat_amount: Decimal,
    /// The crypto amount.
    #[serde(with = "ramp_core::decimal::exact")]
    pub crypto_amount: Decimal,
    /// `BUY` or `SELL`.
    #[serde(default)]
    pub is_buy_or_sell: Option<crate::BuyOrSell>,
    /// The network.
    #[serde(default)]
    pub network: Option<String>,
    /// The total fee, in the fiat currency.
    #[serde(default, with = "ramp_core::decimal::option")]
    pub total_fee: Option<Decimal>,
    /// The fees that make up `total_fee`.
    #[serde(default)]
    pub fee_breakdown: Vec<Fee>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_keeps_every_digit() {
        let quote: PriceQuote = serde_json::from_str(
            r#"{"quoteId":"q-1","conversionPrice":0.0004898564956664364,
                "marketConversionPrice":0.0004933885928557331,"slippage":0.72,
                "fiatCurrency":"USD","cryptoCurrency":"ETH","paymentMethod":"credit_debit_card",
                "fiatAmount":13.17,"cryptoAmount":0.00570193,"isBuyOrSell":"BUY","network":"base",
                "totalFee":1.53,"feeBreakdown":[{"name":"Transak fee","value":1.53,"id":"transak_fee"},
                {"name":"Network/Exchange fee","value":0,"id":"network_fee"}],
                "nonce":1773074894,"cryptoLiquidityProvider":"transak"}"#,
        )
        .unwrap();
        assert_eq!(quote.conversion_price.to_string(), "0.0004898564956664364");
        assert_eq!(quote.fiat_amount.to_string(), "13.17");
        assert_eq!(quote.crypto_amount.to_string(), "0.00570193");
        assert_eq!(quote.total_fee, Some(Decimal::new(153, 2)));
        assert_eq!(quote.fee_breakdown.len(), 2);
        assert_eq!(quote.fee_breakdown[1].value, Decimal::ZERO);
    }
}
