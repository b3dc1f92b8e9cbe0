//! `ramp onramper`: sign and verify widget URLs (V1 and V2), sign API requests, make keys, verify webhooks.

use clap::Subcommand;
use serde_json::json;

use super::{Output, Result, SecretOpt, secret};

#[derive(Subcommand)]
pub(crate) enum Onramper {
    /// Appends the V1 signature to a widget URL.
    SignUrl {
        /// The widget URL.
        url: String,
        #[command(flatten)]
        secret: SecretOpt,
    },
    /// Verifies a signed widget URL and says why it is refused.
    VerifyUrl {
        /// The signed widget URL.
        url: String,
        #[command(flatten)]
        secret: SecretOpt,
    },
}

impl Onramper {
    pub(crate) fn run(self) -> Result<Output> {
        match self {
            Self::SignUrl { url, secret: s } => {
                let signed =
                    ramp_onramper_sign::sign_url(&url, &secret("secret", &s.env, &s.file)?)
                        .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: signed.clone(),
                    json: json!({ "url": signed }),
                })
            }
            Self::VerifyUrl { url, secret: s } => {
                ramp_onramper_sign::verify_url(&url, &secret("secret", &s.env, &s.file)?)
                    .map_err(|err| format!("signature refused: {err}"))?;
                Ok(Output {
                    text: "valid".into(),
                    json: json!({ "valid": true }),
                })
            }
        }
    }
}
