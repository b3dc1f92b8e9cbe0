//! `ramp onramper`: sign and verify widget URLs (Signature V2 and V1), sign API requests,
//! make V2 keys, verify webhooks. With `--timestamp` and `--nonce` a V2 signature is the same
//! every run, so it can be compared with another implementation's by hand.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ramp_onramper_sign::v2::{self, ApiRequest, OffsetDateTime, SignOptions, SigningKey};
use serde_json::json;

use super::{OnramperSecret, OnramperWebhookSecret, Output, Result, body};

#[derive(Subcommand)]
pub(crate) enum Onramper {
    /// Starts a Checkout V2 session (POST /checkout/v2/intent, V2-signed) from the body JSON
    /// on standard input (onramp, source, destination, amount, type, paymentMethod, network,
    /// wallet, partnerContext, ...): prints the redirect URL and the session id.
    Checkout(super::onramper_api::CheckoutArgs),
    /// Prints one line per onramp for GET /quotes/{source}/{destination}.
    Quotes(super::onramper_api::QuotesArgs),
    /// Signs a widget URL and prints it alone: V2 (Ed25519) with --v2 and a key, V1 with a
    /// signing secret.
    Sign {
        /// The widget URL.
        url: String,
        /// Sign with Signature V2 (Ed25519); without it, V1 (HMAC-SHA256).
        #[arg(long)]
        v2: bool,
        #[command(flatten)]
        key: KeyOpt,
        #[command(flatten)]
        at: FixedOpt,
        /// V2: sigV2Expiry (ISO 8601 UTC), at most 30 minutes after the timestamp.
        #[arg(long, value_name = "ISO8601")]
        expiry: Option<String>,
        /// V2: also sign this parameter, which is not a core parameter (repeatable).
        #[arg(long, value_name = "PARAMETER")]
        also_sign: Vec<String>,
        #[command(flatten)]
        secret: OnramperSecret,
    },
    /// Appends the V1 signature to a widget URL (the same as `sign` without --v2).
    SignUrl {
        /// The widget URL.
        url: String,
        #[command(flatten)]
        secret: OnramperSecret,
    },
    /// Verifies a signed widget URL and says why it is refused: V2 with --public-key, V1 with
    /// a signing secret.
    Verify {
        /// The signed widget URL.
        url: String,
        /// The V2 public key, as 64 hex digits or SPKI PEM text.
        #[arg(long, value_name = "HEX_OR_PEM")]
        public_key: Option<String>,
        /// A file holding the V2 public key (SPKI PEM or hex).
        #[arg(long, value_name = "PATH")]
        public_key_file: Option<PathBuf>,
        #[command(flatten)]
        secret: OnramperSecret,
    },
    /// Verifies a V1-signed widget URL (the same as `verify` with a signing secret).
    VerifyUrl {
        /// The signed widget URL.
        url: String,
        #[command(flatten)]
        secret: OnramperSecret,
    },
    /// Signs an API request with V2 and prints the four headers, one `name: value` per line.
    SignRequest {
        #[command(flatten)]
        key: KeyOpt,
        /// The HTTP method.
        #[arg(long)]
        method: String,
        /// The request path, such as /checkout/intent.
        #[arg(long)]
        path: String,
        /// The query string, if any.
        #[arg(long, default_value = "")]
        query: String,
        /// The Authorization value: your API key (publishable, pk_…).
        #[arg(long)]
        authorization: String,
        /// The Content-Type, if the request has one (a JSON type canonicalizes the body).
        #[arg(long)]
        content_type: Option<String>,
        /// The body, read from this file (none when omitted).
        #[arg(long, value_name = "PATH")]
        body_file: Option<PathBuf>,
        #[command(flatten)]
        at: FixedOpt,
    },
    /// Makes a V2 key pair: writes the private key (PKCS#8 PEM, mode 0600) and prints the
    /// public key to send Onramper (SPKI PEM and hex).
    Keygen {
        /// Where to write the private key. An existing file is not overwritten.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Verifies a webhook body (standard input) against X-Onramper-Webhook-Signature; exits 0
    /// only for a valid signature.
    VerifyWebhook {
        /// The X-Onramper-Webhook-Signature value.
        #[arg(long, value_name = "HEX")]
        signature: Option<String>,
        #[command(flatten)]
        secret: OnramperWebhookSecret,
    },
}

/// The V2 private key: `--key-file PATH` or `--key-env NAME` (a PEM in a variable).
#[derive(Args)]
pub(crate) struct KeyOpt {
    /// A file holding the V2 private key (PKCS#8 PEM, as `keygen` or `openssl genpkey
    /// -algorithm ED25519` writes it).
    #[arg(long, value_name = "PATH")]
    key_file: Option<PathBuf>,
    /// The environment variable holding the V2 private key (PKCS#8 PEM).
    #[arg(long, value_name = "NAME")]
    key_env: Option<String>,
}

/// A fixed timestamp and nonce, to reproduce a V2 signature.
#[derive(Args)]
pub(crate) struct FixedOpt {
    /// The timestamp to sign with (ISO 8601 UTC, such as 2024-01-15T10:30:00.000Z); now when
    /// omitted.
    #[arg(long, value_name = "ISO8601")]
    timestamp: Option<String>,
    /// The nonce to sign with (a UUID v4); a fresh one when omitted.
    #[arg(long, value_name = "UUID")]
    nonce: Option<String>,
}

impl KeyOpt {
    pub(crate) fn load(&self) -> Result<SigningKey> {
        let key = match (&self.key_file, &self.key_env) {
            (Some(path), None) => SigningKey::from_pem_file(path),
            (None, Some(name)) => SigningKey::from_env(name),
            (Some(_), Some(_)) => {
                return Err("give the key by file or by environment, not both".into());
            }
            (None, None) => {
                return Err(
                    "the V2 private key is required: --key-file PATH or --key-env NAME".into(),
                );
            }
        };
        key.map_err(|err| err.to_string())
    }
}

impl FixedOpt {
    fn options(&self) -> Result<SignOptions> {
        let mut options = SignOptions::new();
        if let Some(text) = &self.timestamp {
            options = options.timestamp(timestamp("--timestamp", text)?);
        }
        if let Some(text) = &self.nonce {
            let nonce = text
                .parse()
                .map_err(|_| format!("--nonce {text:?} is not a UUID"))?;
            options = options.nonce(nonce);
        }
        Ok(options)
    }
}

fn timestamp(flag: &str, text: &str) -> Result<OffsetDateTime> {
    v2::parse_timestamp(text).ok_or_else(|| {
        format!("{flag} {text:?} is not an ISO 8601 UTC time such as 2024-01-15T10:30:00.000Z")
    })
}

fn signed_url(url: String) -> Output {
    Output {
        json: json!({ "url": url }),
        text: url,
    }
}

impl Onramper {
    pub(crate) async fn run(self) -> Result<Output> {
        match self {
            Self::Checkout(args) => args.run().await,
            Self::Quotes(args) => args.run().await,
            Self::Sign {
                url,
                v2: true,
                key,
                at,
                expiry,
                also_sign,
                secret: _,
            } => {
                let mut options = at.options()?;
                if let Some(text) = &expiry {
                    options = options.expires_at(timestamp("--expiry", text)?);
                }
                for parameter in also_sign {
                    options = options.also_sign(parameter);
                }
                let signed = v2::sign_widget_url_v2_with(&url, &key.load()?, &options)
                    .map_err(|err| err.to_string())?;
                Ok(signed_url(signed.into()))
            }
            Self::Sign { url, secret: s, .. } | Self::SignUrl { url, secret: s } => {
                let signed = ramp_onramper_sign::sign_url(&url, &s.value()?)
                    .map_err(|err| err.to_string())?;
                Ok(signed_url(signed))
            }
            Self::Verify {
                url,
                public_key,
                public_key_file,
                secret: _,
            } if public_key.is_some() || public_key_file.is_some() => {
                let text = match (public_key, public_key_file) {
                    (Some(text), None) => text,
                    (None, Some(path)) => std::fs::read_to_string(&path)
                        .map_err(|err| format!("cannot read {}: {err}", path.display()))?,
                    _ => return Err("give the public key inline or by file, not both".into()),
                };
                let key = if text.contains("BEGIN") {
                    v2::PublicKey::from_spki_pem(&text)
                } else {
                    v2::PublicKey::from_hex(&text)
                }
                .map_err(|err| err.to_string())?;
                let verified = v2::verify_widget_url_v2(&url, &key, OffsetDateTime::now_utc())
                    .map_err(|err| format!("signature refused: {err}"))?;
                Ok(Output {
                    text: format!(
                        "valid (V2): signed {}{}",
                        verified.signed_fields.join(", "),
                        if verified.stripped.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "; Onramper strips the unsigned {}",
                                verified.stripped.join(", ")
                            )
                        }
                    ),
                    json: json!({ "valid": true, "version": 2, "signedFields": verified.signed_fields,
                                  "stripped": verified.stripped }),
                })
            }
            Self::Verify { url, secret: s, .. } | Self::VerifyUrl { url, secret: s } => {
                ramp_onramper_sign::verify_url(&url, &s.value()?)
                    .map_err(|err| format!("signature refused: {err}"))?;
                Ok(Output {
                    text: "valid".into(),
                    json: json!({ "valid": true, "version": 1 }),
                })
            }
            Self::SignRequest {
                key,
                method,
                path,
                query,
                authorization,
                content_type,
                body_file,
                at,
            } => {
                let body = match &body_file {
                    Some(path) => std::fs::read(path)
                        .map_err(|err| format!("cannot read {}: {err}", path.display()))?,
                    None => Vec::new(),
                };
                let mut request = ApiRequest::new(&method, &path, &authorization)
                    .query(&query)
                    .body(&body);
                if let Some(content_type) = &content_type {
                    request = request.content_type(content_type);
                }
                let headers = v2::sign_request_v2(&request, &key.load()?, &at.options()?)
                    .map_err(|err| err.to_string())?;
                let lines: Vec<String> = headers
                    .iter()
                    .map(|(name, value)| format!("{name}: {value}"))
                    .collect();
                let json: serde_json::Map<String, serde_json::Value> = headers
                    .iter()
                    .map(|(name, value)| (name.to_owned(), json!(value)))
                    .collect();
                Ok(Output {
                    text: lines.join("\n"),
                    json: serde_json::Value::Object(json),
                })
            }
            Self::Keygen { out } => keygen(&out),
            Self::VerifyWebhook {
                signature,
                secret: s,
            } => {
                use ramp_onramper_sign::webhook::{SIGNATURE_HEADER, Verify as _, WebhookVerifier};
                let secret = s.value()?;
                let verifier =
                    WebhookVerifier::new(secret.clone()).map_err(|err| err.to_string())?;
                let body = body(&None)?;
                let Some(signature) = signature else {
                    let expected = ramp_core::hmac_sha256_hex(
                        ramp_core::require_secret("Onramper webhook secret", &secret)
                            .map_err(|err| err.to_string())?
                            .as_bytes(),
                        &body,
                    );
                    return Err(format!(
                        "no --signature to check; a valid X-Onramper-Webhook-Signature for this \
                         body is {expected}"
                    ));
                };
                let headers = ramp_core::webhook::header_map(SIGNATURE_HEADER, &signature)
                    .ok_or("the signature is not a valid header value")?;
                let event = verifier
                    .verify(&body, &headers)
                    .map_err(|err| err.to_string())?;
                Ok(Output {
                    text: format!(
                        "valid: transaction {} is {}",
                        event.transaction_id, event.status
                    ),
                    json: json!({ "valid": true, "transactionId": event.transaction_id,
                                  "status": event.status.as_str() }),
                })
            }
        }
    }
}

/// Writes a new private key to `out` (mode 0600, never over an existing file) and prints the
/// public key.
fn keygen(out: &std::path::Path) -> Result<Output> {
    use std::io::Write as _;
    let key = SigningKey::generate().map_err(|err| err.to_string())?;
    let pem = key.to_pkcs8_pem().map_err(|err| err.to_string())?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(out)
        .map_err(|err| format!("cannot create {}: {err}", out.display()))?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|err| format!("cannot write {}: {err}", out.display()))?;
    let public = key.public_key();
    Ok(Output {
        text: format!(
            "private key written to {} (mode 0600); keep it on your servers\n\
             public key for Onramper:\n{}hex: {}",
            out.display(),
            public.to_spki_pem(),
            public.to_hex()
        ),
        json: json!({ "privateKeyFile": out.display().to_string(),
                      "publicKeyPem": public.to_spki_pem(), "publicKeyHex": public.to_hex() }),
    })
}
