//! `ramp listen --track`: a tracker on the listener's store, reading each order it hears of
//! until its end, for the providers whose reads are configured.

use std::time::Duration;

use clap::Args;
use ramp::track::{Schedule, Tracker};
use ramp_core::{SecretString, secret_from_env};

use super::print::Printer;
use super::{ListenArgs, Stores};

/// The flags that let the tracker read Transak's and Koinal's orders (Proof's are read with
/// `--proof-base-url` and `--proof-token-env`).
#[derive(Args)]
pub(crate) struct ReadFlags {
    /// Transak's API key, in this variable: with `--transak-access-token-env`, the tracker
    /// reads Transak's orders (and the webhooks Transak sent for them).
    #[arg(long, value_name = "NAME")]
    transak_api_key_env: Option<String>,
    /// Transak's environment, for its API host.
    #[arg(long, value_name = "staging|production", default_value = "staging", value_parser = ["staging", "production"])]
    transak_environment: String,
    /// Transak's API host, instead of the environment's.
    #[arg(long, value_name = "URL")]
    transak_api_url: Option<url::Url>,
    /// Koinal's API base URL: with `--koinal-merchant-code` and `--koinal-secret-env`, the
    /// tracker reads Koinal's orders (each with the customer reference its callback named).
    #[arg(long, value_name = "URL", requires_all = ["koinal_merchant_code", "koinal_secret_env"])]
    koinal_base_url: Option<url::Url>,
    /// Your Koinal merchant code.
    #[arg(long, value_name = "N", requires = "koinal_base_url")]
    koinal_merchant_code: Option<u64>,
    /// Your Koinal merchant secret, in this variable.
    #[arg(long, value_name = "NAME", requires = "koinal_base_url")]
    koinal_secret_env: Option<String>,
}

impl ReadFlags {
    /// A Transak client holding `token` (never refreshed): it verifies deliveries, and reads
    /// orders when the API key is given.
    pub(crate) fn transak(
        &self,
        token: SecretString,
        reads: bool,
    ) -> Result<ramp::transak::Client, String> {
        let environment = match (&self.transak_api_url, self.transak_environment.as_str()) {
            (Some(url), _) => ramp::transak::Environment::Custom {
                api: url.clone(),
                gateway: url.clone(),
            },
            (None, "production") => ramp::transak::Environment::Production,
            (None, _) => ramp::transak::Environment::Staging,
        };
        let api_key = match (&self.transak_api_key_env, reads) {
            (Some(name), true) => secret_from_env(name).map_err(|err| err.to_string())?,
            // Verification makes no call to Transak: no real API key is needed.
            _ => SecretString::from("listen-verifies-only"),
        };
        ramp::transak::Client::builder(
            environment,
            api_key,
            SecretString::from("listen-never-refreshes"),
        )
        .access_token(token)
        .build()
        .map_err(|err| err.to_string())
    }

    fn koinal(&self) -> Result<Option<ramp::koinal::Client>, String> {
        let (Some(url), Some(code), Some(name)) = (
            &self.koinal_base_url,
            self.koinal_merchant_code,
            &self.koinal_secret_env,
        ) else {
            return Ok(None);
        };
        let secret = secret_from_env(name).map_err(|err| err.to_string())?;
        ramp::koinal::Client::builder(url.clone(), code, secret)
            .build()
            .map(Some)
            .map_err(|err| err.to_string())
    }
}

/// The tracker for `--track`: the listener's store and printer, a book beside the store,
/// every provider whose reads are configured.
pub(crate) fn tracker(
    args: &ListenArgs,
    stores: &Stores,
    printer: &Printer,
) -> Result<Tracker, String> {
    let printer = printer.clone();
    let print = move |event| {
        let printer = printer.clone();
        async move { printer.print(event).await }
    };
    let first = Duration::from_millis(args.track_interval_ms.max(1));
    let mut tracker =
        Tracker::new(stores.book.clone(), stores.store.clone(), print).schedule(Schedule {
            first,
            max: first.saturating_mul(60),
        });
    if let Some(client) = args.proof()? {
        tracker = tracker.proof(client);
    }
    if let (Some(token), Some(_)) = (
        &args.transak_access_token_env,
        &args.reads.transak_api_key_env,
    ) {
        let token = secret_from_env(token).map_err(|err| err.to_string())?;
        tracker = tracker.transak(args.reads.transak(token, true)?);
    }
    if let Some(client) = args.reads.koinal()? {
        tracker = tracker.koinal(client);
    }
    Ok(tracker)
}

/// What the tracker follows, for standard error.
pub(crate) fn describe(tracker: &Tracker, interval_ms: u64) -> String {
    let providers: Vec<&str> = tracker.providers().iter().map(|p| p.as_str()).collect();
    if providers.is_empty() {
        return "ramp listen: --track follows nothing: give Proof's, Transak's or Koinal's read \
                flags"
            .into();
    }
    format!(
        "ramp listen: following the orders of {} (first read after {interval_ms} ms)",
        providers.join(", ")
    )
}
