//! Sign the Onramper documentation's example URL and verify it.
//!
//! ```text
//! cargo run -p ramp-onramper-sign --example sign_url
//! ONRAMPER_SIGNING_SECRET=... cargo run -p ramp-onramper-sign --example sign_url -- '<url>'
//! ```
//!
//! Without `ONRAMPER_SIGNING_SECRET` it uses the secret `secret` and says so.

use std::process::ExitCode;

use ramp_onramper_sign::{SecretString, sign_content, sign_url, verify_url};

/// The example URL of Onramper's URL-signing documentation.
const DOC_URL: &str = "https://buy.onramper.com/?apiKey=pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4&country=nl&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71&networkWallets=bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,ethereum:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2&walletAddressTags=btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,eth:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2";

fn main() -> ExitCode {
    let secret = ramp_core::secret_from_env("ONRAMPER_SIGNING_SECRET").unwrap_or_else(|e| {
        println!("{e}; using the secret \"secret\"");
        SecretString::from("secret")
    });
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DOC_URL.to_owned());
    let result = sign_content(&url).and_then(|content| {
        println!("sign content: {content}");
        let signed = sign_url(&url, &secret)?;
        println!("signed URL:   {signed}");
        verify_url(&signed, &secret)?;
        println!("verify_url:   ok");
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
