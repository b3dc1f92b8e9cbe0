//! Sign a request body with HMAC-SHA256 and verify it, as a provider would.
//!
//! ```text
//! cargo run -p ramp-core --example sign
//! RAMP_SIGNING_SECRET=... cargo run -p ramp-core --example sign -- '{"fiatAmount":15}'
//! ```
//!
//! Without `RAMP_SIGNING_SECRET` it uses a built-in demo secret and says so.

use std::process::ExitCode;

use ramp_core::{ExposeSecret, SecretString, hmac_sha256_hex, sha256_hex, verify_hmac_sha256_hex};

const DEMO_SECRET: &str = "demo-signing-secret";
const DEMO_BODY: &str =
    r#"{"fiatAmount":15,"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon"}"#;

fn main() -> ExitCode {
    let secret = match ramp_core::secret_from_env("RAMP_SIGNING_SECRET") {
        Ok(secret) => secret,
        Err(e) => {
            println!("{e}; using the built-in demo secret");
            SecretString::from(DEMO_SECRET)
        }
    };
    let body = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEMO_BODY.to_owned());
    let key = secret.expose_secret().as_bytes();

    let signature = hmac_sha256_hex(key, body.as_bytes());
    println!("body:       {body}");
    println!("sha256:     {}", sha256_hex(body.as_bytes()));
    println!("signature:  {signature}  (hex HMAC-SHA256 of the exact body bytes)");
    println!("secret:     {secret:?}");

    let verified = verify_hmac_sha256_hex(key, body.as_bytes(), &signature);
    let mut tampered = body.clone().into_bytes();
    tampered.push(b' ');
    let tampered_rejected = !verify_hmac_sha256_hex(key, &tampered, &signature);
    println!("verifies:   {verified}");
    println!("one byte changed is rejected: {tampered_rejected}");
    if verified && tampered_rejected {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
