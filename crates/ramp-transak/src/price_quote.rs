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
    /// This fee in the fiat currency, exact: part of `total_fee`, taken out of `fiat_amount`
    /// before conversion.
    #[serde(with = "ramp_core::decimal::exact")]
    pub value: Decimal,
}

/// A price quote. Every amount is exact, as Transak wrote it; fields Transak adds are
/// ignored. A quote is indicative: prices move, and the widget prices the order again. On a
/// buy, `crypto_amount = (fiat_amount - total_fee) × conversion_price` (checked on a recorded
/// quote and on Transak's two documented orders; sells are not checked).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PriceQuote {
    /// Transak's id for this quote.
    pub quote_id: String,
    /// Crypto per 1 unit of fiat, applied after `total_fee` is taken out: the fees are not in
    /// it (the spread is). Recorded: (13.17 − 1.53) USD × 0.000489856… = 0.00570193 ETH.
    #[serde(with = "ramp_core::decimal::exact")]
    pub conversion_price: Decimal,
    /// Crypto per 1 unit of fiat at the market, without fees or spread; `crypto_amount` is
    /// not computed with it.
    #[serde(default, with = "ramp_core::decimal::option")]
    pub market_conversion_price: Option<Decimal>,
    /// How far `conversion_price` is below `market_conversion_price`, in percent; fees are not
    /// in it (Transak does not publish the exact formula).
    #[serde(default, with = "ramp_core::decimal::option")]
    pub slippage: Option<Decimal>,
    /// The fiat currency.
    pub fiat_currency: String,
    /// The cryptocurrency.
    pub crypto_currency: String,
    /// The payment method priced.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The fiat the user pays, fees included: `total_fee` comes out of it before conversion.
    #[serde(with = "ramp_core::decimal::exact")]
    pub fiat_amount: Decimal,
    /// The crypto the user receives: `(fiat_amount − total_fee) × conversion_price`, after
    /// every fee in `total_fee`. Whether a further network fee is taken in crypto: not
    /// published.
    #[serde(with = "ramp_core::decimal::exact")]
    pub crypto_amount: Decimal,
    /// `BUY` or `SELL`.
    #[serde(default)]
    pub is_buy_or_sell: Option<crate::BuyOrSell>,
    /// The network.
    #[serde(default)]
    pub network: Option<String>,
    /// Every fee, in the fiat currency, taken out of `fiat_amount` before conversion; the sum
    /// of `fee_breakdown`.
    #[serde(default, with = "ramp_core::decimal::option")]
    pub total_fee: Option<Decimal>,
    /// The fees that make up `total_fee`, each in the fiat currency (the network fee among
    /// them).
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
