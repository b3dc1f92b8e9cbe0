//! Every SDK crate against the sandbox (not wiremock): the happy path, and each provider's
//! rejection of a bad signature and of a bad body.

use ramp_core::http::HttpConfig;
use std::str::FromStr;

use ramp_core::webhook::Verify as _;
use ramp_sandbox::{Sandbox, credentials as c};

/// The end user's IP that Transak widget URLs are made for.
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));

fn secret(value: &str) -> ramp_core::SecretString {
    ramp_core::SecretString::from(value)
}

/// Loads a Transak widget URL, as a user going through the widget would, and returns the id
/// of the order the sandbox made for it.
async fn load_transak_widget(widget: url::Url) -> String {
    let body = ramp_core::http::reqwest::get(widget)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let loaded: serde_json::Value = serde_json::from_slice(&body).unwrap();
    loaded["orderId"].as_str().unwrap().to_owned()
}

fn url(text: &str) -> url::Url {
    url::Url::parse(text).unwrap()
}

#[path = "sdk/failures.rs"]
mod failures;
#[path = "sdk/koinal.rs"]
mod koinal;
#[path = "sdk/kryptonim.rs"]
mod kryptonim;
#[path = "sdk/onramper.rs"]
mod onramper;
#[path = "sdk/proof.rs"]
mod proof;
#[path = "sdk/transak.rs"]
mod transak;
#[path = "sdk/triggers.rs"]
mod triggers;
