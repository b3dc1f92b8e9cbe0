//! `ramp transak`: fetch an access token, create a widget URL.

use clap::{Args, Subcommand};
use ramp_core::ExposeSecret;
use serde_json::json;

use super::{ApiKeyOpt, Output, Result, SecretOpt, secret, url};

/// Transak hosts: `--api-url`/`--gateway-url`, or an environment name.
#[derive(Args)]
pub(crate) struct TransakHosts {
    /// `staging` or `production` (ignored when both URLs are given).
    #[arg(long, default_value = "staging")]
    environment: String,
    /// The API host (tokens, orders).
    #[arg(long)]
    api_url: Option<String>,
    /// The gateway host (widget URLs).
    #[arg(long)]
    gateway_url: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum Transak {
    /// Fetches a partner access token (this invalidates the previous one).
    Token {
        #[command(flatten)]
        hosts: TransakHosts,
        #[command(flatten)]
        api_key: ApiKeyOpt,
        #[command(flatten)]
        secret: SecretOpt,
        /// Print the access token itself. Without this flag only its fingerprint (the start
        /// of its SHA-256) and expiry are printed: the token is a credential.
        #[arg(long)]
        reveal: bool,
    },
    /// Creates a widget URL with the default widget parameters.
    WidgetUrl {
        #[command(flatten)]
        hosts: TransakHosts,
        /// Your referrer domain.
        #[arg(long)]
        referrer_domain: String,
        #[command(flatten)]
        api_key: ApiKeyOpt,
        #[command(flatten)]
        secret: SecretOpt,
    },
}

impl TransakHosts {
    fn environment(&self) -> Result<ramp_transak::Environment> {
        match (&self.api_url, &self.gateway_url) {
            (Some(api), Some(gateway)) => Ok(ramp_transak::Environment::Custom {
                api: url(api)?,
                gateway: url(gateway)?,
            }),
            (None, None) => match self.environment.as_str() {
                "staging" => Ok(ramp_transak::Environment::Staging),
                "production" => Ok(ramp_transak::Environment::Production),
                other => Err(format!(
                    "unknown environment {other:?}: staging or production"
                )),
            },
            _ => Err("give both --api-url and --gateway-url, or neither".into()),
        }
    }
}

impl Transak {
    pub(crate) async fn run(self) -> Result<Output> {
        match self {
            Self::Token {
                hosts,
                api_key,
                secret: s,
                reveal,
            } => {
                let client = ramp_transak::Client::builder(
                    hosts.environment()?,
                    secret("api-key", &api_key.env, &api_key.file)?,
                    secret("secret", &s.env, &s.file)?,
                )
                .build()
                .map_err(|err| err.to_string())?;
                let token = client.access_token().await.map_err(|err| err.to_string())?;
                let expires = token.expires_at().unix_timestamp();
                let value = token.secret().expose_secret();
                let fingerprint =
                    format!("sha256:{}", &ramp_core::sha256_hex(value.as_bytes())[..16]);
                let expiry = format!("expires at {expires} (Unix seconds)");
                Ok(if reveal {
                    Output {
                        text: format!("{value}\n{expiry}"),
                        json: json!({ "accessToken": value, "fingerprint": fingerprint, "expiresAt": expires }),
                    }
                } else {
                    Output {
                        text: format!(
                            "access token {fingerprint} ({} characters; --reveal prints it)\n{expiry}",
                            value.chars().count()
                        ),
                        json: json!({ "fingerprint": fingerprint, "expiresAt": expires }),
                    }
                })
            }
            Self::WidgetUrl {
                hosts,
                referrer_domain,
                api_key,
                secret: s,
            } => {
                let client = ramp_transak::Client::builder(
                    hosts.environment()?,
                    secret("api-key", &api_key.env, &api_key.file)?,
                    secret("secret", &s.env, &s.file)?,
                )
                .referrer_domain(referrer_domain)
                .build()
                .map_err(|err| err.to_string())?;
                let widget = client
                    .create_widget_url(&ramp_transak::WidgetParams::default())
                    .await
                    .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: format!("{} (single use, expires in 5 minutes)", widget.url),
                    json: json!({ "widgetUrl": widget.url.as_str() }),
                })
            }
        }
    }
}
