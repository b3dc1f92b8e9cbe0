//! The documented rules a request must meet before it is sent.

use rust_decimal::Decimal;

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

/// A fiat currency: 3 ASCII capital letters.
pub(crate) fn currency(field: &'static str, value: Option<String>) -> Result<String, Error> {
    let value = required(field, value)?;
    if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err(Error::validation(
            field,
            format!("must be a 3-letter upper-case code such as USD, not {value:?}"),
        ))
    }
}
