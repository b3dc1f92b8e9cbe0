//! The sign content: the sensitive parameters, decoded, sorted and joined.

use std::cmp::Ordering;

use crate::Error;

/// The parameters Onramper's V1 signature covers, in the order JavaScript's `.sort()` puts
/// them (byte order: `n` < `w`, `walletA…` < `walletM…` < `wallets`).
///
/// The widget signs `wallets`, `networkWallets` and `walletAddressTags`, whose values are
/// `id:value` lists; the Checkout API also signs `walletAddress` and `walletMemo`, single
/// values, and `walletAddresses`, an `id:value` list (docs.onramper.com, "API - Sign
/// requests"). Whichever of them are present are signed.
///
/// ```
/// let mut sorted = ["wallets", "networkWallets", "walletAddressTags", "walletAddress", "walletMemo", "walletAddresses"];
/// sorted.sort();
/// assert_eq!(sorted, ramp_onramper_sign::SIGNED_PARAMETERS);
/// ```
pub const SIGNED_PARAMETERS: [&str; 6] = [
    "networkWallets",
    "walletAddress",
    "walletAddressTags",
    "walletAddresses",
    "walletMemo",
    "wallets",
];

/// The signed parameters whose value is a single value, not an `id:value` list.
const SINGLE_VALUED: [&str; 2] = ["walletAddress", "walletMemo"];

/// The longest URL, query or sign content accepted, in bytes: 2 MiB, Chrome's limit on a URL
/// (no browser opens a longer widget URL). Anything longer is [`Error::TooLong`], refused
/// before it is parsed; below it, parsing and signing take time linear in the input (sorting
/// the pairs, `n log n`).
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

/// Refuses an input over [`MAX_INPUT_BYTES`].
pub(crate) fn check_length(input: &str) -> Result<(), Error> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(Error::TooLong {
            length: input.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}

/// The parameter that carries the signature.
///
/// ```
/// use ramp_onramper_sign::{sign_url, SecretString, SIGNATURE_PARAMETER};
///
/// let signed = sign_url("wallets=btc:1A", &SecretString::from("secret"))?;
/// assert!(signed.contains(&format!("&{SIGNATURE_PARAMETER}=")));
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub const SIGNATURE_PARAMETER: &str = "signature";

/// The query part of a full URL, of `?query`, or of a bare query / sign content; without the
/// fragment.
pub(crate) fn query_of(input: &str) -> &str {
    let without_fragment = input.split_once('#').map_or(input, |(before, _)| before);
    match without_fragment.split_once('?') {
        Some((_, query)) => query,
        None if without_fragment.contains("://") => "",
        None => without_fragment,
    }
}

/// `key=value` parts of a query, raw (still percent-encoded); empty parts skipped.
pub(crate) fn raw_params(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| part.split_once('=').unwrap_or((part, "")))
}

/// Percent-decodes one query component as `application/x-www-form-urlencoded` does (and
/// as JavaScript's `URLSearchParams` does): `+` is a space, `%XY` a byte.
///
/// The `+` rule is the one place this crate decides how a literal `+` reads; Onramper does
/// not document it, and no wallet address or id contains `+` or a space. The builder never
/// writes a literal `+`.
pub(crate) fn decode(raw: &str, parameter: &str) -> Result<String, Error> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| hex_value(*b));
                let lo = bytes.get(i + 2).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => {
                        return Err(Error::InvalidPercentEncoding {
                            parameter: parameter.to_owned(),
                        });
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| Error::NotUtf8 {
        parameter: parameter.to_owned(),
    })
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `(id, value)` pairs in the order given.
pub(crate) type Pairs = Vec<(String, String)>;

/// One signed parameter, parsed.
pub(crate) enum Signed {
    /// An `id:value` list, ids lower-cased.
    Pairs(Pairs),
    /// A single value (`walletAddress`, `walletMemo`).
    Single(String),
}

/// The signed parameters of a query, decoded and parsed, in [`SIGNED_PARAMETERS`] order
/// (`None` where absent). Other parameters are ignored, whatever they contain.
pub(crate) fn parse(query: &str) -> Result<[Option<Signed>; 6], Error> {
    let mut found: [Option<Signed>; 6] = Default::default();
    for (raw_key, raw_value) in raw_params(query) {
        // Only a key that could decode to a sensitive name needs decoding; others are not
        // signed, so their encoding is the widget's business, not the signature's.
        let Ok(key) = decode(raw_key, raw_key) else {
            continue;
        };
        let Some(slot) = SIGNED_PARAMETERS.iter().position(|p| *p == key) else {
            continue;
        };
        let parameter = SIGNED_PARAMETERS[slot];
        if found[slot].is_some() {
            return Err(Error::DuplicateParameter {
                parameter: parameter.to_owned(),
            });
        }
        let value = decode(raw_value, parameter)?;
        found[slot] = Some(if SINGLE_VALUED.contains(&parameter) {
            Signed::Single(parse_single(parameter, value)?)
        } else {
            Signed::Pairs(parse_pairs(parameter, &value)?)
        });
    }
    if found.iter().all(Option::is_none) {
        return Err(Error::NothingToSign);
    }
    Ok(found)
}

/// A single value: not empty, and without `&` or `=`, which would make the sign content
/// ambiguous.
fn parse_single(parameter: &str, value: String) -> Result<String, Error> {
    if value.is_empty() {
        return Err(Error::EmptyParameter {
            parameter: parameter.to_owned(),
        });
    }
    if value.contains(['&', '=']) {
        return Err(Error::Unsignable {
            parameter: parameter.to_owned(),
            id: parameter.to_owned(),
            what: "contains '&' or '='",
        });
    }
    Ok(value)
}

/// `id:value,id:value`, split on the first `:` of each entry only, so a value such as
/// `bitcoincash:qq…` stays whole. Ids are lower-cased (Onramper's ids are lower-case; `BTC`
/// is signed as `btc`, as other public implementations do), and an id that is then repeated
/// is refused.
fn parse_pairs(parameter: &str, value: &str) -> Result<Pairs, Error> {
    if value.is_empty() {
        return Err(Error::EmptyParameter {
            parameter: parameter.to_owned(),
        });
    }
    let mut pairs: Pairs = Vec::new();
    // Ids seen so far: a hash set keeps the duplicate check linear (a scan of `pairs` per
    // entry made 80 000 pairs take 25 s).
    let mut seen = std::collections::HashSet::new();
    for (index, entry) in value.split(',').enumerate() {
        let position = index + 1;
        let p = || parameter.to_owned();
        if entry.is_empty() {
            return Err(Error::EmptyPair {
                parameter: p(),
                position,
            });
        }
        let Some((id, addr)) = entry.split_once(':') else {
            return Err(Error::MissingColon {
                parameter: p(),
                position,
            });
        };
        if id.is_empty() {
            return Err(Error::EmptyId {
                parameter: p(),
                position,
            });
        }
        let unsignable = |what| Error::Unsignable {
            parameter: p(),
            id: id.to_owned(),
            what,
        };
        if id == "__proto__" {
            return Err(unsignable("uses the reserved id __proto__"));
        }
        if addr.is_empty() {
            return Err(Error::EmptyValue {
                parameter: p(),
                id: id.to_owned(),
            });
        }
        if entry.contains('&') {
            return Err(unsignable("contains '&'"));
        }
        if entry.contains('=') {
            return Err(unsignable("contains '='"));
        }
        let id = id.to_lowercase();
        if !seen.insert(id.clone()) {
            return Err(Error::DuplicateId { parameter: p(), id });
        }
        pairs.push((id, addr.to_owned()));
    }
    Ok(pairs)
}

/// Orders `pairs` exactly as the seed's JavaScript does: `Object.entries(o).sort()` compares
/// each `[id, value]` as the string `"id,value"` in UTF-16 code units; the sorted entries then
/// go back into an object, whose own keys iterate with integer-like ids (`"0"`, `"137"`) first
/// in numeric order, then the others in the sorted order.
pub(crate) fn js_order(pairs: &mut Pairs) {
    pairs.sort_by(|(a_id, a_val), (b_id, b_val)| {
        let a = a_id
            .encode_utf16()
            .chain(",".encode_utf16())
            .chain(a_val.encode_utf16());
        let b = b_id
            .encode_utf16()
            .chain(",".encode_utf16())
            .chain(b_val.encode_utf16());
        a.cmp(b)
    });
    // Stable: the non-integer ids keep their sorted order.
    pairs.sort_by(|(a, _), (b, _)| match (array_index(a), array_index(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
}

/// JavaScript's "array index": a canonical decimal integer below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    if key.len() > 1 && key.starts_with('0') {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|n| *n != u32::MAX)
}

/// The signed parameter a raw key names, if any.
pub(crate) fn signed_parameter(raw_key: &str) -> Option<&'static str> {
    let key = decode(raw_key, raw_key).ok()?;
    SIGNED_PARAMETERS.iter().find(|p| **p == key).copied()
}

/// Joins parsed parameters into the sign content.
pub(crate) fn join(params: [Option<Signed>; 6]) -> String {
    let mut out = String::new();
    for (name, signed) in SIGNED_PARAMETERS.iter().zip(params) {
        let Some(signed) = signed else { continue };
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        match signed {
            Signed::Single(value) => out.push_str(&value),
            Signed::Pairs(mut pairs) => {
                js_order(&mut pairs);
                for (i, (id, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(id);
                    out.push(':');
                    out.push_str(value);
                }
            }
        }
    }
    out
}

/// Everything but RFC 3986's unreserved characters is percent-encoded, so no value can be
/// read back as a separator (`&`, `=`, `,`, `:`, `+`, `#`).
pub(crate) const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `text` percent-encoded with [`COMPONENT`].
pub(crate) fn encode(text: &str) -> impl std::fmt::Display + '_ {
    percent_encoding::utf8_percent_encode(text, COMPONENT)
}

/// The raw value of an `id:value` list parameter with its ids lower-cased, re-encoded; `None`
/// when no id has an upper-case letter (the raw value is then kept byte for byte).
pub(crate) fn lowercased_raw(parameter: &str, raw_value: &str) -> Result<Option<String>, Error> {
    if SINGLE_VALUED.contains(&parameter) {
        return Ok(None);
    }
    let value = decode(raw_value, parameter)?;
    let has_upper = value.split(',').any(|entry| {
        entry
            .split_once(':')
            .is_some_and(|(id, _)| id.chars().any(char::is_uppercase))
    });
    if !has_upper {
        return Ok(None);
    }
    let pairs = parse_pairs(parameter, &value)?;
    let mut out = String::new();
    for (i, (id, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("{}:{}", encode(id), encode(value)));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(ids: &[(&str, &str)]) -> Vec<String> {
        let mut pairs: Pairs = ids
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        js_order(&mut pairs);
        pairs.into_iter().map(|(id, _)| id).collect()
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
                matches!(decode(bad, "p"), Err(Error::InvalidPercentEncoding { .. })),
                "{bad}"
            );
        }
        assert!(matches!(decode("%ff", "p"), Err(Error::NotUtf8 { .. })));
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
}
