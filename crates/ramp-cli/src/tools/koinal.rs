//! `ramp koinal`: make a Hash header, verify a callback.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::{Value, json};

use super::{KoinalCallbackSecret, KoinalSecret, Output, Result, body};

#[derive(Subcommand)]
pub(crate) enum Koinal {
    /// Prints the `Hash` header for a merchant code and customer reference.
    Hash {
        /// The merchant code.
        #[arg(long)]
        merchant_code: u64,
        /// The customer reference.
        #[arg(long)]
        customer_reference: String,
        /// The timestamp (Unix seconds; now when omitted).
        #[arg(long)]
        timestamp: Option<String>,
        #[command(flatten)]
        secret: KoinalSecret,
    },
    /// Verifies a callback body (standard input or --file) against its Signature header.
    VerifyCallback {
        /// The Signature header value.
        #[arg(long)]
        signature: String,
        /// `hmac` (the default reading) or `sha256`.
        #[arg(long, default_value = "hmac")]
        scheme: String,
        /// Read the body from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        secret: KoinalCallbackSecret,
    },
}

impl Koinal {
    pub(crate) fn run(self) -> Result<Output> {
        match self {
            Self::Hash {
                merchant_code,
                customer_reference,
                timestamp,
                secret: s,
            } => {
                let timestamp = timestamp.unwrap_or_else(|| {
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0)
                        .to_string()
                });
                let hash = ramp_koinal::AuthHash::new(
                    merchant_code,
                    &customer_reference,
                    &timestamp,
                    &s.value()?,
                )
                .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: format!("{}\n{}", hash.to_header_value(), hash.to_json()),
                    json: json!({ "header": hash.to_header_value(), "decoded": serde_json::from_str::<Value>(&hash.to_json()).unwrap_or(Value::Null) }),
                })
            }
            Self::VerifyCallback {
                signature,
                scheme,
                file,
                secret: s,
            } => {
                let scheme = match scheme.as_str() {
                    "hmac" => ramp_koinal::CallbackScheme::HmacBodyPlusSecret,
                    "sha256" => ramp_koinal::CallbackScheme::Sha256BodyPlusSecret,
                    other => return Err(format!("unknown scheme {other:?}: use hmac or sha256")),
                };
                use ramp_koinal::Verify as _;
                let verifier = ramp_koinal::WebhookVerifier::new(s.value()?, scheme)
                    .map_err(|err| err.to_string())?;
                let headers = ramp_core::webhook::header_map(
                    ramp_koinal::webhook::SIGNATURE_HEADER,
                    &signature,
                )
                .ok_or("the signature is not a valid header value")?;
                let callback = verifier
                    .verify(&body(&file)?, &headers)
                    .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: format!(
                        "valid: order {} {} ({} {} to {})",
                        callback.order_id,
                        callback.status,
                        callback.crypto_amount,
                        callback.cryptocurrency_code,
                        callback.address
                    ),
                    json: serde_json::to_value(&callback).map_err(|err| err.to_string())?,
                })
            }
        }
    }
}
