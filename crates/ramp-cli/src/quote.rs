//! `ramp quote`: one request asked of every configured provider at once, the offers compared
//! honestly (best first among those that buy the same thing) and every failure beside them.

use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use ramp::quote::{Comparable, Comparison, PaymentClass, QuoteRequest, Quotes, Refusal};
use ramp::{Decimal, SecretString};
use serde::Serialize;
use url::Url;

/// `ramp quote`'s flags (these spellings are fixed).
#[derive(Args)]
pub(crate) struct QuoteArgs {
    /// The fiat currency the user pays in (EUR, USD).
    #[arg(long, value_name = "CODE")]
    fiat: String,
    /// What the user pays, in that currency.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    amount: String,
    /// The crypto asset (BTC, USDT).
    #[arg(long, value_name = "CODE")]
    crypto: String,
    /// The network (ethereum, polygon, bsc, tron, bitcoin, solana, ... or a provider's name).
    #[arg(long, value_name = "NAME")]
    network: String,
    /// card, bank_transfer, apple_pay, google_pay, or a provider's word (card by default).
    #[arg(long, value_name = "CLASS")]
    payment_method: Option<String>,
    /// The user's country (two letters).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// The IP of the user's browser.
    #[arg(long, value_name = "IP")]
    user_ip: Option<IpAddr>,
    /// How long each provider is given, in milliseconds (5000 by default).
    #[arg(long, value_name = "N", default_value_t = 5000)]
    timeout_ms: u64,
    /// Every provider of the embedded sandbox, with its public test credentials.
    #[arg(long)]
    sandbox: bool,
    /// Ask Kryptonim at this base URL.
    #[arg(long, value_name = "URL", requires_all = ["kryptonim_api_key_env", "kryptonim_secret_env"])]
    kryptonim_base_url: Option<Url>,
    /// Kryptonim's API key, from this variable.
    #[arg(long, value_name = "NAME", requires = "kryptonim_base_url")]
    kryptonim_api_key_env: Option<String>,
    /// Kryptonim's signature secret, from this variable.
    #[arg(long, value_name = "NAME", requires = "kryptonim_base_url")]
    kryptonim_secret_env: Option<String>,
    /// Ask Transak at this API host.
    #[arg(long, value_name = "URL", requires = "transak_api_key_env")]
    transak_api_url: Option<Url>,
    /// Transak's API key, from this variable.
    #[arg(long, value_name = "NAME", requires = "transak_api_url")]
    transak_api_key_env: Option<String>,
    /// Transak's API secret, from this variable (a price quote fetches no token: optional).
    #[arg(long, value_name = "NAME", requires = "transak_api_url")]
    transak_api_secret_env: Option<String>,
    /// Ask Koinal at this base URL.
    #[arg(long, value_name = "URL", requires_all = ["koinal_merchant_code", "koinal_secret_env", "koinal_customer"])]
    koinal_base_url: Option<Url>,
    /// Koinal's merchant code.
    #[arg(long, value_name = "N", requires = "koinal_base_url")]
    koinal_merchant_code: Option<u64>,
    /// Koinal's merchant secret, from this variable.
    #[arg(long, value_name = "NAME", requires = "koinal_base_url")]
    koinal_secret_env: Option<String>,
    /// The customer reference Koinal's quote is signed for.
    #[arg(long, value_name = "REFERENCE", requires = "koinal_base_url")]
    koinal_customer: Option<String>,
    /// Ask Onramper at this API host.
    #[arg(long, value_name = "URL", requires = "onramper_api_key_env")]
    onramper_api_url: Option<Url>,
    /// Onramper's API key, from this variable.
    #[arg(long, value_name = "NAME", requires = "onramper_api_url")]
    onramper_api_key_env: Option<String>,
}

/// Runs it: 0 when at least one offer came.
pub(crate) async fn run(args: QuoteArgs, json: bool) -> ExitCode {
    match quote(args, json).await {
        Ok(code) => code,
        Err(message) if json => {
            eprintln!("{}", serde_json::json!({ "error": message }));
            ExitCode::FAILURE
        }
        Err(message) => {
            eprintln!("ramp: {message}");
            ExitCode::FAILURE
        }
    }
}

fn request(args: &QuoteArgs) -> Result<QuoteRequest, String> {
    let amount: Decimal = args
        .amount
        .trim()
        .parse()
        .map_err(|_| format!("--amount is a decimal number, not {:?}", args.amount))?;
    let mut request = QuoteRequest::new(&args.fiat, amount, &args.crypto, &args.network)
        .map_err(|err| err.to_string())?;
    if let Some(word) = &args.payment_method {
        let class = PaymentClass::named(word).ok_or("--payment-method is empty")?;
        request = request.payment(class);
    }
    if let Some(country) = &args.country {
        request = request.country(country).map_err(|err| err.to_string())?;
    }
    if let Some(ip) = args.user_ip {
        request = request.user_ip(ip).map_err(|err| err.to_string())?;
    }
    Ok(request)
}

async fn quote(args: QuoteArgs, json: bool) -> Result<ExitCode, String> {
    // Refused before anything is sent (and before the sandbox starts).
    let request = request(&args)?;
    let secret = |name: &str| ramp_core::secret_from_env(name).map_err(|err| err.to_string());
    let mut quotes = Quotes::new().deadline(Duration::from_millis(args.timeout_ms.max(1)));
    let mut configured = 0;
    let _sandbox = if args.sandbox {
        let sandbox = ramp_sandbox::Sandbox::start()
            .await
            .map_err(|err| format!("could not start the sandbox: {err}"))?;
        use ramp_sandbox::credentials as c;
        let url = |text: String| Url::parse(&text).map_err(|err| err.to_string());
        quotes = quotes
            .kryptonim(kryptonim(
                url(sandbox.kryptonim_url())?,
                c::KRYPTONIM_API_KEY.into(),
                c::KRYPTONIM_SIGNATURE_SECRET.into(),
            )?)
            .transak(transak(
                url(sandbox.transak_api_url())?,
                c::TRANSAK_API_KEY.into(),
                Some(c::TRANSAK_API_SECRET.into()),
            )?)
            .koinal(
                koinal(
                    url(sandbox.koinal_url())?,
                    c::KOINAL_MERCHANT_CODE,
                    c::KOINAL_SECRET.into(),
                )?,
                "User1",
            )
            .onramper(onramper(
                url(sandbox.onramper_api_url())?,
                c::ONRAMPER_API_KEY.into(),
            )?);
        configured = 4;
        Some(sandbox)
    } else {
        None
    };
    if let (Some(url), Some(key), Some(sig)) = (
        &args.kryptonim_base_url,
        &args.kryptonim_api_key_env,
        &args.kryptonim_secret_env,
    ) {
        quotes = quotes.kryptonim(kryptonim(url.clone(), secret(key)?, secret(sig)?)?);
        configured += 1;
    }
    if let (Some(url), Some(key)) = (&args.transak_api_url, &args.transak_api_key_env) {
        let api_secret = args
            .transak_api_secret_env
            .as_deref()
            .map(secret)
            .transpose()?;
        quotes = quotes.transak(transak(url.clone(), secret(key)?, api_secret)?);
        configured += 1;
    }
    if let (Some(url), Some(code), Some(key), Some(customer)) = (
        &args.koinal_base_url,
        args.koinal_merchant_code,
        &args.koinal_secret_env,
        &args.koinal_customer,
    ) {
        quotes = quotes.koinal(koinal(url.clone(), code, secret(key)?)?, customer.clone());
        configured += 1;
    }
    if let (Some(url), Some(key)) = (&args.onramper_api_url, &args.onramper_api_key_env) {
        quotes = quotes.onramper(onramper(url.clone(), secret(key)?)?);
        configured += 1;
    }
    if configured == 0 {
        return Err(
            "configure at least one provider (its --…-url and credential flags), or --sandbox"
                .into(),
        );
    }
    let comparison = quotes.quote(&request).await;
    if json {
        print_json(&comparison)?;
    } else {
        print!("{}", table(&comparison));
    }
    Ok(if comparison.offers.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn kryptonim(
    url: Url,
    key: SecretString,
    secret: SecretString,
) -> Result<ramp::kryptonim::Client, String> {
    ramp::kryptonim::Client::builder(url, key, secret)
        .build()
        .map_err(|err| err.to_string())
}

fn transak(
    url: Url,
    key: SecretString,
    secret: Option<SecretString>,
) -> Result<ramp::transak::Client, String> {
    // A price quote is public: no token is fetched, so the API secret (which only fetches
    // one) may be left out; the client then holds a placeholder it never sends.
    let secret = secret.unwrap_or_else(|| SecretString::from("not-used-by-price-quotes"));
    let environment = ramp::transak::Environment::Custom {
        api: url.clone(),
        gateway: url,
    };
    ramp::transak::Client::builder(environment, key, secret)
        .build()
        .map_err(|err| err.to_string())
}

fn koinal(url: Url, merchant: u64, secret: SecretString) -> Result<ramp::koinal::Client, String> {
    ramp::koinal::Client::builder(url, merchant, secret)
        .build()
        .map_err(|err| err.to_string())
}

fn onramper(url: Url, key: SecretString) -> Result<ramp::onramper::Client, String> {
    ramp::onramper::Client::builder(ramp::onramper::Environment::Custom(url), key)
        .build()
        .map_err(|err| err.to_string())
}

/// One offer as a JSON line: amounts exact, as the provider wrote them.
#[derive(Serialize)]
struct OfferLine<'a> {
    provider: &'a str,
    ramp: Option<&'a str>,
    #[serde(serialize_with = "ramp_core::decimal::serialize_number")]
    crypto_amount: Decimal,
    crypto_currency: &'a str,
    network: Option<&'a str>,
    #[serde(serialize_with = "ramp_core::decimal::serialize_number")]
    fiat_amount: Decimal,
    fiat_currency: &'a str,
    payment_method: Option<&'a str>,
    #[serde(serialize_with = "ramp_core::decimal::serialize_option_number")]
    fees: Option<Decimal>,
    comparable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_comparable: Option<&'a str>,
    labels: &'a [String],
    binding: bool,
}

/// One failure as a JSON line.
#[derive(Serialize)]
struct FailureLine<'a> {
    provider: &'a str,
    ramp: Option<&'a str>,
    error: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ramp_core::decimal::serialize_option_number"
    )]
    min_amount: Option<Decimal>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ramp_core::decimal::serialize_option_number"
    )]
    max_amount: Option<Decimal>,
}

fn print_json(comparison: &Comparison) -> Result<(), String> {
    let to_line = |value: serde_json::Result<String>| value.map_err(|err| err.to_string());
    for (offer, comparable) in &comparison.offers {
        let why = match comparable {
            Comparable::No(why) => Some(why.as_str()),
            _ => None,
        };
        println!(
            "{}",
            to_line(serde_json::to_string(&OfferLine {
                provider: offer.quoter.as_str(),
                ramp: offer.ramp.as_deref(),
                crypto_amount: offer.crypto_amount,
                crypto_currency: &offer.crypto_currency,
                network: offer.network.map(|n| n.as_str()),
                fiat_amount: offer.fiat_amount,
                fiat_currency: &offer.fiat_currency,
                payment_method: offer.payment.as_ref().map(PaymentClass::as_str),
                fees: offer.fees.total(),
                comparable: why.is_none(),
                not_comparable: why,
                labels: &offer.labels,
                binding: offer.binding,
            }))?
        );
    }
    for failure in &comparison.failures {
        let (min_amount, max_amount) = match &failure.refusal {
            Refusal::Limit {
                min_amount,
                max_amount,
            } => (*min_amount, *max_amount),
            _ => (None, None),
        };
        println!(
            "{}",
            to_line(serde_json::to_string(&FailureLine {
                provider: failure.quoter.as_str(),
                ramp: failure.ramp.as_deref(),
                error: failure.refusal.to_string(),
                min_amount,
                max_amount,
            }))?
        );
    }
    Ok(())
}

/// The offers as a table a person reads, best first, then the failures.
fn table(comparison: &Comparison) -> String {
    let mut out = String::new();
    if comparison.offers.is_empty() {
        out.push_str("no offer\n");
    } else {
        out.push_str(&format!(
            "{:<22} {:>24} {:>16} {:<10} {:<14} {:>10}  {}\n",
            "provider", "crypto", "fiat", "network", "payment", "fees", "compares"
        ));
    }
    for (offer, comparable) in &comparison.offers {
        let who = match &offer.ramp {
            Some(ramp) => format!("{}/{ramp}", offer.quoter),
            None => offer.quoter.to_string(),
        };
        out.push_str(&format!(
            "{:<22} {:>24} {:>16} {:<10} {:<14} {:>10}  {}\n",
            who,
            format!("{} {}", offer.crypto_amount, offer.crypto_currency),
            format!("{} {}", offer.fiat_amount, offer.fiat_currency),
            offer.network.map_or("-", |n| n.as_str()),
            offer.payment.as_ref().map_or("-", PaymentClass::as_str),
            offer
                .fees
                .total()
                .map_or("-".to_owned(), |fee| fee.to_string()),
            match comparable {
                Comparable::No(why) => format!("no: {why}"),
                _ => "yes".to_owned(),
            }
        ));
    }
    for failure in &comparison.failures {
        let who = match &failure.ramp {
            Some(ramp) => format!("{}/{ramp}", failure.quoter),
            None => failure.quoter.to_string(),
        };
        out.push_str(&format!("{who:<22} no offer: {}\n", failure.refusal));
    }
    out
}
