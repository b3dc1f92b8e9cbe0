//! Exact decimals in JSON (feature `decimal`).
//!
//! Providers send amounts as JSON numbers (`0.10034116`) or strings (`"0.10034116"`). Reading a
//! number through `f64`, as serde does by default, can change its digits; these helpers read
//! the number's text as written and parse it straight into a [`Decimal`]. On the way out,
//! [`serialize_number`] writes a decimal as a bare JSON number with its digits as given
//! (`100.00` stays `100.00`).
//!
//! ```
//! use ramp_core::decimal::{Decimal, deserialize_exact, serialize_number};
//!
//! #[derive(serde::Deserialize, serde::Serialize)]
//! struct Quote {
//!     #[serde(deserialize_with = "deserialize_exact", serialize_with = "serialize_number")]
//!     amount: Decimal,
//! }
//!
//! let quote: Quote = serde_json::from_str(r#"{"amount":0.123456789012345678}"#).unwrap();
//! assert_eq!(quote.amount.to_string(), "0.123456789012345678");
//! assert_eq!(serde_json::to_string(&quote).unwrap(), r#"{"amount":0.123456789012345678}"#);
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

pub use rust_decimal::Decimal;

/// Parses the text of a JSON number (`15`, `15.50`, `1e-7`, `-0.5E+2`) into the exact decimal
/// it denotes; `None` when it is not a number or needs more than 28 significant digits.
///
/// ```
/// use ramp_core::decimal::parse_exact;
///
/// assert_eq!(parse_exact("0.10034116").unwrap().to_string(), "0.10034116");
/// assert_eq!(parse_exact("1e-7").unwrap().to_string(), "0.0000001");
/// assert!(parse_exact("1_000").is_none());
/// assert!(parse_exact("NaN").is_none());
/// ```
pub fn parse_exact(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let valid = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit());
    if !valid {
        return None;
    }
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str_exact(text).ok()
    }
}

/// `#[serde(deserialize_with)]`: an exact decimal from a JSON number or a JSON string holding
/// one. Works with `serde_json` (it reads the number's raw text).
pub fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    let number = match quoted(text) {
        Some(Ok(quoted)) => parse_exact(&quoted),
        // A string that is not one: the message below names it.
        Some(Err(())) => None,
        None => parse_exact(text),
    };
    number.ok_or_else(|| not_a_decimal(text))
}

/// `#[serde(deserialize_with)]` for an `Option<Decimal>`: `null`, an empty string or an absent
/// field (with `#[serde(default)]`) is `None`.
pub fn deserialize_exact_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
    let Some(raw) = raw else { return Ok(None) };
    let text = raw.get();
    let number = match quoted(text) {
        Some(Ok(quoted)) if quoted.trim().is_empty() => return Ok(None),
        Some(Ok(quoted)) => parse_exact(&quoted),
        Some(Err(())) => None,
        None => parse_exact(text),
    };
    number.map(Some).ok_or_else(|| not_a_decimal(text))
}

/// The text of a raw JSON value that is a string (`Some`, unescaped), or `None` for any
/// other value (a number is read from its own text, never through a string).
fn quoted(raw: &str) -> Option<Result<std::borrow::Cow<'_, str>, ()>> {
    if !raw.starts_with('"') {
        return None;
    }
    Some(serde_json::from_str::<std::borrow::Cow<'_, str>>(raw).map_err(|_| ()))
}

fn not_a_decimal<E: serde::de::Error>(text: &str) -> E {
    E::custom(format!(
        "expected a decimal number of at most 28 significant digits, found {text}"
    ))
}

/// Writes number text verbatim as a bare JSON number (through serde_json's raw values).
///
/// The text must be a valid JSON number; anything else is a serialization error. It is
/// checked in place: nothing is allocated.
pub fn serialize_raw_number<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    let raw: &RawValue = serde_json::from_str(text).map_err(serde::ser::Error::custom)?;
    if !raw
        .get()
        .starts_with(|c: char| c == '-' || c.is_ascii_digit())
    {
        return Err(serde::ser::Error::custom(format!(
            "{text:?} is not a JSON number"
        )));
    }
    raw.serialize(serializer)
}

/// `#[serde(serialize_with)]`: a decimal as a bare JSON number with its digits as given
/// (`100.00` is written `100.00`, `0.10034116` is written `0.10034116`).
pub fn serialize_number<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    with_text(value, |text| serialize_raw_number(text, serializer))
}

/// `#[serde(serialize_with)]`: a decimal as a JSON string with its digits as given
/// (`"99.50"`), for providers that send amounts as strings; written without a heap
/// allocation.
///
/// ```
/// use ramp_core::decimal::{Decimal, serialize_string};
///
/// #[derive(serde::Serialize)]
/// struct Session {
///     #[serde(serialize_with = "serialize_string")]
///     amount: Decimal,
/// }
///
/// let session = Session { amount: "99.50".parse().unwrap() };
/// assert_eq!(serde_json::to_string(&session).unwrap(), r#"{"amount":"99.50"}"#);
/// ```
pub fn serialize_string<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    with_text(value, |text| serializer.serialize_str(text))
}

/// `then` given the decimal's text, printed on the stack.
fn with_text<R>(value: &Decimal, then: impl FnOnce(&str) -> R) -> R {
    let mut text = StackText::default();
    match std::fmt::Write::write_fmt(&mut text, format_args!("{value}")) {
        Ok(()) => then(text.as_str()),
        // Longer than any decimal prints: not reached, but never wrong.
        Err(_) => then(&value.to_string()),
    }
}

/// A decimal's text without a heap allocation: any `Decimal` prints in fewer than 64 bytes
/// (sign, 29 digits, point, and up to 28 zeros after `0.`).
struct StackText {
    bytes: [u8; 64],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        Self {
            bytes: [0; 64],
            len: 0,
        }
    }
}

impl StackText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// [`serialize_number`] for an `Option<Decimal>` (`None` as `null`; pair it with
/// `skip_serializing_if = "Option::is_none"` to leave the field out).
pub fn serialize_option_number<S: Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serialize_number(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// `#[serde(with = "ramp_core::decimal::exact")]` for a `Decimal`: read exactly from a JSON
/// number or a string holding one ([`deserialize_exact`]), written as a bare JSON number with
/// its digits as given ([`serialize_number`]).
pub mod exact {
    pub use super::deserialize_exact as deserialize;
    pub use super::serialize_number as serialize;
}

/// `#[serde(default, with = "ramp_core::decimal::option", skip_serializing_if =
/// "Option::is_none")]` for an `Option<Decimal>`: read exactly, with `null`, an empty string
/// or an absent field as `None` ([`deserialize_exact_option`]); written as a bare JSON number
/// with its digits as given ([`serialize_option_number`]).
///
/// ```
/// use rust_decimal::Decimal;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct Order {
///     #[serde(default, with = "ramp_core::decimal::option", skip_serializing_if = "Option::is_none")]
///     amount: Option<Decimal>,
/// }
///
/// let order: Order = serde_json::from_str(r#"{"amount": 150.50}"#).unwrap();
/// assert_eq!(serde_json::to_string(&order).unwrap(), r#"{"amount":150.50}"#);
/// let none: Order = serde_json::from_str("{}").unwrap();
/// assert_eq!(serde_json::to_string(&none).unwrap(), "{}");
/// ```
pub mod option {
    pub use super::deserialize_exact_option as deserialize;
    pub use super::serialize_option_number as serialize;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize)]
    struct T {
        #[serde(
            deserialize_with = "deserialize_exact",
            serialize_with = "serialize_number"
        )]
        v: Decimal,
    }

    #[derive(Deserialize)]
    struct O {
        #[serde(default, deserialize_with = "deserialize_exact_option")]
        v: Option<Decimal>,
    }

    fn parse(s: &str) -> Result<String, serde_json::Error> {
        serde_json::from_str::<T>(s).map(|t| t.v.to_string())
    }

    #[test]
    fn numbers_and_strings_parse_exactly() {
        assert_eq!(
            parse(r#"{"v":0.123456789012345678}"#).unwrap(),
            "0.123456789012345678"
        );
        assert_eq!(parse(r#"{"v":"15.50"}"#).unwrap(), "15.50");
        assert_eq!(parse(r#"{"v":1e-7}"#).unwrap(), "0.0000001");
        assert_eq!(parse(r#"{"v":-0.5E+2}"#).unwrap(), "-50");
        assert_eq!(parse(r#"{"v":1000}"#).unwrap(), "1000");
    }

    #[test]
    fn what_is_not_an_exact_decimal_is_an_error() {
        for bad in [
            r#"{"v":"abc"}"#,
            r#"{"v":true}"#,
            r#"{"v":null}"#,
            r#"{"v":1e400}"#,
            r#"{"v":"-"}"#,
            r#"{"v":123456789012345678901234567890}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn options_treat_null_empty_and_absent_as_none() {
        let o = |s: &str| serde_json::from_str::<O>(s).map(|o| o.v.map(|d| d.to_string()));
        assert_eq!(o(r#"{}"#).unwrap(), None);
        assert_eq!(o(r#"{"v":null}"#).unwrap(), None);
        assert_eq!(o(r#"{"v":""}"#).unwrap(), None);
        assert_eq!(o(r#"{"v":"0.10"}"#).unwrap().as_deref(), Some("0.10"));
        assert!(o(r#"{"v":"x"}"#).is_err());
    }

    #[test]
    fn decimals_serialize_as_bare_numbers_with_their_digits() {
        let t = T {
            v: "100.00".parse().unwrap(),
        };
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"v":100.00}"#);
    }

    #[test]
    fn raw_numbers_must_be_numbers() {
        let text = |raw: &str| {
            let mut out = Vec::new();
            serialize_raw_number(raw, &mut serde_json::Serializer::new(&mut out))
                .map(|()| String::from_utf8(out).unwrap())
        };
        assert_eq!(text("0.10034116").unwrap(), "0.10034116");
        assert_eq!(text("-1e-7").unwrap(), "-1e-7");
        for bad in ["", "1.", "\"1\"", "true", "null", "[1]", "1 2", "NaN"] {
            assert!(text(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_quoted_value_that_is_not_a_number_names_itself() {
        let err = parse(r#"{"v":"12\u0041"}"#).unwrap_err();
        assert!(err.to_string().contains(r#"found "12\u0041""#), "{err}");
        assert_eq!(parse(r#"{"v":"\u0031\u0035"}"#).unwrap(), "15");
    }
}
