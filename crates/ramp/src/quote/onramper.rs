//! Onramper's words and answer: one offer, or one failure, per ramp it quotes for.

// Used with feature `onramper`.
#![allow(dead_code, unused_imports)]

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::ask::Answer;
use super::offer::CheckoutWords;
use super::{Failure, Fees, Offer, PaymentClass, QuoteRequest, Quoter, Refusal};

/// Onramper's destination id and network id for an asset on a network: its documentation's
/// `btc`/`bitcoin` and `eth`/`ethereum`. Others (`usdc_polygon`, ...) are read from its
/// `supported()` list; their network ids, which its checkout needs, are not recorded here.
pub(crate) const ONRAMPER_CRYPTO: &[(&str, &str, &str, Option<&str>)] = &[
    ("BTC", "bitcoin", "btc", Some("bitcoin")),
    ("ETH", "ethereum", "eth", Some("ethereum")),
];

/// Onramper's `paymentMethod` for a class.
fn method(class: &PaymentClass) -> Option<String> {
    Some(match class {
        PaymentClass::Card => "creditcard".into(),
        PaymentClass::BankTransfer => "banktransfer".into(),
        PaymentClass::Other(word) => word.clone(),
        _ => return None,
    })
}

fn class(word: &str) -> PaymentClass {
    match word {
        "creditcard" | "debitcard" => PaymentClass::Card,
        "banktransfer" => PaymentClass::BankTransfer,
        other => PaymentClass::Other(other.to_owned()),
    }
}

fn unsupported(what: String) -> Answer {
    (
        Vec::new(),
        vec![Failure {
            quoter: Quoter::Onramper,
            ramp: None,
            refusal: Refusal::Unsupported(what),
        }],
    )
}

#[cfg(feature = "onramper")]
pub(crate) async fn onramper(client: &ramp_onramper::Client, request: &QuoteRequest) -> Answer {
    let network = request.network();
    let Some((_, _, destination, network_id)) = ONRAMPER_CRYPTO
        .iter()
        .find(|(code, net, _, _)| *code == request.crypto() && *net == network.as_str())
    else {
        return unsupported(format!(
            "Onramper's id for {} on {network} is not known here",
            request.crypto()
        ));
    };
    let asked = request
        .payment_class()
        .cloned()
        .unwrap_or(PaymentClass::Card);
    let Some(method) = method(&asked) else {
        return unsupported(format!(
            "Onramper's name for {} is not known here",
            asked.as_str()
        ));
    };
    let mut builder = ramp_onramper::QuoteRequest::builder()
        .source(request.fiat().to_ascii_lowercase())
        .destination(*destination)
        .amount(request.amount())
        .payment_method(method.clone());
    if let Some(id) = network_id {
        builder = builder.network(*id);
    }
    let quote_request = match builder.build() {
        Ok(built) => built,
        Err(err) => return unsupported(err.to_string()),
    };
    let quotes = match client.quotes(&quote_request).await {
        Ok(quotes) => quotes,
        Err(err) => {
            let refusal = match err.api() {
                Some(api) => Refusal::Provider {
                    code: api.code.clone(),
                    message: api.message.clone(),
                },
                None => Refusal::Provider {
                    code: None,
                    message: err.to_string(),
                },
            };
            return (
                Vec::new(),
                vec![Failure {
                    quoter: Quoter::Onramper,
                    ramp: None,
                    refusal,
                }],
            );
        }
    };
    if quotes.is_empty() {
        return unsupported(format!("no ramp quotes {} on {network}", request.crypto()));
    }
    let (mut offers, mut failures) = (Vec::new(), Vec::new());
    for quote in quotes {
        let ramp = Some(quote.ramp.clone());
        let Some(payout) = quote.payout else {
            failures.push(Failure {
                quoter: Quoter::Onramper,
                ramp,
                refusal: why(&quote.errors),
            });
            continue;
        };
        let fees = match (quote.transaction_fee, quote.network_fee) {
            (None, None) => Fees::NotItemized,
            (transaction, network_fee) => match transaction
                .unwrap_or_default()
                .checked_add(network_fee.unwrap_or_default())
            {
                // Fees no decimal holds: not itemized, rather than a sum that is wrong.
                None => Fees::NotItemized,
                Some(total) => Fees::Itemized {
                    total,
                    items: [("transactionFee", transaction), ("networkFee", network_fee)]
                        .into_iter()
                        .filter_map(|(name, fee)| Some((name.to_owned(), fee?)))
                        .collect(),
                },
            },
        };
        offers.push(Offer {
            quoter: Quoter::Onramper,
            ramp,
            // The amount priced: Onramper's quote names no other sum charged.
            fiat_amount: request.amount(),
            fiat_currency: request.fiat().to_owned(),
            crypto_amount: payout,
            crypto_currency: request.crypto().to_owned(),
            network: Some(network),
            payment: quote.payment_method.as_deref().map(class),
            fees,
            labels: quote.recommendations.clone(),
            binding: false,
            fetched_at: OffsetDateTime::now_utc(),
            checkout: CheckoutWords {
                network: network_id.map(|id| (*id).to_owned()),
                method: Some(
                    quote
                        .payment_method
                        .clone()
                        .unwrap_or_else(|| method.clone()),
                ),
                destination: Some((*destination).to_owned()),
                token: None,
            },
        });
    }
    (offers, failures)
}

/// Why a ramp gave no quote: its limits where it gave them, else its first error.
#[cfg(feature = "onramper")]
fn why(errors: &[ramp_onramper::QuoteError]) -> Refusal {
    if let Some(limit) = errors
        .iter()
        .find(|err| err.min_amount.is_some() || err.max_amount.is_some())
    {
        return Refusal::Limit {
            min_amount: limit.min_amount,
            max_amount: limit.max_amount,
        };
    }
    match errors.first() {
        Some(err) => Refusal::Provider {
            code: err
                .kind
                .clone()
                .or_else(|| err.error_id.map(|id| id.to_string())),
            message: err.message.clone().unwrap_or_default(),
        },
        None => Refusal::Provider {
            code: None,
            message: "no payout and no error".into(),
        },
    }
}
