//! Debugging tools for real integrations: sign, hash, verify, and single API calls.
//!
//! Secrets come only from an environment variable (`--secret-env NAME`) or a file
//! (`--secret-file PATH`), never from an argument: arguments leak into shell history and
//! process lists. No secret is ever printed.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use ramp_core::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use url::Url;

/// What a tool prints, as text or as JSON.
pub(crate) struct Output {
    pub(crate) text: String,
    pub(crate) json: Value,
}

type Result<T> = std::result::Result<T, String>;

/// A secret from `--<name>-env` or `--<name>-file`.
fn secret(label: &str, env: &Option<String>, file: &Option<PathBuf>) -> Result<SecretString> {
    match (env, file) {
        (Some(name), None) => ramp_core::secret_from_env(name).map_err(|err| err.to_string()),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|err| format!("cannot read the {label} file {}: {err}", path.display()))?;
            let text = text.trim_end_matches(['\n', '\r']);
            if text.is_empty() {
                return Err(format!("the {label} file {} is empty", path.display()));
            }
            Ok(SecretString::from(text.to_owned()))
        }
        (Some(_), Some(_)) => Err(format!(
            "give the {label} by environment or by file, not both"
        )),
        (None, None) => Err(format!(
            "the {label} is required: --{label}-env NAME or --{label}-file PATH"
        )),
    }
}

/// The body from `--file`, or standard input.
fn body(file: &Option<PathBuf>) -> Result<Vec<u8>> {
    match file {
        Some(path) => {
            std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
        }
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|err| format!("cannot read standard input: {err}"))?;
            Ok(buf)
        }
    }
}

fn url(text: &str) -> Result<Url> {
    Url::parse(text).map_err(|err| format!("{text:?} is not a URL: {err}"))
}

/// Secret options, repeated per secret with its own name.
macro_rules! secret_args {
    ($name:ident, $env:literal, $file:literal, $what:literal) => {
        #[derive(Args)]
        pub(crate) struct $name {
            #[arg(long = $env, id = $env, value_name = "NAME",
                                  help = concat!("The environment variable holding the ", $what))]
            env: Option<String>,
            #[arg(long = $file, id = $file, value_name = "PATH",
                                  help = concat!("A file holding the ", $what))]
            file: Option<PathBuf>,
        }
    };
}

secret_args!(SecretOpt, "secret-env", "secret-file", "secret");
secret_args!(ApiKeyOpt, "api-key-env", "api-key-file", "API key");
secret_args!(TokenOpt, "token-env", "token-file", "client token");

#[derive(Subcommand)]
pub(crate) enum Kryptonim {
    /// Prints X-Request-Signature for a body (standard input or --file), over its exact bytes
    /// (a trailing newline included).
    Sign {
        /// Read the body from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        secret: SecretOpt,
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
        api_key: ApiKeyOpt,
        #[command(flatten)]
        secret: SecretOpt,
    },
}

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
        secret: SecretOpt,
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
        secret: SecretOpt,
    },
}

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
        token: TokenOpt,
    },
}

impl Kryptonim {
    pub(crate) async fn run(self) -> Result<Output> {
        match self {
            Self::Sign { file, secret: s } => {
                let secret = secret("secret", &s.env, &s.file)?;
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
                let client = ramp_kryptonim::Client::builder(
                    url(&base_url)?,
                    secret("api-key", &api_key.env, &api_key.file)?,
                    secret("secret", &s.env, &s.file)?,
                )
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
                    &secret("secret", &s.env, &s.file)?,
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
                let callback = ramp_koinal::callback::verify_with(
                    &body(&file)?,
                    &signature,
                    &secret("secret", &s.env, &s.file)?,
                    scheme,
                )
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
                let expires = token
                    .expires_at()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0);
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
        let mut builder =
            ramp_proof::Client::builder(url(&base_url)?, secret("token", &token.env, &token.file)?);
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

/// `ramp trigger`: asks a running sandbox (`ramp sandbox`) to deliver an event.
#[derive(Args)]
pub(crate) struct TriggerArgs {
    /// `koinal-callback`, `proof-webhook` (advances the transaction first) or
    /// `transak-webhook`.
    kind: String,
    /// The order id (Koinal, Transak) or merchant transaction id (Proof).
    #[arg(long)]
    id: String,
    /// The Transak event, such as `ORDER_COMPLETED`.
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
                json!({"kind": self.kind, "id": self.id, "event": self.event, "url": self.to})
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
                self.kind, self.to, answer["status"]
            ),
            json: answer,
        })
    }
}
