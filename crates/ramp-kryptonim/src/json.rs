//! JSON numbers as JavaScript prints them, and exact decimals out of JSON.
//!
//! Kryptonim's documentation signs `JSON.stringify(payload)`. Numbers are where a Rust
//! serializer and JavaScript differ (`15.0` against `15`, `1e-7` against `0.0000001`), so
//! every number this crate sends is laid out by [`js_number`], which applies the
//! ECMAScript `Number::toString` rules to the exact decimal digits.

use ramp_core::decimal::serialize_raw_number;
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Lays out `digits × 10^(n − digits.len())` as ECMAScript's `Number::toString` does
/// (ECMA-262, Number::toString, steps 5 to 12): plain notation from 1e-6 up to 1e21,
/// exponent notation (`1e-7`, `1.5e+21`) outside.
///
/// `digits` are the significant digits without leading or trailing zeros; empty means zero.
fn layout(negative: bool, digits: &str, n: i64) -> String {
    if digits.is_empty() {
        return "0".to_owned();
    }
    let k = digits.len() as i64;
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let e = n - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&e.abs().to_string());
    }
    out
}

/// A decimal as JavaScript's `JSON.stringify` prints a number: `15` and `15.5`, never
/// `15.0` or `15.50`; `0.000001` but `1e-7`.
///
/// Every digit is kept: for a value a JavaScript number holds exactly, the text is identical
/// to `JSON.stringify`; for one with more significant digits than a double holds (an
/// 18-decimal token amount), the text has the same layout with all the digits, where
/// JavaScript would have rounded.
pub(crate) fn js_number(value: Decimal) -> String {
    let mantissa = value.mantissa().unsigned_abs().to_string();
    let trimmed = mantissa.trim_end_matches('0');
    let trailing_zeros = (mantissa.len() - trimmed.len()) as i64;
    let k = trimmed.len() as i64;
    // value = trimmed × 10^(trailing_zeros − scale), so n − k = trailing_zeros − scale.
    let n = k + trailing_zeros - i64::from(value.scale());
    layout(value.is_sign_negative(), trimmed, n)
}

/// A double as JavaScript prints it. Rust's `{:e}` gives the shortest digits that round-trip,
/// as ECMAScript requires; only the layout differs.
fn js_f64(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        // JSON has no NaN or infinity (serde_json never holds them); -0 prints as 0.
        return "0".to_owned();
    }
    let sci = format!("{:e}", value.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    layout(value < 0.0, digits, exponent + 1)
}

/// `#[serde(serialize_with)]` for a decimal sent as a bare JSON number in JavaScript's layout.
pub(crate) fn serialize_js_decimal<S: Serializer>(
    value: &Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize_raw_number(js_number(*value), serializer)
}

/// A JSON value serialized as `JSON.stringify` would: numbers in JavaScript's layout.
///
/// Object keys keep the order of the map they come from (serde_json's map is sorted).
pub(crate) struct JsValue<'a>(pub(crate) &'a Value);

impl Serialize for JsValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::String(s) => serializer.serialize_str(s),
            Value::Number(n) => {
                let text = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                    (Some(u), _, _) => u.to_string(),
                    (None, Some(i), _) => i.to_string(),
                    (None, None, Some(f)) => js_f64(f),
                    (None, None, None) => n.to_string(),
                };
                serialize_raw_number(text, serializer)
            }
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&JsValue(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map {
                    out.serialize_entry(key, &JsValue(value))?;
                }
                out.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Expected texts are what Node's `JSON.stringify` prints for the same value.
    #[test]
    fn decimals_print_as_json_stringify_prints_them() {
        for (value, js) in [
            ("15", "15"),
            ("15.0", "15"),
            ("15.50", "15.5"),
            ("0.1", "0.1"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("0.00000015", "1.5e-7"),
            ("0.000001234", "0.000001234"),
            ("123456789", "123456789"),
            ("100", "100"),
            ("100000000000000000000", "100000000000000000000"),
            ("1000000000000000000000", "1e+21"),
            ("1500000000000000000000", "1.5e+21"),
            ("0.00000000025", "2.5e-10"),
            ("1234.5678", "1234.5678"),
            ("-2.50", "-2.5"),
            ("0", "0"),
            ("0.000", "0"),
        ] {
            assert_eq!(js_number(dec(value)), js, "{value}");
        }
    }

    #[test]
    fn eighteen_decimals_are_kept_digit_for_digit() {
        assert_eq!(
            js_number(dec("0.123456789012345678")),
            "0.123456789012345678"
        );
        assert_eq!(
            js_number(dec("1234567890.123456789012345678")),
            "1234567890.123456789012345678"
        );
    }

    /// Expected texts are Node's `JSON.stringify` of the same doubles.
    #[test]
    fn doubles_print_as_json_stringify_prints_them() {
        for (value, js) in [
            (15.0, "15"),
            (15.5, "15.5"),
            (0.1, "0.1"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (12345678901234567890.0, "12345678901234567000"),
            (-0.0, "0"),
            (0.30000000000000004, "0.30000000000000004"),
            (-1234.5678, "-1234.5678"),
        ] {
            assert_eq!(js_f64(value), js, "{value}");
        }
    }

    #[test]
    fn json_values_serialize_with_javascript_numbers() {
        let value = serde_json::json!({"a": [1.0, 2.5, -3, null, true, "x\u{1}\""], "b": 1e-7});
        let text = serde_json::to_string(&JsValue(&value)).unwrap();
        assert_eq!(text, r#"{"a":[1,2.5,-3,null,true,"x\u0001\""],"b":1e-7}"#);
    }
}
