//! `ramp proof`: create a widget session.

use std::path::PathBuf;

use clap::Subcommand;

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
}

impl Proof {
    pub(crate) async fn run(self) -> Result<Output> {
        let Self::Session {
            base_url,
            origin,
            file,
            token,
        } = self;
        let request: ramp_proof::SessionRequest =
            serde_json::from_slice(&body(&file)?).map_err(|err| err.to_string())?;
        let mut builder = ramp_proof::Client::builder(url(&base_url)?, token.value()?);
        if let Some(origin) = origin {
            builder = builder.origin(origin);
        }
        let client = builder.build().map_err(|err| err.to_string())?;
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
