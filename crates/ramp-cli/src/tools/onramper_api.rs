//! `ramp onramper checkout` and `ramp onramper quotes`: Onramper's API through
//! `ramp-onramper`.

use std::net::IpAddr;

use clap::Args;
use serde_json::json;

use super::onramper::KeyOpt;
use super::{OnramperApiKey, Output, Result, body, url};

/// `ramp onramper checkout`.
#[derive(Args)]
pub(crate) struct CheckoutArgs {
    /// The API's base URL (the api.onramper.com or api-stg.onramper.com host, or the
    /// sandbox's).
    #[arg(long)]
    api_url: String,
    #[command(flatten)]
    api_key: OnramperApiKey,
    #[command(flatten)]
    key: KeyOpt,
    /// The end user's IP: hashed into endUserIpHash; Onramper opens the session only there.
    #[arg(long, value_name = "IP")]
    user_ip: IpAddr,
    /// Where the integration runs: web, mobile-ios, mobile-android, or another listed value.
    #[arg(long)]
    platform: String,
}

/// `ramp onramper quotes`.
#[derive(Args)]
pub(crate) struct QuotesArgs {
    /// The source currency id, such as eur.
    source: String,
    /// The destination currency id, such as eth.
    destination: String,
    /// The amount of the source currency.
    #[arg(long, value_name = "N")]
    amount: String,
    /// Only this payment method, such as creditcard.
    #[arg(long, value_name = "M")]
    payment_method: Option<String>,
    /// Only this network, such as ethereum.
    #[arg(long, value_name = "N")]
    network: Option<String>,
    /// Where the integration runs: web, mobile-ios, mobile-android, ...
    #[arg(long, value_name = "P")]
    platform: Option<String>,
    /// The API's base URL.
    #[arg(long)]
    api_url: String,
    #[command(flatten)]
    api_key: OnramperApiKey,
}

fn client(api_url: &str, api_key: &OnramperApiKey) -> Result<ramp_onramper::ClientBuilder> {
    Ok(ramp_onramper::Client::builder(
        ramp_onramper::Environment::Custom(url(api_url)?),
        api_key.value()?,
    ))
}

impl CheckoutArgs {
    /// Reads the rest of the body (JSON, standard input), makes the checkout, prints the
    /// redirect URL and the session id.
    pub(crate) async fn run(self) -> Result<Output> {
        let request: ramp_onramper::CheckoutRequest =
            serde_json::from_slice(&body(&None)?).map_err(|err| err.to_string())?;
        let client = client(&self.api_url, &self.api_key)?
            .signing_key(self.key.load()?)
            .build()
            .map_err(|err| err.to_string())?;
        let platform = ramp_onramper::Platform::from(self.platform.as_str());
        let session = client
            .checkout(&request, self.user_ip, platform)
            .await
            .map_err(|err| err.to_string())?;
        let redirect = session.redirect_url.expose_url().as_str();
        Ok(Output {
            text: format!("{redirect}\nsession {}", session.session_id),
            json: json!({ "redirectUrl": redirect, "sessionId": session.session_id }),
        })
    }
}

impl QuotesArgs {
    /// One line per onramp: `RAMP PAYOUT DESTINATION (fee ...)`, or why it gave no quote.
    pub(crate) async fn run(self) -> Result<Output> {
        let amount = ramp_core::decimal::parse_exact(&self.amount)
            .ok_or_else(|| format!("--amount {:?} is not a decimal number", self.amount))?;
        let mut request = ramp_onramper::QuoteRequest::builder()
            .source(&self.source)
            .destination(&self.destination)
            .amount(amount);
        if let Some(method) = self.payment_method {
            request = request.payment_method(method);
        }
        if let Some(network) = self.network {
            request = request.network(network);
        }
        if let Some(platform) = &self.platform {
            request = request.platform(ramp_onramper::Platform::from(platform.as_str()));
        }
        let request = request.build().map_err(|err| err.to_string())?;
        let client = client(&self.api_url, &self.api_key)?
            .build()
            .map_err(|err| err.to_string())?;
        let quotes = client
            .quotes(&request)
            .await
            .map_err(|err| err.to_string())?;
        let lines: Vec<String> = quotes
            .iter()
            .map(|quote| match quote.payout {
                Some(payout) => format!(
                    "{} {payout} {} (fee {} {}, rate {})",
                    quote.ramp,
                    self.destination,
                    quote.transaction_fee.unwrap_or_default()
                        + quote.network_fee.unwrap_or_default(),
                    self.source,
                    quote
                        .rate
                        .map_or_else(|| "?".to_owned(), |rate| rate.to_string()),
                ),
                None => {
                    let why: Vec<&str> = quote
                        .errors
                        .iter()
                        .filter_map(|e| e.message.as_deref())
                        .collect();
                    format!("{} no quote: {}", quote.ramp, why.join("; "))
                }
            })
            .collect();
        let json: Vec<serde_json::Value> = quotes
            .iter()
            .map(|quote| {
                json!({
                    "ramp": quote.ramp, "paymentMethod": quote.payment_method,
                    "rate": quote.rate.map(|d| d.to_string()), "payout": quote.payout.map(|d| d.to_string()),
                    "networkFee": quote.network_fee.map(|d| d.to_string()),
                    "transactionFee": quote.transaction_fee.map(|d| d.to_string()),
                    "quoteId": quote.quote_id,
                    "errors": quote.errors.iter().map(|e| json!({"type": e.kind, "errorId": e.error_id, "message": e.message})).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(Output {
            text: lines.join("\n"),
            json: json!(json),
        })
    }
}
