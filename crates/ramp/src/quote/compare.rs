//! Comparing honestly: most crypto received, among the offers that buy the same thing.

use std::cmp::Ordering;

use super::{Comparable, Comparison, Failure, Offer, PaymentClass, QuoteRequest};

/// Whether `offer` buys what `request` asks: the same fiat amount charged in the same
/// currency, the same asset on the same network, by the same payment class (card when the
/// request names none). What differs, or is not said, is the reason it does not compare.
pub(crate) fn comparable(request: &QuoteRequest, offer: &Offer) -> Comparable {
    let asked = request
        .payment_class()
        .cloned()
        .unwrap_or(PaymentClass::Card);
    let mut reasons = Vec::new();
    if !offer.fiat_currency.eq_ignore_ascii_case(request.fiat())
        || offer.fiat_amount != request.amount()
    {
        reasons.push(format!(
            "charges {} {}",
            offer.fiat_amount, offer.fiat_currency
        ));
    }
    if !offer.crypto_currency.eq_ignore_ascii_case(request.crypto()) {
        reasons.push(format!("buys {}", offer.crypto_currency));
    }
    match offer.network {
        None => reasons.push("network not said".to_owned()),
        Some(network) if network != request.network() => reasons.push(format!("on {network}")),
        Some(_) => {}
    }
    match &offer.payment {
        None => reasons.push("payment method not said".to_owned()),
        Some(class) if *class != asked => reasons.push(format!("paid by {}", class.as_str())),
        Some(_) => {}
    }
    if reasons.is_empty() {
        Comparable::Yes
    } else {
        Comparable::No(reasons.join(", "))
    }
}

/// The offers ranked: those that compare first, most crypto first; then the others, most
/// crypto first too, each marked with why it does not compare. Ties go by provider and
/// ramp, so the order is the same every time; the failures go by provider and ramp.
pub(crate) fn rank(
    request: &QuoteRequest,
    offers: Vec<Offer>,
    mut failures: Vec<Failure>,
) -> Comparison {
    failures.sort_by(|a, b| {
        a.quoter
            .as_str()
            .cmp(b.quoter.as_str())
            .then_with(|| a.ramp.cmp(&b.ramp))
    });
    let mut offers: Vec<(Offer, Comparable)> = offers
        .into_iter()
        .map(|offer| {
            let comparable = comparable(request, &offer);
            (offer, comparable)
        })
        .collect();
    offers.sort_by(|(a, a_compares), (b, b_compares)| {
        let first = |c: &Comparable| u8::from(*c != Comparable::Yes);
        first(a_compares)
            .cmp(&first(b_compares))
            .then_with(|| b.crypto_amount.cmp(&a.crypto_amount))
            .then_with(|| a.quoter.as_str().cmp(b.quoter.as_str()))
            .then_with(|| a.ramp.cmp(&b.ramp))
            .then(Ordering::Equal)
    });
    Comparison { offers, failures }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use time::OffsetDateTime;

    use super::*;
    use crate::quote::{Fees, Network, Quoter};

    fn offer(quoter: Quoter, ramp: Option<&str>, crypto: &str) -> Offer {
        Offer {
            quoter,
            ramp: ramp.map(str::to_owned),
            fiat_amount: Decimal::from(100),
            fiat_currency: "EUR".into(),
            crypto_amount: crypto.parse().unwrap(),
            crypto_currency: "USDT".into(),
            network: Network::named("tron"),
            payment: Some(PaymentClass::Card),
            fees: Fees::NotItemized,
            labels: Vec::new(),
            binding: false,
            fetched_at: OffsetDateTime::UNIX_EPOCH,
            checkout: Default::default(),
        }
    }

    #[test]
    fn the_most_crypto_wins_among_offers_that_buy_the_same_thing_and_the_rest_follow_marked() {
        let request = QuoteRequest::new("EUR", Decimal::from(100), "USDT", "trc20").unwrap();
        let mut koinal = offer(Quoter::Koinal, None, "99.9");
        koinal.network = None;
        koinal.payment = None;
        let mut dearer = offer(Quoter::Transak, None, "98.5");
        dearer.fiat_amount = "101.50".parse().unwrap();
        let mut bank = offer(Quoter::Kryptonim, None, "99.5");
        bank.payment = Some(PaymentClass::BankTransfer);
        let ranked = rank(
            &request,
            vec![
                koinal,
                offer(Quoter::Onramper, Some("moonpay"), "97.25"),
                dearer,
                offer(Quoter::Onramper, Some("banxa"), "97.250"),
                bank,
                offer(Quoter::Transak, None, "98.10"),
            ],
            Vec::new(),
        );
        let order: Vec<(String, String, Comparable)> = ranked
            .offers
            .iter()
            .map(|(o, c)| {
                let who = format!(
                    "{}{}",
                    o.quoter,
                    o.ramp
                        .as_deref()
                        .map(|r| format!("/{r}"))
                        .unwrap_or_default()
                );
                (who, o.crypto_amount.to_string(), c.clone())
            })
            .collect();
        let no = |why: &str| Comparable::No(why.into());
        assert_eq!(
            order,
            [
                ("transak".into(), "98.10".into(), Comparable::Yes),
                ("onramper/banxa".into(), "97.250".into(), Comparable::Yes),
                ("onramper/moonpay".into(), "97.25".into(), Comparable::Yes),
                (
                    "koinal".into(),
                    "99.9".into(),
                    no("network not said, payment method not said")
                ),
                (
                    "kryptonim".into(),
                    "99.5".into(),
                    no("paid by bank_transfer")
                ),
                ("transak".into(), "98.5".into(), no("charges 101.50 EUR")),
            ]
        );
        assert_eq!(ranked.best().map(|o| o.quoter), Some(Quoter::Transak));
        // 100 and 100.00 are the same amount charged.
        let mut same = offer(Quoter::Transak, None, "1");
        same.fiat_amount = "100.00".parse().unwrap();
        assert_eq!(comparable(&request, &same), Comparable::Yes);
    }
}
