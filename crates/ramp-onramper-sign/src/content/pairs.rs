//! The comma-separated `id:address` pairs of `wallets`, `networkWallets`,
//! `walletAddressTags` and `walletAddresses`: checked, ids lowercased, sorted as JavaScript
//! sorts them.

use crate::ErrorKind;
use std::borrow::Cow;
use std::cmp::Ordering;

use super::{Entry, Signed};
use crate::Error;

/// A single value: not empty, and without `&` or `=`, which would make the sign content
/// ambiguous.
pub(super) fn parse_single<'q>(
    parameter: &str,
    value: Cow<'q, str>,
) -> Result<Cow<'q, str>, Error> {
    if value.is_empty() {
        return Err(ErrorKind::EmptyParameter {
            parameter: parameter.to_owned(),
        }
        .into());
    }
    if value.contains(['&', '=']) {
        return Err(ErrorKind::Unsignable {
            parameter: parameter.to_owned(),
            id: parameter.to_owned(),
            what: "contains '&' or '='",
        }
        .into());
    }
    Ok(value)
}

/// The id JavaScript's objects cannot hold as a plain key.
const RESERVED_ID: &str = "__proto__";

/// Where the colon of one `id:value` entry is, or why the entry cannot be signed.
fn check_entry(parameter: &str, entry: &str, position: usize) -> Result<usize, Error> {
    let p = || parameter.to_owned();
    if entry.is_empty() {
        return Err(ErrorKind::EmptyPair {
            parameter: p(),
            position,
        }
        .into());
    }
    let Some(colon) = entry.find(':') else {
        return Err(ErrorKind::MissingColon {
            parameter: p(),
            position,
        }
        .into());
    };
    let (id, value) = (&entry[..colon], &entry[colon + 1..]);
    if id.is_empty() {
        return Err(ErrorKind::EmptyId {
            parameter: p(),
            position,
        }
        .into());
    }
    let unsignable = |what| -> Error {
        ErrorKind::Unsignable {
            parameter: p(),
            id: id.to_owned(),
            what,
        }
        .into()
    };
    // Ids are lower-cased before signing (`__pRoto__` signs as `__proto__`), so the reserved
    // id is refused in any case. No non-ASCII character lower-cases into these ASCII letters,
    // so an ASCII comparison of the same length is exact.
    if id.len() == RESERVED_ID.len() && id.eq_ignore_ascii_case(RESERVED_ID) {
        return Err(unsignable("uses the reserved id __proto__"));
    }
    if value.is_empty() {
        return Err(ErrorKind::EmptyValue {
            parameter: p(),
            id: id.to_owned(),
        }
        .into());
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
        return Err(ErrorKind::EmptyParameter {
            parameter: parameter.to_owned(),
        }
        .into());
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
        return Err(ErrorKind::DuplicateId {
            parameter: parameter.to_owned(),
            id: repeat.id(&text).to_owned(),
        }
        .into());
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
pub(super) fn utf16_cmp_with_comma(a: &str, b: &str) -> Ordering {
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
