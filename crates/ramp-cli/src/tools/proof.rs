//! `ramp proof`: create a widget session, read a user's KYC status, follow a transaction.

use std::path::PathBuf;

use clap::Subcommand;
use futures_util::TryStreamExt;

use super::{Output, ProofToken, Result, body, url};

#[derive(Subcommand)]
pub(crate) enum Proof {
    /// Creates a widget session from a request JSON (standard input or --file).
    Session {
        /// The API's base URL.
        #[arg(long)]
        base_url: String,
        /// The Origin header to send.
        #[arg(long)]
        origin: Option<String>,
        /// Read the request JSON from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        token: ProofToken,
    },
    /// Prints a user's KYC status: not_started, pending, verified or failed.
    KycStatus {
        /// Your id for the user (partner_user_id).
        partner_user_id: String,
        /// The API's base URL.
        #[arg(long)]
        base_url: String,
        /// The Origin header to send.
        #[arg(long)]
        origin: Option<String>,
        #[command(flatten)]
        token: ProofToken,
    },
    /// Follows a transaction over Proof's WebSocket (reading its status while disconnected):
    /// prints one line per new status and exits 0 after a final one.
    Watch {
        /// The transaction (merchant_transaction_id).
        merchant_transaction_id: String,
        /// The API's base URL (the WebSocket is wss:// on its host).
        #[arg(long)]
        base_url: String,
        /// The Origin header to send.
        #[arg(long)]
        origin: Option<String>,
        #[command(flatten)]
        token: ProofToken,
    },
}

pub(crate) fn client(
    base_url: &str,
    origin: Option<String>,
    token: &ProofToken,
) -> Result<ramp_proof::Client> {
    let mut builder = ramp_proof::Client::builder(url(base_url)?, token.value()?);
    if let Some(origin) = origin {
        builder = builder.origin(origin);
    }
    builder.build().map_err(|err| err.to_string())
}

impl Proof {
    /// Runs the command; `json_lines` is `--json`, for `watch`, which prints as it goes.
    pub(crate) async fn run(self, json_lines: bool) -> Result<Output> {
        let (base_url, origin, file, token) = match self {
            Self::Session {
                base_url,
                origin,
                file,
                token,
            } => (base_url, origin, file, token),
            Self::KycStatus {
                partner_user_id,
                base_url,
                origin,
                token,
            } => {
                let kyc = client(&base_url, origin, &token)?
                    .kyc_status(&partner_user_id)
                    .await
                    .map_err(|err| err.to_string())?;
                return Ok(Output {
                    text: kyc.status.to_string(),
                    json: serde_json::to_value(&kyc).map_err(|err| err.to_string())?,
                });
            }
            Self::Watch {
                merchant_transaction_id,
                base_url,
                origin,
                token,
            } => {
                let client = client(&base_url, origin, &token)?;
                let mut updates = std::pin::pin!(client.watch(&merchant_transaction_id));
                while let Some(update) = updates.try_next().await.map_err(|err| err.to_string())? {
                    Output {
                        text: update.status.to_string(),
                        json: serde_json::to_value(&update).map_err(|err| err.to_string())?,
                    }
                    .print(json_lines);
                }
                return Ok(Output::printed());
            }
        };
        let request: ramp_proof::SessionRequest =
            serde_json::from_slice(&body(&file)?).map_err(|err| err.to_string())?;
        let client = client(&base_url, origin, &token)?;
        let session = client
            .create_session(&request)
            .await
            .map_err(|err| err.to_string())?;
        let config = session.widget_config();
        Ok(Output {
            text: serde_json::to_string_pretty(&config).unwrap_or_default(),
            json: config,
        })
    }
}
