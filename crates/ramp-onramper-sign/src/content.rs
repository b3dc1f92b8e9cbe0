//! The sign content: the sensitive parameters, decoded, sorted and joined.

use std::borrow::Cow;
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
/// as JavaScript's `URLSearchParams` does): `+` is a space, `%XY` a byte. A component with
/// neither is returned as it is, unallocated.
///
/// The `+` rule is the one place this crate decides how a literal `+` reads; Onramper does
/// not document it, and no wallet address or id contains `+` or a space. The builder never
/// writes a literal `+`.
pub(crate) fn decode<'a>(raw: &'a str, parameter: &str) -> Result<Cow<'a, str>, Error> {
    let bytes = raw.as_bytes();
    if !bytes.iter().any(|&b| b == b'%' || b == b'+') {
        return Ok(Cow::Borrowed(raw));
    }
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
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| Error::NotUtf8 {
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

/// What a raw (still encoded) query key names once decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// The signed parameter at this index of [`SIGNED_PARAMETERS`].
    Signed(usize),
    /// The signature parameter.
    Signature,
    /// Anything else, including a key that does not decode: it is not signed, so its
    /// encoding is the widget's business, not the signature's.
    Other,
}

/// What `raw_key` names.
pub(crate) fn key(raw_key: &str) -> Key {
    let Ok(key) = decode(raw_key, raw_key) else {
        return Key::Other;
    };
    if key == SIGNATURE_PARAMETER {
        return Key::Signature;
    }
    match SIGNED_PARAMETERS.iter().position(|p| *p == key) {
        Some(slot) => Key::Signed(slot),
        None => Key::Other,
    }
}

/// Whether the signed parameter at `slot` is a single value, not an `id:value` list.
pub(crate) fn is_single_valued(slot: usize) -> bool {
    SINGLE_VALUED.contains(&SIGNED_PARAMETERS[slot])
}

/// One `id:value` entry of a list parameter: byte offsets into the parameter's text (the
/// id is `id_start..id_end`, the value `id_end + 1..end`), its 1-based position in the
/// input, and the id as a JavaScript array index, if it is one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    id_start: usize,
    id_end: usize,
    end: usize,
    position: usize,
    index: Option<u32>,
}

impl Entry {
    fn id<'t>(&self, text: &'t str) -> &'t str {
        &text[self.id_start..self.id_end]
    }

    fn value<'t>(&self, text: &'t str) -> &'t str {
        &text[self.id_end + 1..self.end]
    }
}

/// One signed parameter, parsed. The text is borrowed from the query when it needed no
/// decoding and no id was lower-cased.
pub(crate) enum Signed<'q> {
    /// An `id:value` list: its text with ids lower-cased, and its entries in sign-content
    /// order (see [`js_cmp`]).
    Pairs {
        /// The decoded value, ids lower-cased.
        text: Cow<'q, str>,
        /// The entries, sorted.
        entries: Vec<Entry>,
    },
    /// A single value (`walletAddress`, `walletMemo`).
    Single(Cow<'q, str>),
}

/// The `id:value` entries of a list in the order they were given, ids lower-cased and each
/// part percent-encoded with [`COMPONENT`]: the raw value of a list whose ids had to be
/// lower-cased, written back into a URL.
pub(crate) fn write_encoded(text: &str, entries: &[Entry], out: &mut String) {
    let mut given: Vec<&Entry> = entries.iter().collect();
    given.sort_unstable_by_key(|entry| entry.position);
    for (i, entry) in given.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.extend(encode(entry.id(text)));
        out.push(':');
        out.extend(encode(entry.value(text)));
    }
}

/// The parameters found, by slot of [`SIGNED_PARAMETERS`].
pub(crate) type Found<'q> = [Option<Signed<'q>>; 6];

/// The signed parameters of a query, decoded and parsed, in [`SIGNED_PARAMETERS`] order
/// (`None` where absent). Other parameters are ignored, whatever they contain.
pub(crate) fn parse(query: &str) -> Result<Found<'_>, Error> {
    parse_all(
        raw_params(query).filter_map(|(raw_key, raw_value)| match key(raw_key) {
            Key::Signed(slot) => Some((slot, Raw::Encoded(raw_value))),
            _ => None,
        }),
    )
}

/// A signed parameter's value on its way to being parsed.
pub(crate) enum Raw<'q> {
    /// As it is in the query, still percent-encoded.
    Encoded(&'q str),
    /// Already decoded.
    Decoded(Cow<'q, str>),
    /// Already parsed.
    Parsed(Signed<'q>),
}

/// Parses the signed parameters found in a query, in the order they appear: a parameter
/// given twice is [`Error::DuplicateParameter`], then its value is decoded and parsed; the
/// first error wins. None at all is [`Error::NothingToSign`].
pub(crate) fn parse_all<'q>(
    params: impl IntoIterator<Item = (usize, Raw<'q>)>,
) -> Result<Found<'q>, Error> {
    let mut found: Found<'q> = Default::default();
    for (slot, raw) in params {
        let parameter = SIGNED_PARAMETERS[slot];
        if found[slot].is_some() {
            return Err(Error::DuplicateParameter {
                parameter: parameter.to_owned(),
            });
        }
        found[slot] = Some(match raw {
            Raw::Encoded(raw) => parse_value(slot, decode(raw, parameter)?)?,
            Raw::Decoded(value) => parse_value(slot, value)?,
            Raw::Parsed(signed) => signed,
        });
    }
    if found.iter().all(Option::is_none) {
        return Err(Error::NothingToSign);
    }
    Ok(found)
}

/// The decoded value of the signed parameter at `slot`, parsed.
pub(crate) fn parse_value(slot: usize, value: Cow<'_, str>) -> Result<Signed<'_>, Error> {
    let parameter = SIGNED_PARAMETERS[slot];
    if is_single_valued(slot) {
        parse_single(parameter, value).map(Signed::Single)
    } else {
        parse_pairs(parameter, value)
    }
}

/// A single value: not empty, and without `&` or `=`, which would make the sign content
/// ambiguous.
fn parse_single<'q>(parameter: &str, value: Cow<'q, str>) -> Result<Cow<'q, str>, Error> {
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

/// The id JavaScript's objects cannot hold as a plain key.
const RESERVED_ID: &str = "__proto__";

/// Where the colon of one `id:value` entry is, or why the entry cannot be signed.
fn check_entry(parameter: &str, entry: &str, position: usize) -> Result<usize, Error> {
    let p = || parameter.to_owned();
    if entry.is_empty() {
        return Err(Error::EmptyPair {
            parameter: p(),
            position,
        });
    }
    let Some(colon) = entry.find(':') else {
        return Err(Error::MissingColon {
            parameter: p(),
            position,
        });
    };
    let (id, value) = (&entry[..colon], &entry[colon + 1..]);
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
    // Ids are lower-cased before signing (`__pRoto__` signs as `__proto__`), so the reserved
    // id is refused in any case. No non-ASCII character lower-cases into these ASCII letters,
    // so an ASCII comparison of the same length is exact.
    if id.len() == RESERVED_ID.len() && id.eq_ignore_ascii_case(RESERVED_ID) {
        return Err(unsignable("uses the reserved id __proto__"));
    }
    if value.is_empty() {
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
    Ok(colon)
}

/// Whether lower-casing `id` changes it.
fn needs_lowercase(id: &str) -> bool {
    if id.is_ascii() {
        id.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        id.chars().any(|c| c.to_lowercase().ne(std::iter::once(c)))
    }
}

/// `id:value,id:value`, split on the first `:` of each entry only, so a value such as
/// `bitcoincash:qq…` stays whole. Ids are lower-cased (Onramper's ids are lower-case; `BTC`
/// is signed as `btc`, as other public implementations do), and an id that is then repeated
/// is refused.
///
/// Entries are checked in the order given and the first problem is reported: an entry that
/// cannot be signed, or an id that repeats one before it, whichever comes first. Repeats are
/// found by sorting (equal ids end up side by side), so the whole check is `n log n` and
/// allocates nothing per entry.
pub(crate) fn parse_pairs<'q>(parameter: &str, value: Cow<'q, str>) -> Result<Signed<'q>, Error> {
    if value.is_empty() {
        return Err(Error::EmptyParameter {
            parameter: parameter.to_owned(),
        });
    }
    let mut entries = Vec::new();
    let mut failure = None;
    let mut lower = false;
    let mut start = 0;
    for (index, entry) in value.split(',').enumerate() {
        let position = index + 1;
        match check_entry(parameter, entry, position) {
            Ok(colon) => {
                lower = lower || needs_lowercase(&entry[..colon]);
                entries.push(Entry {
                    id_start: start,
                    id_end: start + colon,
                    end: start + entry.len(),
                    position,
                    index: None,
                });
            }
            Err(err) => {
                failure = Some(err);
                break;
            }
        }
        start += entry.len() + 1;
    }
    let text = if lower {
        Cow::Owned(lowercase_ids(&value, &mut entries))
    } else {
        value
    };
    for entry in &mut entries {
        entry.index = array_index(entry.id(&text));
    }
    entries.sort_unstable_by(|a, b| js_cmp(&text, a, b).then(a.position.cmp(&b.position)));
    // In each run of equal ids the second is a repeat; the earliest repeat is reported.
    let repeat = entries
        .windows(2)
        .filter(|w| w[0].id(&text) == w[1].id(&text))
        .map(|w| w[1])
        .min_by_key(|entry| entry.position);
    if let Some(repeat) = repeat {
        return Err(Error::DuplicateId {
            parameter: parameter.to_owned(),
            id: repeat.id(&text).to_owned(),
        });
    }
    if let Some(failure) = failure {
        return Err(failure);
    }
    Ok(Signed::Pairs { text, entries })
}

/// `value` again with every entry's id lower-cased; `entries` point into the new text.
fn lowercase_ids(value: &str, entries: &mut [Entry]) -> String {
    let mut out = String::with_capacity(value.len());
    for entry in entries {
        if !out.is_empty() {
            out.push(',');
        }
        let id_start = out.len();
        out.push_str(&entry.id(value).to_lowercase());
        let id_end = out.len();
        out.push(':');
        out.push_str(entry.value(value));
        *entry = Entry {
            id_start,
            id_end,
            end: out.len(),
            ..*entry
        };
    }
    out
}

/// Orders two entries exactly as the seed's JavaScript does: `Object.entries(o).sort()`
/// compares each `[id, value]` as the string `"id,value"` in UTF-16 code units; the sorted
/// entries then go back into an object, whose own keys iterate with integer-like ids (`"0"`,
/// `"137"`) first in numeric order, then the others in the sorted order.
///
/// Ids hold no `,` and are distinct, so two `"id,value"` strings always differ within
/// `"id,"`: the values never decide, and comparing `"id,"` is enough.
fn js_cmp(text: &str, a: &Entry, b: &Entry) -> Ordering {
    match (a.index, b.index) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => utf16_cmp_with_comma(a.id(text), b.id(text)),
    }
}

/// `"a,"` against `"b,"` in UTF-16 code units, without re-encoding: UTF-8 byte order is
/// code point order, which is UTF-16 order except that the characters U+E000 to U+FFFF
/// come after the supplementary planes (whose surrogates, U+D800 to U+DFFF, are below
/// them); only where the first differing bytes both belong to non-ASCII characters do the
/// characters need decoding.
fn utf16_cmp_with_comma(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).position(|(p, q)| p != q) {
        Some(i) if x[i] < 0x80 || y[i] < 0x80 => x[i].cmp(&y[i]),
        Some(i) => {
            // The prefixes are equal, so both strings have a character boundary here.
            let start = (0..=i).rev().find(|&j| a.is_char_boundary(j)).unwrap_or(0);
            utf16_rank(a[start..].chars().next()).cmp(&utf16_rank(b[start..].chars().next()))
        }
        None => match x.len().cmp(&y.len()) {
            Ordering::Equal => Ordering::Equal,
            Ordering::Less => utf16_rank(Some(',')).cmp(&utf16_rank(b[a.len()..].chars().next())),
            Ordering::Greater => {
                utf16_rank(a[b.len()..].chars().next()).cmp(&utf16_rank(Some(',')))
            }
        },
    }
}

/// A character's place in UTF-16 code unit order: its code point, with U+E000..=U+FFFF
/// moved above the supplementary planes.
fn utf16_rank(c: Option<char>) -> u32 {
    let c = c.map_or(0, u32::from);
    if (0xE000..=0xFFFF).contains(&c) {
        c + 0x11_0000
    } else {
        c
    }
}

/// JavaScript's "array index": a canonical decimal integer below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    let first = *key.as_bytes().first()?;
    if !first.is_ascii_digit() || (key.len() > 1 && first == b'0') || key.len() > 10 {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|n| *n != u32::MAX)
}

/// Joins parsed parameters into the sign content.
pub(crate) fn join(params: &Found<'_>) -> String {
    let capacity = params
        .iter()
        .flatten()
        .map(|signed| match signed {
            Signed::Single(value) => value.len() + 24,
            Signed::Pairs { text, .. } => text.len() + 24,
        })
        .sum();
    let mut out = String::with_capacity(capacity);
    for (name, signed) in SIGNED_PARAMETERS.iter().zip(params) {
        let Some(signed) = signed else { continue };
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        match signed {
            Signed::Single(value) => out.push_str(value),
            Signed::Pairs { text, entries } => {
                for (i, entry) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&text[entry.id_start..entry.end]);
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

/// `text` percent-encoded with [`COMPONENT`] (an iterator of `&str` pieces, and `Display`).
pub(crate) fn encode(text: &str) -> percent_encoding::PercentEncode<'_> {
    percent_encoding::utf8_percent_encode(text, COMPONENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of `id:value` pairs in sign-content order.
    fn ordered(ids: &[(&str, &str)]) -> Vec<String> {
        let value: Vec<String> = ids.iter().map(|(id, v)| format!("{id}:{v}")).collect();
        let Ok(Signed::Pairs { text, entries }) = parse_pairs("wallets", value.join(",").into())
        else {
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
            Error::DuplicateId {
                parameter: "wallets".into(),
                id: "b".into()
            }
        );
        assert_eq!(
            err("a:1,c,a:2"),
            Error::MissingColon {
                parameter: "wallets".into(),
                position: 2
            }
        );
        // Of two repeated ids, the one repeated first in the input.
        assert_eq!(
            err("z:1,a:1,a:2,z:2"),
            Error::DuplicateId {
                parameter: "wallets".into(),
                id: "a".into()
            }
        );
    }
}
