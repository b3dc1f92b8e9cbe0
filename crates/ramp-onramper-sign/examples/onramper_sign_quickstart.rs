//! The pattern every ramp crate shares, for a crate without a client: take the secret from
//! the environment, make one call, match on the error.
//!
//! ```text
//! ONRAMPER_SIGNING_SECRET=... cargo run -p ramp-onramper-sign --example onramper_sign_quickstart
//! ```

use ramp_onramper_sign::{ErrorKind, WidgetUrlBuilder, secret_from_env};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = secret_from_env("ONRAMPER_SIGNING_SECRET")?;
    let signed = WidgetUrlBuilder::new("https://buy.onramper.com", "pk_prod_your_api_key")
        .wallet("eth", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F")
        .sign(&secret);
    match signed {
        Ok(url) => println!("{url}"),
        Err(err) if matches!(err.kind(), ErrorKind::InvalidAddress { .. }) => {
            eprintln!("not sent: {err}")
        }
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
