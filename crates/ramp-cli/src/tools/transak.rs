//! `ramp transak`: fetch an access token, create a widget URL.

use clap::{Args, Subcommand};
use ramp_core::ExposeSecret;
use serde_json::json;

use super::{Output, Result, TransakApiKey, TransakSecret, url};

/// Transak hosts: `--api-url`/`--gateway-url`, or an environment name.
#[derive(Args)]
pub(crate) struct TransakHosts {
    /// Transak's environment (ignored when both URLs are given).
    #[arg(long, value_enum, default_value_t = TransakEnvironment::Staging)]
    environment: TransakEnvironment,
    /// The API host (tokens, orders).
    #[arg(long)]
    api_url: Option<String>,
    /// The gateway host (widget URLs).
    #[arg(long)]
    gateway_url: Option<String>,
}

/// Transak's environments, by name.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum TransakEnvironment {
    /// api-stg.transak.com and api-gateway-stg.transak.com.
    Staging,
    /// api.transak.com and api-gateway.transak.com.
    Production,
}

#[derive(Subcommand)]
pub(crate) enum Transak {
    /// Fetches a partner access token (this invalidates the previous one).
    Token {
        #[command(flatten)]
        hosts: TransakHosts,
        #[command(flatten)]
        api_key: TransakApiKey,
        #[command(flatten)]
        secret: TransakSecret,
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
        api_key: TransakApiKey,
        #[command(flatten)]
        secret: TransakSecret,
    },
}

impl TransakHosts {
    fn environment(&self) -> Result<ramp_transak::Environment> {
        match (&self.api_url, &self.gateway_url) {
            (Some(api), Some(gateway)) => Ok(ramp_transak::Environment::Custom {
                api: url(api)?,
                gateway: url(gateway)?,
            }),
            (None, None) => Ok(match self.environment {
                TransakEnvironment::Staging => ramp_transak::Environment::Staging,
                TransakEnvironment::Production => ramp_transak::Environment::Production,
            }),
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
                    api_key.value()?,
                    s.value()?,
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
                    api_key.value()?,
                    s.value()?,
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
