//! Debugging tools for real integrations: sign, hash, verify, and single API calls.
//!
//! Secrets come only from an environment variable (`--secret-env NAME`) or a file
//! (`--secret-file PATH`), never from an argument: arguments leak into shell history and
//! process lists. No secret is ever printed.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use ramp_core::SecretString;
use serde_json::Value;
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

mod address;
mod koinal;
mod kryptonim;
mod onramper;
mod proof;
mod transak;
mod trigger;

pub(crate) use address::AddressCommand;
pub(crate) use koinal::Koinal;
pub(crate) use kryptonim::Kryptonim;
pub(crate) use onramper::Onramper;
pub(crate) use proof::Proof;
pub(crate) use transak::Transak;
pub(crate) use trigger::TriggerArgs;
