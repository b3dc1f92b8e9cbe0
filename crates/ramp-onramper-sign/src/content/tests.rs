//! The sign content's unit tests.

use super::pairs::utf16_cmp_with_comma;
use super::*;
use crate::ErrorKind;

/// The ids of `id:value` pairs in sign-content order.
fn ordered(ids: &[(&str, &str)]) -> Vec<String> {
    let value: Vec<String> = ids.iter().map(|(id, v)| format!("{id}:{v}")).collect();
    let Ok(Signed::Pairs { text, entries }) = parse_pairs("wallets", value.join(",").into()) else {
        panic!("{ids:?} do not parse");
    };
    entries.iter().map(|e| e.id(&text).to_owned()).collect()
}

#[test]
fn ids_sort_as_javascript_sorts_them() {
    assert_eq!(ordered(&[("eth", "x"), ("btc", "y")]), ["btc", "eth"]);
    // "a,…" against "a+b,…": ',' (0x2c) sorts after '+' (0x2b).
    assert_eq!(ordered(&[("a", "x"), ("a+b", "y")]), ["a+b", "a"]);
    // Integer-like keys come first, in numeric order; "01" is not integer-like.
    assert_eq!(
        ordered(&[
            ("10", "x"),
            ("btc", "x"),
            ("2", "x"),
            ("01", "x"),
            ("4294967295", "x")
        ]),
        ["2", "10", "01", "4294967295", "btc"]
    );
    // UTF-16 order, not UTF-8 byte order: U+FF5E sorts after U+1F600's lead surrogate
    // in UTF-8 but before it in UTF-16.
    assert_eq!(
        ordered(&[("\u{1F600}", "x"), ("\u{FF5E}", "x")]),
        ["\u{1F600}", "\u{FF5E}"]
    );
}

#[test]
fn decoding_is_strict_about_percent_escapes() {
    assert_eq!(decode("a%3Ab%3ac+d", "p").unwrap(), "a:b:c d");
    for bad in ["%", "%2", "%zz", "a%g1"] {
        assert!(
            matches!(
                decode(bad, "p").map_err(|e| e.into_kind()),
                Err(ErrorKind::InvalidPercentEncoding { .. })
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        decode("%ff", "p").map_err(|e| e.into_kind()),
        Err(ErrorKind::NotUtf8 { .. })
    ));
}

#[test]
fn the_query_is_found_in_every_accepted_form() {
    assert_eq!(
        query_of("https://buy.onramper.com/?a=1&b=2#frag"),
        "a=1&b=2"
    );
    assert_eq!(query_of("?a=1"), "a=1");
    assert_eq!(query_of("a=1"), "a=1");
    assert_eq!(query_of("https://buy.onramper.com/"), "");
}

proptest::proptest! {
    /// The comparison without re-encoding agrees with comparing the UTF-16 code units
    /// of `"a,"` and `"b,"`, for any ids (surrogate-pair and U+E000..U+FFFF characters
    /// included).
    #[test]
    fn ids_compare_as_their_utf16_code_units(
        a in "[^,]{0,6}",
        b in "[^,]{0,6}",
        common in "[^,]{0,3}",
    ) {
        for (a, b) in [(a.clone(), b.clone()), (format!("{common}{a}"), format!("{common}{b}"))] {
            let utf16 = |s: &str| format!("{s},").encode_utf16().collect::<Vec<u16>>();
            proptest::prop_assert_eq!(
                utf16_cmp_with_comma(&a, &b),
                utf16(&a).cmp(&utf16(&b)),
                "{:?} against {:?}", a, b
            );
        }
    }
}

#[test]
fn the_first_repeat_is_reported_before_a_later_bad_entry() {
    let err = |value: &str| match parse_pairs("wallets", value.into()) {
        Err(err) => err,
        Ok(_) => panic!("{value} parses"),
    };
    assert_eq!(
        err("b:1,a:2,B:3,c"),
        ErrorKind::DuplicateId {
            parameter: "wallets".into(),
            id: "b".into()
        }
    );
    assert_eq!(
        err("a:1,c,a:2"),
        ErrorKind::MissingColon {
            parameter: "wallets".into(),
            position: 2
        }
    );
    // Of two repeated ids, the one repeated first in the input.
    assert_eq!(
        err("z:1,a:1,a:2,z:2"),
        ErrorKind::DuplicateId {
            parameter: "wallets".into(),
            id: "a".into()
        }
    );
}
