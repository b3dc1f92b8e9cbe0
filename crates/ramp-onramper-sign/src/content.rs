//! The sign content: the sensitive parameters, decoded, sorted and joined.

use crate::ErrorKind;
use std::borrow::Cow;

use crate::Error;

mod pairs;
use pairs::{parse_pairs, parse_single};

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
/// (no browser opens a longer widget URL). Anything longer is [`ErrorKind::TooLong`], refused
/// before it is parsed; below it, parsing and signing take time linear in the input (sorting
/// the pairs, `n log n`).
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

/// Refuses an input over [`MAX_INPUT_BYTES`].
pub(crate) fn check_length(input: &str) -> Result<(), Error> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(ErrorKind::TooLong {
            length: input.len(),
            limit: MAX_INPUT_BYTES,
        }
        .into());
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
                        return Err(ErrorKind::InvalidPercentEncoding {
                            parameter: parameter.to_owned(),
                        }
                        .into());
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map(Cow::Owned).map_err(|_| {
        ErrorKind::NotUtf8 {
            parameter: parameter.to_owned(),
        }
        .into()
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
/// given twice is [`ErrorKind::DuplicateParameter`], then its value is decoded and parsed; the
/// first error wins. None at all is [`ErrorKind::NothingToSign`].
pub(crate) fn parse_all<'q>(
    params: impl IntoIterator<Item = (usize, Raw<'q>)>,
) -> Result<Found<'q>, Error> {
    let mut found: Found<'q> = Default::default();
    for (slot, raw) in params {
        let parameter = SIGNED_PARAMETERS[slot];
        if found[slot].is_some() {
            return Err(ErrorKind::DuplicateParameter {
                parameter: parameter.to_owned(),
            }
            .into());
        }
        found[slot] = Some(match raw {
            Raw::Encoded(raw) => parse_value(slot, decode(raw, parameter)?)?,
            Raw::Decoded(value) => parse_value(slot, value)?,
            Raw::Parsed(signed) => signed,
        });
    }
    if found.iter().all(Option::is_none) {
        return Err(ErrorKind::NothingToSign.into());
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
mod tests;
