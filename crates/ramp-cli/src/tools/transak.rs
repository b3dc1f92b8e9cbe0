//! `ramp transak`: fetch an access token, create a widget URL, read orders.

use std::net::IpAddr;

use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use ramp_core::{ExposeSecret, SecretString};
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
    /// Creates a widget URL with the default widget parameters, for the user at --user-ip.
    WidgetUrl {
        #[command(flatten)]
        hosts: TransakHosts,
        /// Your referrer domain.
        #[arg(long)]
        referrer_domain: String,
        /// The end user's IP (sent as x-user-ip): Transak opens the widget only for it.
        #[arg(long, value_name = "IP")]
        user_ip: IpAddr,
        #[command(flatten)]
        credentials: Credentials,
    },
    /// Prints an order (Get Order By ID).
    Order {
        /// Transak's order id.
        order_id: String,
        #[command(flatten)]
        hosts: TransakHosts,
        #[command(flatten)]
        credentials: Credentials,
    },
    /// Prints every order of every page (Get Orders), one `ORDER_ID STATUS` per line.
    Orders {
        /// Only orders in this status, such as PROCESSING (Transak lists COMPLETED orders
        /// when none is given).
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// Orders per page, 1 to 100.
        #[arg(long, value_name = "N", default_value_t = ramp_transak::MAX_PAGE_SIZE)]
        limit: u32,
        #[command(flatten)]
        hosts: TransakHosts,
        #[command(flatten)]
        credentials: Credentials,
    },
}

/// The API key and secret; or an access token to use as is.
#[derive(Args)]
pub(crate) struct Credentials {
    #[command(flatten)]
    api_key: TransakApiKey,
    #[command(flatten)]
    secret: TransakSecret,
    /// The environment variable holding a partner access token to use instead of fetching
    /// one. Fetching a token invalidates the previous one, which your running backend may
    /// be using: pass the current token here when one is in use.
    #[arg(long, value_name = "NAME")]
    access_token_env: Option<String>,
}

impl Credentials {
    pub(crate) fn client(
        &self,
        hosts: &TransakHosts,
        referrer_domain: Option<String>,
    ) -> Result<ramp_transak::Client> {
        let api_key = self.api_key.value()?;
        let mut builder = match &self.access_token_env {
            Some(name) => {
                let token = ramp_core::secret_from_env(name).map_err(|err| err.to_string())?;
                ramp_transak::Client::builder(hosts.environment()?, api_key, SecretString::from(""))
                    .access_token(token)
            }
            None => {
                ramp_transak::Client::builder(hosts.environment()?, api_key, self.secret.value()?)
            }
        };
        if let Some(domain) = referrer_domain {
            builder = builder.referrer_domain(domain);
        }
        builder.build().map_err(|err| err.to_string())
    }
}

/// An order as one line of text and as a JSON object (`id`, `status` and what Transak sent).
fn order_output(order: &ramp_transak::Order) -> Result<Output> {
    Ok(Output {
        text: format!("{} {}", order.id, order.status),
        json: serde_json::to_value(order).map_err(|err| err.to_string())?,
    })
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
    /// Runs the command; `json_lines` is `--json`, for commands that print as they go.
    pub(crate) async fn run(self, json_lines: bool) -> Result<Output> {
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
                user_ip,
                credentials,
            } => {
                let client = credentials.client(&hosts, Some(referrer_domain))?;
                let widget = client
                    .create_widget_url(&ramp_transak::WidgetParams::default(), user_ip)
                    .await
                    .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: format!("{} (single use, expires in 5 minutes)", widget.url),
                    json: json!({ "widgetUrl": widget.url.as_str() }),
                })
            }
            Self::Order {
                order_id,
                hosts,
                credentials,
            } => {
                let client = credentials.client(&hosts, None)?;
                let order = client
                    .order(&order_id)
                    .await
                    .map_err(|err| err.to_string())?;
                order_output(&order)
            }
            Self::Orders {
                status,
                limit,
                hosts,
                credentials,
            } => {
                let client = credentials.client(&hosts, None)?;
                let mut query = ramp_transak::OrdersQuery::builder().page_size(limit);
                if let Some(status) = status {
                    query = query.status(ramp_transak::OrderStatus::from(status.as_str()));
                }
                let query = query.build().map_err(|err| err.to_string())?;
                let mut orders = std::pin::pin!(client.orders(&query));
                while let Some(order) = orders.try_next().await.map_err(|err| err.to_string())? {
                    order_output(&order)?.print(json_lines);
                }
                Ok(Output::printed())
            }
        }
    }
}
