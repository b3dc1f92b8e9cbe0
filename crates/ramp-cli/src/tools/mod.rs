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

impl Output {
    /// Prints it now: the text, or the JSON on one line.
    pub(crate) fn print(&self, json: bool) {
        if json {
            println!("{}", self.json);
        } else {
            println!("{}", self.text);
        }
    }

    /// What a command that printed as it went returns: nothing more to print.
    pub(crate) fn printed() -> Self {
        Self {
            text: String::new(),
            json: Value::Null,
        }
    }

    /// Whether this is [`printed`](Self::printed).
    pub(crate) fn is_printed(&self) -> bool {
        self.text.is_empty() && self.json.is_null()
    }
}

type Result<T> = std::result::Result<T, String>;

/// A secret from `--<prefix>-env` or `--<prefix>-file`; `label` names it in errors.
fn secret(
    prefix: &str,
    label: &str,
    env: &Option<String>,
    file: &Option<PathBuf>,
) -> Result<SecretString> {
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
            "the {label} is required: --{prefix}-env NAME or --{prefix}-file PATH"
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

/// Secret options, one type per secret so that `--help` says which secret each flag takes:
/// `--<prefix>-env NAME` or `--<prefix>-file PATH`.
macro_rules! secret_args {
    ($name:ident, $prefix:literal, $what:literal) => {
        #[derive(Args)]
        pub(crate) struct $name {
            #[arg(long = concat!($prefix, "-env"), id = concat!($prefix, "-env"), value_name = "NAME",
                  help = concat!("The environment variable holding the ", $what))]
            env: Option<String>,
            #[arg(long = concat!($prefix, "-file"), id = concat!($prefix, "-file"), value_name = "PATH",
                  help = concat!("A file holding the ", $what))]
            file: Option<PathBuf>,
        }

        impl $name {
            /// The secret, from the variable or the file.
            pub(crate) fn value(&self) -> Result<SecretString> {
                secret($prefix, $what, &self.env, &self.file)
            }
        }
    };
}

secret_args!(
    KryptonimSecret,
    "secret",
    "Kryptonim signature secret (the X-Request-Signature key)"
);
secret_args!(KryptonimApiKey, "api-key", "Kryptonim API key");
secret_args!(KoinalSecret, "secret", "Koinal merchant secret");
secret_args!(KoinalCallbackSecret, "secret", "Koinal callback secret");
secret_args!(
    OnramperSecret,
    "secret",
    "Onramper V1 signing secret (not the API key)"
);
secret_args!(OnramperWebhookSecret, "secret", "Onramper webhook secret");
secret_args!(OnramperApiKey, "api-key", "Onramper API key");
secret_args!(TransakApiKey, "api-key", "Transak API key");
secret_args!(TransakSecret, "secret", "Transak API secret");
secret_args!(ProofToken, "token", "Proof client token");

mod address;
mod koinal;
mod kryptonim;
mod onramper;
mod onramper_api;
pub(crate) mod proof;
pub(crate) mod transak;
mod trigger;

pub(crate) use address::AddressCommand;
pub(crate) use koinal::Koinal;
pub(crate) use kryptonim::Kryptonim;
pub(crate) use onramper::Onramper;
pub(crate) use proof::Proof;
pub(crate) use transak::Transak;
pub(crate) use trigger::TriggerArgs;
pub(crate) mod track;
