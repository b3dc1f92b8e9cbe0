//! `ramp trigger`: ask a running sandbox to deliver an event.

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::{Output, Result, url};

/// What the sandbox delivers.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Kind {
    /// Koinal's completed-order callback, with its `Signature` header.
    KoinalCallback,
    /// Proof's partner webhook, after advancing the transaction.
    ProofWebhook,
    /// A Transak webhook JWT signed with the current access token.
    TransakWebhook,
    /// An Onramper webhook with `X-Onramper-Webhook-Signature`.
    OnramperWebhook,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::KoinalCallback => "koinal-callback",
            Self::ProofWebhook => "proof-webhook",
            Self::TransakWebhook => "transak-webhook",
            Self::OnramperWebhook => "onramper-webhook",
        }
    }
}

/// `ramp trigger`: asks a running sandbox (`ramp sandbox`) to deliver an event.
#[derive(Args)]
pub(crate) struct TriggerArgs {
    /// What to deliver.
    #[arg(value_enum)]
    kind: Kind,
    /// The order id (Koinal, Transak), merchant transaction id (Proof) or transaction id
    /// (Onramper).
    #[arg(long)]
    id: String,
    /// The Transak event (such as `ORDER_COMPLETED`) or the Onramper status (such as
    /// `completed`).
    #[arg(long)]
    event: Option<String>,
    /// Your endpoint, which receives the POST.
    #[arg(long)]
    to: String,
    /// The running sandbox, as printed by `ramp sandbox`.
    #[arg(long)]
    sandbox: String,
}

impl TriggerArgs {
    pub(crate) async fn run(self) -> Result<Output> {
        let control = url(&self.sandbox)?
            .join("_sandbox/trigger")
            .map_err(|err| err.to_string())?;
        let response = ramp_core::http::reqwest::Client::new()
            .post(control)
            .header("content-type", "application/json")
            .body(
                json!({"kind": self.kind.as_str(), "id": self.id, "event": self.event, "url": self.to})
                    .to_string(),
            )
            .send()
            .await
            .map_err(|err| format!("could not reach the sandbox at {}: {err}", self.sandbox))?;
        let ok = response.status().is_success();
        let answer: Value =
            serde_json::from_slice(&response.bytes().await.map_err(|err| err.to_string())?)
                .map_err(|err| format!("the sandbox answered something else: {err}"))?;
        if !ok {
            return Err(answer["error"]
                .as_str()
                .unwrap_or("the sandbox refused")
                .to_owned());
        }
        Ok(Output {
            text: format!(
                "delivered {} to {}: HTTP {}",
                self.kind.as_str(),
                self.to,
                answer["status"]
            ),
            json: answer,
        })
    }
}
