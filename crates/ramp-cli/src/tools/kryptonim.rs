//! `ramp kryptonim`: sign a body, create a session.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::{KryptonimApiKey, KryptonimSecret, Output, Result, body, url};

#[derive(Subcommand)]
pub(crate) enum Kryptonim {
    /// Prints X-Request-Signature for a body (standard input or --file), over its exact bytes
    /// (a trailing newline included).
    Sign {
        /// Read the body from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        secret: KryptonimSecret,
    },
    /// Creates a widget session from a request JSON (standard input or --file).
    CreateSession {
        /// The API's base URL.
        #[arg(long)]
        base_url: String,
        /// Read the request JSON from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        api_key: KryptonimApiKey,
        #[command(flatten)]
        secret: KryptonimSecret,
    },
}

impl Kryptonim {
    pub(crate) async fn run(self) -> Result<Output> {
        match self {
            Self::Sign { file, secret: s } => {
                let secret = s.value()?;
                let signature = ramp_kryptonim::sign_body(&body(&file)?, &secret)
                    .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: signature.clone(),
                    json: json!({ "signature": signature }),
                })
            }
            Self::CreateSession {
                base_url,
                file,
                api_key,
                secret: s,
            } => {
                let request: ramp_kryptonim::WidgetSessionRequest =
                    serde_json::from_slice(&body(&file)?).map_err(|err| err.to_string())?;
                let client =
                    ramp_kryptonim::Client::builder(url(&base_url)?, api_key.value()?, s.value()?)
                        .build()
                        .map_err(|err| err.to_string())?;
                let session = client
                    .create_widget_session(&request)
                    .await
                    .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: format!(
                        "session {}\nexpires {}\nwidget  {}",
                        session.session_id, session.expires_at, session.widget_url
                    ),
                    json: serde_json::to_value(&session).map_err(|err| err.to_string())?,
                })
            }
        }
    }
}
