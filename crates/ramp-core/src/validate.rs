//! The request rules every provider crate checks before sending, with one error shape.
//!
//! Each provider crate turns [`Invalid`] into its own `ErrorKind::Validation { field, reason }`,
//! so the message is the same everywhere: ``invalid `user_email`: "user" is not an email
//! address (local part @ domain)``.
//!
//! ```
//! use ramp_core::validate;
//!
//! assert_eq!(validate::required("network", Some("TRC20".into())).unwrap(), "TRC20");
//! let err = validate::email("user_email", "user".into()).unwrap_err();
//! assert_eq!(err.to_string(), r#"invalid `user_email`: "user" is not an email address (local part @ domain)"#);
//! ```

/// A field that breaks a rule: which one, by its wire name, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{field}`: {reason}")]
pub struct Invalid {
    /// The field's wire name.
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

impl Invalid {
    /// An error for `field`.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

/// A value that must be present and not blank.
pub fn required(field: &'static str, value: Option<String>) -> Result<String, Invalid> {
    match value {
        Some(value) if !value.trim().is_empty() => Ok(value),
        Some(_) => Err(Invalid::new(field, "must not be empty")),
        None => Err(Invalid::new(field, "is required")),
    }
}

/// An email needs a local part and a domain (`local@domain`) and no whitespace. Nothing more
/// is checked: providers document no stricter rule.
pub fn email(field: &'static str, value: String) -> Result<String, Invalid> {
    let ok = !value.chars().any(char::is_whitespace)
        && value
            .rsplit_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if ok {
        Ok(value)
    } else {
        Err(Invalid::new(
            field,
            format!("{value:?} is not an email address (local part @ domain)"),
        ))
    }
}

/// A required code of exactly `len` ASCII capital letters, such as an ISO 4217 currency
/// (`EUR`, `len` 3) or an ISO 3166-1 alpha-2 country (`PL`, `len` 2).
pub fn upper_code(
    field: &'static str,
    value: Option<String>,
    len: usize,
    example: &str,
) -> Result<String, Invalid> {
    let value = required(field, value)?;
    if value.len() == len && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err(Invalid::new(
            field,
            format!("must be a {len}-letter upper-case code such as {example}, not {value:?}"),
        ))
    }
}

/// An IP address given as text: IPv4 dotted decimal, IPv6, or IPv4-mapped IPv6.
pub fn ip(field: &'static str, text: &str) -> Result<std::net::IpAddr, Invalid> {
    text.parse().map_err(|_| {
        Invalid::new(
            field,
            format!("{text:?} is not an IPv4, IPv6 or IPv4-mapped IPv6 address"),
        )
    })
}

/// The IP of an end user's browser, as a provider compares it with the address it sees: an
/// IPv4-mapped IPv6 address (`::ffff:203.0.113.9`, what a server listening on `[::]` sees for
/// an IPv4 peer) becomes the IPv4 address it maps, and the unspecified addresses (`0.0.0.0`,
/// `::`), which name no one, are refused.
///
/// ```
/// use std::net::IpAddr;
/// use ramp_core::validate::end_user_ip;
///
/// let mapped: IpAddr = "::ffff:203.0.113.9".parse().unwrap();
/// assert_eq!(end_user_ip("ip", mapped).unwrap().to_string(), "203.0.113.9");
/// let v6: IpAddr = "2001:db8::1".parse().unwrap();
/// assert_eq!(end_user_ip("ip", v6).unwrap(), v6);
/// assert!(end_user_ip("ip", "0.0.0.0".parse().unwrap()).is_err());
/// assert!(end_user_ip("ip", "::".parse().unwrap()).is_err());
/// ```
pub fn end_user_ip(field: &'static str, ip: std::net::IpAddr) -> Result<std::net::IpAddr, Invalid> {
    let ip = ip.to_canonical();
    if ip.is_unspecified() {
        return Err(Invalid::new(
            field,
            format!("{ip} is not an end user's IP: pass the IP of the user's browser"),
        ));
    }
    Ok(ip)
}

/// An absolute URL given as text (a relative one such as `/done` is refused).
#[cfg(feature = "http-base")]
pub fn absolute_url(field: &'static str, text: &str) -> Result<url::Url, Invalid> {
    url::Url::parse(text)
        .map_err(|err| Invalid::new(field, format!("{text:?} is not an absolute URL ({err})")))
}

/// An amount must be greater than zero.
#[cfg(feature = "decimal")]
pub fn positive(
    field: &'static str,
    amount: rust_decimal::Decimal,
) -> Result<rust_decimal::Decimal, Invalid> {
    if amount > rust_decimal::Decimal::ZERO {
        Ok(amount)
    } else {
        Err(Invalid::new(
            field,
            format!("must be greater than zero, not {amount}"),
        ))
    }
}

/// Which of two amounts was given: see [`exactly_one_positive`].
#[cfg(feature = "decimal")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneOf {
    /// The first amount, positive.
    First(rust_decimal::Decimal),
    /// The second amount, positive.
    Second(rust_decimal::Decimal),
}

#[cfg(feature = "decimal")]
impl OneOf {
    /// As `(first, second)`, exactly one of them `Some`.
    pub fn split(self) -> (Option<rust_decimal::Decimal>, Option<rust_decimal::Decimal>) {
        match self {
            Self::First(amount) => (Some(amount), None),
            Self::Second(amount) => (None, Some(amount)),
        }
    }
}

/// Exactly one of two amounts, positive. Both, or neither, is an error on the first field
/// naming both.
#[cfg(feature = "decimal")]
pub fn exactly_one_positive(
    first: (&'static str, Option<rust_decimal::Decimal>),
    second: (&'static str, Option<rust_decimal::Decimal>),
) -> Result<OneOf, Invalid> {
    match (first.1, second.1) {
        (Some(a), None) => Ok(OneOf::First(positive(first.0, a)?)),
        (None, Some(b)) => Ok(OneOf::Second(positive(second.0, b)?)),
        (Some(_), Some(_)) => Err(Invalid::new(
            first.0,
            format!("give either `{}` or `{}`, not both", first.0, second.0),
        )),
        (None, None) => Err(Invalid::new(
            first.0,
            format!("one of `{}` or `{}` is required", first.0, second.0),
        )),
    }
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
    fn required_values_are_present_and_not_blank() {
        assert_eq!(required("f", None).unwrap_err().reason, "is required");
        assert_eq!(
            required("f", Some(" ".into())).unwrap_err().reason,
            "must not be empty"
        );
    }

    #[test]
    fn ips_parse_in_every_documented_form() {
        for ok in ["192.0.2.1", "2001:db8::68", "::ffff:192.0.2.1"] {
            assert_eq!(ip("ip", ok).unwrap().to_string(), ok);
        }
        for bad in ["192.0.2", "999.0.2.1", "localhost", "203.0.113.42:443", ""] {
            assert!(ip("ip", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_are_upper_case_letters_of_the_given_length() {
        assert!(upper_code("c", Some("EUR".into()), 3, "EUR").is_ok());
        for bad in ["eur", "EURO", "E1R", "€"] {
            assert!(
                upper_code("c", Some(bad.into()), 3, "EUR").is_err(),
                "{bad}"
            );
        }
    }
}
