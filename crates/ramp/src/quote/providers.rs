//! Each provider's words for a request, its call, and its answer as offers. Only words a
//! provider documents (or this crate's contract fixtures record) are sent; a network or
//! payment class whose word is not known here is a failure ("unsupported"), never a guess.
//! docs/quotes.md (in the repository) has these tables.

// Which of these a build uses depends on the provider features on.
#![allow(dead_code, unused_imports)]

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::ask::Answer;
use super::offer::{CheckoutWords, QuoteToken};
use super::{Failure, Fees, Network, Offer, PaymentClass, QuoteRequest, Quoter, Refusal};

/// The class asked for: card when the request names none.
fn asked(request: &QuoteRequest) -> PaymentClass {
    request
        .payment_class()
        .cloned()
        .unwrap_or(PaymentClass::Card)
}

fn failed(quoter: Quoter, ramp: Option<String>, refusal: Refusal) -> Answer {
    (
        Vec::new(),
        vec![Failure {
            quoter,
            ramp,
            refusal,
        }],
    )
}

fn unsupported(quoter: Quoter, what: String) -> Answer {
    failed(quoter, None, Refusal::Unsupported(what))
}

/// A provider crate's error as a refusal: the provider's own code and message where it
/// answered, else what failed.
#[cfg(any(feature = "transak", feature = "koinal", feature = "kryptonim"))]
fn refusal(api: Option<&ramp_core::http::ApiError>, err: &impl std::fmt::Display) -> Refusal {
    match api {
        Some(api) => Refusal::Provider {
            code: api.code.clone(),
            message: api.message.clone(),
        },
        None => Refusal::Provider {
            code: None,
            message: err.to_string(),
        },
    }
}

/// The provider's word for `network` in `table`; its "unsupported" answer, naming `what`
/// it lacks, when the table has none.
fn word_for<T: Copy>(
    table: &[(&str, T)],
    network: Network,
    quoter: Quoter,
    what: &str,
) -> Result<T, Answer> {
    table
        .iter()
        .find(|(ours, _)| *ours == network.as_str())
        .map(|(_, word)| *word)
        .ok_or_else(|| unsupported(quoter, format!("{what} for {network} is not known here")))
}

/// Transak's `network` for each network (its price-quote examples and recorded quotes).
pub(crate) const TRANSAK_NETWORKS: &[(&str, &str)] = &[
    ("ethereum", "ethereum"),
    ("polygon", "polygon"),
    ("tron", "tron"),
    ("base", "base"),
];

/// Transak's `paymentMethod` for a class, in a fiat currency (its bank transfers are named
/// by currency, as its documented orders show).
fn transak_method(class: &PaymentClass, fiat: &str) -> Option<String> {
    Some(match (class, fiat) {
        (PaymentClass::Card, _) => "credit_debit_card".into(),
        (PaymentClass::BankTransfer, "EUR") => "sepa_bank_transfer".into(),
        (PaymentClass::BankTransfer, "GBP") => "gbp_bank_transfer".into(),
        (PaymentClass::Other(word), _) => word.clone(),
        _ => return None,
    })
}

fn transak_class(word: &str) -> PaymentClass {
    match word {
        "credit_debit_card" => PaymentClass::Card,
        "sepa_bank_transfer" | "gbp_bank_transfer" => PaymentClass::BankTransfer,
        other => PaymentClass::Other(other.to_owned()),
    }
}

#[cfg(feature = "transak")]
pub(crate) async fn transak(client: &ramp_transak::Client, request: &QuoteRequest) -> Answer {
    let quoter = Quoter::Transak;
    let network = request.network();
    let word = match word_for(TRANSAK_NETWORKS, network, quoter, "Transak's name") {
        Ok(word) => word,
        Err(unsupported) => return unsupported,
    };
    let class = asked(request);
    let Some(method) = transak_method(&class, request.fiat()) else {
        return unsupported(
            quoter,
            format!(
                "Transak's name for {} in {} is not known here",
                class.as_str(),
                request.fiat()
            ),
        );
    };
    let mut builder = ramp_transak::PriceQuoteRequest::builder()
        .fiat_currency(request.fiat())
        .crypto_currency(request.crypto())
        .network(word)
        .payment_method(method.clone())
        .fiat_amount(request.amount());
    if let Some(country) = request.country_code() {
        builder = builder.quote_country_code(country);
    }
    if let Some(ip) = request.ip() {
        builder = builder.user_ip(ip);
    }
    let quote_request = match builder.build() {
        Ok(built) => built,
        Err(err) => return unsupported(quoter, err.to_string()),
    };
    match client.price_quote(&quote_request).await {
        Ok(quote) => {
            let fees = match quote.total_fee {
                Some(total) => Fees::Itemized {
                    total,
                    items: quote
                        .fee_breakdown
                        .iter()
                        .map(|fee| (fee.name.clone(), fee.value))
                        .collect(),
                },
                None => Fees::NotItemized,
            };
            let offer = Offer {
                quoter,
                ramp: None,
                fiat_amount: quote.fiat_amount,
                fiat_currency: quote.fiat_currency.clone(),
                crypto_amount: quote.crypto_amount,
                crypto_currency: quote.crypto_currency.clone(),
                network: quote.network.as_deref().and_then(Network::named),
                payment: quote.payment_method.as_deref().map(transak_class),
                fees,
                labels: Vec::new(),
                binding: false,
                fetched_at: OffsetDateTime::now_utc(),
                checkout: CheckoutWords {
                    network: Some(word.to_owned()),
                    method: Some(quote.payment_method.clone().unwrap_or(method)),
                    ..CheckoutWords::default()
                },
            };
            (vec![offer], Vec::new())
        }
        Err(err) => failed(quoter, None, refusal(err.api(), &err)),
    }
}

/// Koinal's coins whose network the coin itself names (Koinal takes no network): its
/// `cryptocurrency` on the one network it can mean.
pub(crate) const KOINAL_COINS: &[(&str, &str)] = &[("BTC", "bitcoin"), ("ETH", "ethereum")];

#[cfg(feature = "koinal")]
pub(crate) async fn koinal(
    client: &ramp_koinal::Client,
    customer: &str,
    request: &QuoteRequest,
) -> Answer {
    let quoter = Quoter::Koinal;
    let coin = KOINAL_COINS
        .iter()
        .any(|(code, network)| *code == request.crypto() && *network == request.network().as_str());
    if !coin {
        return unsupported(
            quoter,
            format!(
                "Koinal takes no network: {} on {} is not one it names",
                request.crypto(),
                request.network()
            ),
        );
    }
    // Koinal sells by card only, and says no method.
    if asked(request) != PaymentClass::Card {
        return unsupported(
            quoter,
            format!("Koinal takes cards only, not {}", asked(request).as_str()),
        );
    }
    let quote_request = match ramp_koinal::QuoteRequest::builder()
        .cryptocurrency(request.crypto())
        .currency(request.fiat())
        .currency_amount(request.amount())
        .build()
    {
        Ok(built) => built,
        Err(err) => return unsupported(quoter, err.to_string()),
    };
    match client.quote(customer, &quote_request).await {
        Ok(quote) => {
            let offer = Offer {
                quoter,
                ramp: None,
                fiat_amount: quote.currency_amount,
                fiat_currency: quote.currency.clone(),
                crypto_amount: quote.cryptocurrency_amount,
                crypto_currency: quote.cryptocurrency.clone(),
                // Koinal says neither: the offer is listed, not ranked, beside the others.
                network: None,
                payment: None,
                fees: Fees::NotItemized,
                labels: Vec::new(),
                // Its quote token binds the order made with it.
                binding: true,
                fetched_at: OffsetDateTime::now_utc(),
                checkout: CheckoutWords {
                    token: Some(QuoteToken(quote.token.clone())),
                    ..CheckoutWords::default()
                },
            };
            (vec![offer], Vec::new())
        }
        Err(err) => failed(quoter, None, refusal(err.api(), &err)),
    }
}

/// Kryptonim's `chainId` for each network: the EIP-155 chain id of each EVM network (its
/// documentation: "a number such as 137"); it names none of the others.
pub(crate) const KRYPTONIM_CHAINS: &[(&str, u64)] = &[
    ("ethereum", 1),
    ("polygon", 137),
    ("bsc", 56),
    ("arbitrum", 42161),
    ("optimism", 10),
    ("base", 8453),
    ("avalanche", 43114),
];

/// The fiat currencies Kryptonim takes (its documentation: USD or EUR).
const KRYPTONIM_FIAT: &[&str] = &["USD", "EUR"];

#[cfg(feature = "kryptonim")]
pub(crate) async fn kryptonim(client: &ramp_kryptonim::Client, request: &QuoteRequest) -> Answer {
    let quoter = Quoter::Kryptonim;
    let network = request.network();
    let chain = match word_for(KRYPTONIM_CHAINS, network, quoter, "Kryptonim's chainId") {
        Ok(chain) => chain,
        Err(unsupported) => return unsupported,
    };
    if !KRYPTONIM_FIAT.contains(&request.fiat()) {
        return unsupported(
            quoter,
            format!("Kryptonim takes USD or EUR, not {}", request.fiat()),
        );
    }
    let class = asked(request);
    let mut builder = ramp_kryptonim::QuoteRequest::builder()
        .fiat_currency(request.fiat())
        .fiat_amount(request.amount())
        .token(request.crypto())
        .chain(chain)
        // Its words are the classes' names: card, bank_transfer, apple_pay, google_pay.
        .payment_method(ramp_kryptonim::PaymentMethod::from(class.as_str()));
    if let Some(country) = request.country_code() {
        builder = builder.country_code(country);
    }
    let quote_request = match builder.build() {
        Ok(built) => built,
        Err(err) => return unsupported(quoter, err.to_string()),
    };
    match client.quotes(&quote_request).await {
        Ok(quotes) if quotes.is_empty() => {
            unsupported(quoter, "Kryptonim returned no quote".into())
        }
        Ok(quotes) => {
            let offers = quotes
                .into_iter()
                .map(|quote| Offer {
                    quoter,
                    ramp: None,
                    fiat_amount: quote.fiat_amount,
                    fiat_currency: quote.fiat_currency.clone(),
                    crypto_amount: quote.crypto_amount,
                    crypto_currency: quote.crypto_currency.clone(),
                    // Priced for the chainId sent.
                    network: Some(network),
                    payment: PaymentClass::named(quote.payment_method.as_str()),
                    // In its price ("exchange rate including fees").
                    fees: Fees::NotItemized,
                    labels: Vec::new(),
                    binding: false,
                    fetched_at: OffsetDateTime::now_utc(),
                    checkout: CheckoutWords {
                        network: Some(network.as_str().to_owned()),
                        method: Some(quote.payment_method.as_str().to_owned()),
                        ..CheckoutWords::default()
                    },
                })
                .collect();
            (offers, Vec::new())
        }
        Err(err) => failed(quoter, None, refusal(err.api(), &err)),
    }
}
