//! The documented rules a request must meet before it is sent, shared by every operation.

use rust_decimal::Decimal;
use url::{Host, Url};

use crate::Error;

use ramp_core::validate::OneOf;
pub(crate) use ramp_core::validate::{absolute_url, ip, required, upper_code};

/// Exactly one of a fiat and a crypto amount, positive.
pub(crate) fn one_amount(
    fiat: (&'static str, Option<Decimal>),
    crypto: (&'static str, Option<Decimal>),
) -> Result<crate::Amount, Error> {
    Ok(
        match ramp_core::validate::exactly_one_positive(fiat, crypto)? {
            OneOf::First(amount) => crate::Amount::Fiat(amount),
            OneOf::Second(amount) => crate::Amount::Crypto(amount),
        },
    )
}

/// A redirect URL: absolute and `https`; `http` only for a loopback host (local development).
pub(crate) fn redirect_url(field: &'static str, url: Url) -> Result<Url, Error> {
    let loopback = match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(Error::validation(
            field,
            format!("must use https (http is allowed for loopback hosts only), not {url}"),
        )),
        _ => Err(Error::validation(
            field,
            format!("must be an absolute https URL, not {url}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_urls_are_https_or_loopback_http() {
        let check = |s: &str| redirect_url("successUrl", Url::parse(s).unwrap()).is_ok();
        assert!(check("https://yoursite.com/success"));
        assert!(check("http://localhost:3000/done"));
        assert!(check("http://127.0.0.1/done"));
        assert!(check("http://[::1]:8080/done"));
        assert!(!check("http://yoursite.com/success"));
        assert!(!check("http://localhost.evil.com/"));
        assert!(!check("ftp://yoursite.com/"));
        assert!(!check("mailto:user@example.com"));
        assert!(!check("javascript:alert(1)"));
    }
}
