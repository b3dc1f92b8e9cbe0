//! The documented rules a request must meet before it is sent, shared by every operation.

use std::net::IpAddr;

use rust_decimal::Decimal;
use url::{Host, Url};

use crate::Error;

/// A value that must be present and not blank.
pub(crate) fn required(field: &'static str, value: Option<String>) -> Result<String, Error> {
    match value {
        Some(value) if !value.trim().is_empty() => Ok(value),
        Some(_) => Err(Error::validation(field, "must not be empty")),
        None => Err(Error::validation(field, "is required")),
    }
}

/// An amount must be greater than zero.
pub(crate) fn positive(field: &'static str, amount: Decimal) -> Result<Decimal, Error> {
    if amount > Decimal::ZERO {
        Ok(amount)
    } else {
        Err(Error::validation(
            field,
            format!("must be greater than zero, not {amount}"),
        ))
    }
}

/// Exactly one of a fiat and a crypto amount.
pub(crate) fn one_amount(
    fiat: (&'static str, Option<Decimal>),
    crypto: (&'static str, Option<Decimal>),
) -> Result<crate::Amount, Error> {
    match (fiat.1, crypto.1) {
        (Some(amount), None) => Ok(crate::Amount::Fiat(positive(fiat.0, amount)?)),
        (None, Some(amount)) => Ok(crate::Amount::Crypto(positive(crypto.0, amount)?)),
        (Some(_), Some(_)) => Err(Error::validation(
            fiat.0,
            format!("give either `{}` or `{}`, not both", fiat.0, crypto.0),
        )),
        (None, None) => Err(Error::validation(
            fiat.0,
            format!("one of `{}` or `{}` is required", fiat.0, crypto.0),
        )),
    }
}

/// A currency code of `len` ASCII capital letters (ISO 4217 for currencies, ISO 3166-1
/// alpha-2 for countries).
pub(crate) fn code(
    field: &'static str,
    value: Option<String>,
    len: usize,
    example: &str,
) -> Result<String, Error> {
    let value = required(field, value)?;
    if value.len() == len && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err(Error::validation(
            field,
            format!("must be a {len}-letter upper-case code such as {example}, not {value:?}"),
        ))
    }
}

/// An email needs a local part and a domain: `local@domain`, no whitespace.
pub(crate) fn email(field: &'static str, value: String) -> Result<String, Error> {
    let ok = !value.chars().any(char::is_whitespace)
        && value
            .rsplit_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if ok {
        Ok(value)
    } else {
        Err(Error::validation(
            field,
            format!("{value:?} is not an email address (local part @ domain)"),
        ))
    }
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

/// A URL given as text, as in a deserialized request.
pub(crate) fn parse_url(field: &'static str, text: &str) -> Result<Url, Error> {
    Url::parse(text)
        .map_err(|err| Error::validation(field, format!("{text:?} is not an absolute URL ({err})")))
}

/// An IP address given as text: IPv4 dotted decimal, IPv6, or IPv4-mapped IPv6.
pub(crate) fn parse_ip(field: &'static str, text: &str) -> Result<IpAddr, Error> {
    text.parse().map_err(|_| {
        Error::validation(
            field,
            format!("{text:?} is not an IPv4, IPv6 or IPv4-mapped IPv6 address"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_local_part_and_a_domain() {
        for ok in [
            "user@example.com",
            "a@b",
            "first.last+tag@sub.example.co.uk",
            "a@b@c",
        ] {
            assert!(email("email", ok.into()).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "user",
            "@example.com",
            "user@",
            "us er@example.com",
            "user@exa mple",
        ] {
            assert!(email("email", bad.into()).is_err(), "{bad}");
        }
    }

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
