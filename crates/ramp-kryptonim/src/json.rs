//! JSON written as JavaScript's `JSON.stringify` writes it, and exact decimals out of JSON.
//!
//! Kryptonim's documentation signs `JSON.stringify(payload)`. Numbers are where a Rust
//! serializer and JavaScript differ (`15.0` against `15`, `1e-7` against `0.0000001`), so
//! every number this crate sends is laid out by [`write_js_decimal`], which applies the
//! ECMAScript `Number::toString` rules to the exact decimal digits. The body is written
//! straight into the bytes that are signed and sent: strings escaped as `JSON.stringify`
//! escapes them, numbers in JavaScript's layout, nothing parsed again.

use rust_decimal::Decimal;
use serde_json::Value;

/// Appends `digits × 10^(n − digits.len())` laid out as ECMAScript's `Number::toString`
/// does (ECMA-262, Number::toString, steps 5 to 12): plain notation from 1e-6 up to 1e21,
/// exponent notation (`1e-7`, `1.5e+21`) outside.
///
/// `digits` are the significant digits (ASCII) without leading or trailing zeros; empty
/// means zero.
fn layout(out: &mut Vec<u8>, negative: bool, digits: &[u8], n: i64) {
    if digits.is_empty() {
        out.push(b'0');
        return;
    }
    let k = digits.len() as i64;
    if negative {
        out.push(b'-');
    }
    if k <= n && n <= 21 {
        out.extend_from_slice(digits);
        out.extend(std::iter::repeat_n(b'0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-n) as usize));
        out.extend_from_slice(digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.extend_from_slice(first);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        let e = n - 1;
        out.push(b'e');
        out.push(if e < 0 { b'-' } else { b'+' });
        let mut buffer = [0u8; 20];
        out.extend_from_slice(decimal_digits(e.unsigned_abs().into(), &mut buffer));
    }
}

/// The decimal digits of `value`, written at the end of `buffer` (no leading zeros; `0` for
/// zero). 40 bytes hold any `u128`.
fn decimal_digits(mut value: u128, buffer: &mut [u8]) -> &[u8] {
    let mut at = buffer.len();
    loop {
        at -= 1;
        // Most amounts fit in a u64, whose division by 10 is a multiplication.
        let digit = match u64::try_from(value) {
            Ok(small) => {
                value = u128::from(small / 10);
                small % 10
            }
            Err(_) => {
                let digit = (value % 10) as u64;
                value /= 10;
                digit
            }
        };
        buffer[at] = b'0' + digit as u8;
        if value == 0 || at == 0 {
            return &buffer[at..];
        }
    }
}

/// Appends a decimal as JavaScript's `JSON.stringify` prints a number: `15` and `15.5`,
/// never `15.0` or `15.50`; `0.000001` but `1e-7`.
///
/// Every digit is kept: for a value a JavaScript number holds exactly, the text is identical
/// to `JSON.stringify`; for one with more significant digits than a double holds (an
/// 18-decimal token amount), the text has the same layout with all the digits, where
/// JavaScript would have rounded. Such a value is never signed: the request builder refuses
/// it ([`js_number_exact`]).
pub(crate) fn write_js_decimal(out: &mut Vec<u8>, value: Decimal) {
    let mut buffer = [0u8; 40];
    let mantissa = decimal_digits(value.mantissa().unsigned_abs(), &mut buffer);
    let significant = mantissa.len() - mantissa.iter().rev().take_while(|&&d| d == b'0').count();
    let (trimmed, trailing_zeros) = mantissa.split_at(significant);
    let k = trimmed.len() as i64;
    // value = trimmed × 10^(trailing_zeros − scale), so n − k = trailing_zeros − scale.
    let n = k + trailing_zeros.len() as i64 - i64::from(value.scale());
    let digits: &[u8] = if mantissa == b"0" { &[] } else { trimmed };
    layout(out, value.is_sign_negative(), digits, n);
}

/// Appends a double as JavaScript prints it. Rust's `{:e}` gives the shortest digits that
/// round-trip, as ECMAScript requires; only the layout differs.
fn write_js_f64(out: &mut Vec<u8>, value: f64) {
    if value == 0.0 || !value.is_finite() {
        // JSON has no NaN or infinity (serde_json never holds them); -0 prints as 0.
        out.push(b'0');
        return;
    }
    let sci = format!("{:e}", value.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let significant = digits.len() - digits.iter().rev().take_while(|&&d| d == b'0').count();
    layout(out, value < 0.0, &digits[..significant], exponent + 1);
}

/// Appends `text` as a JSON string, escaped as `JSON.stringify` escapes it (and as
/// serde_json does): `"` and `\` with a backslash, `\b \f \n \r \t` by name, every
/// other control character as `\u00xx` (lower-case hex); everything else as it is.
pub(crate) fn write_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    // Most text (currencies, addresses, URLs) needs no escape: one scan, one copy.
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1F => {
                out.extend_from_slice(&bytes[from..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xF)],
                ]);
                from = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        out.extend_from_slice(escape);
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

/// Appends a JSON value as `JSON.stringify` would write it: numbers in JavaScript's layout,
/// object keys in the order JavaScript keeps them ([`write_js_object`]).
pub(crate) fn write_js_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::String(s) => write_str(out, s),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => write_js_decimal(out, Decimal::from(u)),
            (None, Some(i), _) => write_js_decimal(out, Decimal::from(i)),
            (None, None, Some(f)) => write_js_f64(out, f),
            (None, None, None) => out.extend_from_slice(n.to_string().as_bytes()),
        },
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_js_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => write_js_object(out, map.iter()),
    }
}

/// Appends an object's entries in the order a JavaScript object keeps its keys, which is the
/// order `JSON.stringify` writes them (ECMA-262, OrdinaryOwnPropertyKeys): array-index keys
/// (`"0"`, `"7"`, `"10"`: canonical integers below 2^32 − 1) first, in ascending numeric order,
/// then every other key in the order given.
pub(crate) fn write_js_object<'a>(
    out: &mut Vec<u8>,
    entries: impl Iterator<Item = (&'a String, &'a Value)> + Clone,
) {
    let mut indices: Vec<(u32, &String, &Value)> = entries
        .clone()
        .filter_map(|(key, value)| array_index(key).map(|index| (index, key, value)))
        .collect();
    indices.sort_by_key(|(index, _, _)| *index);
    let rest = entries.filter(|(key, _)| array_index(key).is_none());
    out.push(b'{');
    let ordered = indices.into_iter().map(|(_, k, v)| (k, v)).chain(rest);
    for (i, (key, value)) in ordered.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        write_js_value(out, value);
    }
    out.push(b'}');
}

/// The array index a key names, as JavaScript reads it: a canonical integer (no sign, no
/// leading zero but for `"0"` itself) below 2^32 − 1.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || (key.len() > 1 && key.starts_with('0')) {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|index| *index < u32::MAX)
}

/// The most significant digits a decimal may have and always survive a double: any decimal of
/// at most 15 significant digits is read by `JSON.parse` as the double nearest it, which
/// `JSON.stringify` writes back as those same digits (C's `DBL_DIG`).
const JS_SAFE_DIGITS: usize = 15;

/// The largest integer every double below it holds exactly (2^53).
const JS_SAFE_INTEGER: u64 = 1 << 53;

/// Whether `value` survives `JSON.parse` then `JSON.stringify` unchanged: at most 15
/// significant digits, or an integer of at most 2^53. This is the safe side of the exact
/// rule: some 16- and 17-digit values survive too, but which ones depends on how JavaScript
/// breaks ties between shortest forms, so they are refused with the rest. False for an
/// 18-decimal token amount or an integer above 2^53: a JavaScript server would read another
/// number.
pub(crate) fn js_number_exact(value: Decimal) -> bool {
    let value = value.normalize();
    if value.scale() == 0 && value.mantissa().unsigned_abs() <= u128::from(JS_SAFE_INTEGER) {
        return true;
    }
    let mut buffer = [0u8; 40];
    let digits = decimal_digits(value.mantissa().unsigned_abs(), &mut buffer);
    let significant = digits.len() - digits.iter().rev().take_while(|&&d| d == b'0').count();
    significant <= JS_SAFE_DIGITS
}

/// The first number inside `value` that might not survive `JSON.parse` then
/// `JSON.stringify` unchanged, as text: an integer above 2^53, or a double whose shortest
/// form has more than 15 digits.
pub(crate) fn inexact_number(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => {
            let safe = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => u <= JS_SAFE_INTEGER,
                (None, Some(i), _) => i.unsigned_abs() <= JS_SAFE_INTEGER,
                (None, None, Some(f)) => {
                    let shortest = format!("{:e}", f.abs());
                    let mantissa = shortest.split('e').next().unwrap_or_default();
                    mantissa.bytes().filter(u8::is_ascii_digit).count() <= JS_SAFE_DIGITS
                }
                _ => false,
            };
            (!safe).then(|| n.to_string())
        }
        Value::Array(items) => items.iter().find_map(inexact_number),
        Value::Object(map) => map.values().find_map(inexact_number),
        _ => None,
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
