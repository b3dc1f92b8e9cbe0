//! The JavaScript layout of numbers and strings, against values JavaScript itself printed.

#[test]
fn object_keys_come_out_in_javascripts_order() {
    let entries: Vec<(String, serde_json::Value)> =
        ["b", "10", "2", "a", "01", "-1", "4294967295", "4294967294"]
            .iter()
            .map(|key| ((*key).to_owned(), serde_json::Value::from(1)))
            .collect();
    let mut out = Vec::new();
    write_js_object(&mut out, entries.iter().map(|(k, v)| (k, v)));
    assert_eq!(
        String::from_utf8(out).unwrap(),
        r#"{"2":1,"10":1,"4294967294":1,"b":1,"a":1,"01":1,"-1":1,"4294967295":1}"#
    );
}

#[test]
fn only_numbers_a_javascript_number_keeps_are_safe() {
    for (text, exact) in [
        ("15", true),
        ("100.50", true),
        ("0.000000123456789012345", true),
        ("123456789012345", true),
        ("1234567890123456", true),
        ("123456789012345.6", false),
        ("9007199254740992", true),
        ("9007199254740993", false),
        ("0.123456789012345678", false),
    ] {
        let value: Decimal = text.parse().unwrap();
        assert_eq!(js_number_exact(value), exact, "{text}");
    }
    assert_eq!(
        inexact_number(&serde_json::json!(9007199254740993u64)),
        Some("9007199254740993".into())
    );
    assert_eq!(inexact_number(&serde_json::json!({"a": [0.1, -5]})), None);
    assert_eq!(
        inexact_number(&serde_json::json!([0.30000000000000004])),
        Some("0.30000000000000004".into())
    );
}

use super::*;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn js_number(value: Decimal) -> String {
    let mut out = Vec::new();
    write_js_decimal(&mut out, value);
    String::from_utf8(out).unwrap()
}

fn js_f64(value: f64) -> String {
    let mut out = Vec::new();
    write_js_f64(&mut out, value);
    String::from_utf8(out).unwrap()
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
    let mut text = Vec::new();
    write_js_value(&mut text, &value);
    assert_eq!(
        String::from_utf8(text).unwrap(),
        r#"{"a":[1,2.5,-3,null,true,"x\u0001\""],"b":1e-7}"#
    );
}

#[test]
fn the_largest_mantissas_keep_every_digit() {
    // Above 1e21: exponent notation, as JavaScript writes 7.9e28, every digit kept.
    assert_eq!(
        js_number(Decimal::MAX),
        "7.9228162514264337593543950335e+28"
    );
    assert_eq!(
        js_number(Decimal::MIN),
        "-7.9228162514264337593543950335e+28"
    );
    assert_eq!(
        js_number(Decimal::from_i128_with_scale(
            79228162514264337593543950335,
            28
        )),
        "7.9228162514264337593543950335"
    );
    assert_eq!(js_number(Decimal::new(1, 28)), "1e-28");
}

proptest::proptest! {
    /// Strings are escaped byte for byte as serde_json escapes them, which is how
    /// `JSON.stringify` escapes valid Unicode.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(text in "\\PC*|[\u{0}-\u{7f}]*") {
        let mut out = Vec::new();
        write_str(&mut out, &text);
        proptest::prop_assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(&text).unwrap()
        );
    }
}
