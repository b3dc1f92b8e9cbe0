//! The pieces of the V2 canonical string: timestamps, nonces, the form-encoded query, the
//! body hash, and the eight lines themselves.

use crate::ErrorKind;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::Error;

/// Line 1 of every canonical string.
pub const VERSION: &str = "ONRAMPER-SIG-V2";

/// The prefix of a V2 signature value (`v2:<base64>`).
pub const SIGNATURE_PREFIX: &str = "v2:";

/// SHA-256 of the empty body, line 8 of a widget URL's canonical string and of a request
/// without a body.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// `2024-01-15T10:30:00.000Z`: UTC, milliseconds, `Z`, as Onramper's examples write it.
/// Below the millisecond the time is cut, not rounded.
pub fn format_timestamp(at: OffsetDateTime) -> Result<String, Error> {
    let utc = at.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&utc.year()) {
        return Err(ErrorKind::InvalidTimestamp {
            reason: "the year must have four digits",
        }
        .into());
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    ))
}

/// An ISO 8601 / RFC 3339 UTC timestamp ending in `Z`, with or without fractional seconds;
/// `None` for anything else.
///
/// ```
/// use ramp_onramper_sign::v2::{format_timestamp, parse_timestamp};
///
/// let at = parse_timestamp("2024-01-15T10:30:00Z").unwrap();
/// assert_eq!(format_timestamp(at)?, "2024-01-15T10:30:00.000Z");
/// assert!(parse_timestamp("2024-01-15T10:30:00+01:00").is_none());
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    // RFC 3339 lets a space stand for the `T`; ISO 8601, which Onramper names, does not.
    if !text.ends_with('Z') || text.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// A fresh UUID v4 from the operating system's randomness.
pub fn new_nonce() -> Result<Uuid, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| ErrorKind::Randomness {
        reason: err.to_string(),
    })?;
    Ok(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

/// Whether `nonce` is a UUID of version 4 and the RFC 4122 variant.
pub fn is_v4(nonce: &Uuid) -> bool {
    nonce.get_version_num() == 4 && nonce.get_variant() == uuid::Variant::RFC4122
}

/// A nonce as sent: a version 4 UUID in its lower-case hyphenated form, nothing else.
pub fn parse_nonce(text: &str) -> Option<Uuid> {
    let nonce = Uuid::try_parse(text).ok()?;
    let canonical = nonce.hyphenated().to_string();
    (canonical == text && is_v4(&nonce)).then_some(nonce)
}

/// The lower-case hyphenated form of a nonce.
pub fn format_nonce(nonce: &Uuid) -> String {
    nonce.hyphenated().to_string()
}

/// Characters whose encoding differs between the encoders Onramper's documentation names
/// (JavaScript's `URLSearchParams` leaves `*` and writes `%7E` for `~`; others do the
/// opposite), so a signature over them may or may not verify. Refused until Onramper says
/// which is meant.
pub const AMBIGUOUS: [char; 2] = ['~', '*'];

/// Refuses a signed key or value with a character of [`AMBIGUOUS`].
pub fn check_unambiguous(parameter: &str, text: &str) -> Result<(), Error> {
    match text.chars().find(|c| AMBIGUOUS.contains(c)) {
        Some(character) => Err(ErrorKind::AmbiguousEncoding {
            parameter: parameter.to_owned(),
            character,
        }
        .into()),
        None => Ok(()),
    }
}

/// Appends `key=value` form-encoded exactly as `URLSearchParams` writes it (the WHATWG
/// `application/x-www-form-urlencoded` serializer: space as `+`, `*-._` and alphanumerics
/// as they are, every other byte of the UTF-8 as `%XX`).
pub fn push_pair(out: &mut String, key: &str, value: &str) {
    out.extend(form_urlencoded::byte_serialize(key.as_bytes()));
    out.push('=');
    out.extend(form_urlencoded::byte_serialize(value.as_bytes()));
}

/// The canonical query: `pairs` sorted by key (UTF-16 code units, stable for repeated keys,
/// as `URLSearchParams.sort()` does), form-encoded, joined by `&`.
pub fn canonical_query(pairs: &mut [(&str, &str)]) -> String {
    pairs.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_pair(&mut out, key, value);
    }
    out
}

/// The eight lines, joined by `\n`, with no newline at the end.
pub struct Lines<'a> {
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a str,
    pub body_sha256: &'a str,
}

impl Lines<'_> {
    /// The canonical string these lines make.
    pub fn join(&self) -> String {
        [
            VERSION,
            self.timestamp,
            self.nonce,
            self.method,
            self.path,
            self.query,
            self.headers,
            self.body_sha256,
        ]
        .join("\n")
    }
}

/// The body's line 8: SHA-256 hex of nothing for an empty body, of the RFC 8785
/// canonical form for a JSON body, of the bytes as they are otherwise.
pub fn body_hash(body: &[u8], json: bool) -> Result<String, Error> {
    if body.is_empty() {
        return Ok(EMPTY_BODY_SHA256.to_owned());
    }
    if !json {
        return Ok(ramp_core::sha256_hex(body));
    }
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|err| ErrorKind::InvalidJsonBody {
            reason: err.to_string(),
        })?;
    let canonical =
        serde_json_canonicalizer::to_vec(&value).map_err(|err| ErrorKind::InvalidJsonBody {
            reason: err.to_string(),
        })?;
    Ok(ramp_core::sha256_hex(&canonical))
}

/// The RFC 8785 (JCS) canonical form of a JSON text: what a JSON body's hash is taken over.
///
/// ```
/// use ramp_onramper_sign::v2::canonical_json;
///
/// // RFC 8785 §3.2.2's example of numbers.
/// assert_eq!(
///     canonical_json(br#"[333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]"#)?,
///     "[333333333.3333333,1e+30,4.5,0.002,1e-27]"
/// );
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn canonical_json(json: &[u8]) -> Result<String, Error> {
    let value: serde_json::Value =
        serde_json::from_slice(json).map_err(|err| ErrorKind::InvalidJsonBody {
            reason: err.to_string(),
        })?;
    serde_json_canonicalizer::to_string(&value).map_err(|err| {
        ErrorKind::InvalidJsonBody {
            reason: err.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let at = OffsetDateTime::parse("2024-01-15T12:30:00.123456+02:00", &Rfc3339).unwrap();
        assert_eq!(format_timestamp(at).unwrap(), "2024-01-15T10:30:00.123Z");
        let whole = OffsetDateTime::parse("2024-01-15T10:30:00Z", &Rfc3339).unwrap();
        assert_eq!(format_timestamp(whole).unwrap(), "2024-01-15T10:30:00.000Z");
        assert!(parse_timestamp("2024-01-15T10:30:00.000Z").is_some());
        assert!(parse_timestamp("2024-01-15T10:30:00Z").is_some());
        for bad in [
            "2024-01-15T10:30:00.000+00:00",
            "2024-01-15 10:30:00Z",
            "",
            "yesterday",
        ] {
            assert!(parse_timestamp(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn nonces_are_lower_case_v4_uuids() {
        let nonce = new_nonce().unwrap();
        let text = format_nonce(&nonce);
        assert_eq!(parse_nonce(&text), Some(nonce));
        assert_ne!(new_nonce().unwrap(), nonce);
        for bad in [
            "550E8400-E29B-41D4-A716-446655440000",
            "550e8400e29b41d4a716446655440000",
            "{550e8400-e29b-41d4-a716-446655440000}",
            "550e8400-e29b-11d4-a716-446655440000",
            "550e8400-e29b-41d4-c716-446655440000",
            "",
        ] {
            assert!(parse_nonce(bad).is_none(), "{bad}");
        }
        assert!(parse_nonce("550e8400-e29b-41d4-a716-446655440000").is_some());
    }

    #[test]
    fn the_query_is_encoded_as_url_search_params_does() {
        // The example in Onramper's documentation.
        let mut pairs = [
            ("wallets", "eth:0x1234"),
            ("defaultCrypto", "USDC ETH"),
            ("apiKey", "pk_test_example"),
        ];
        assert_eq!(
            canonical_query(&mut pairs),
            "apiKey=pk_test_example&defaultCrypto=USDC+ETH&wallets=eth%3A0x1234"
        );
        let mut pairs = [("k", ":,@+ -._*~é")];
        assert_eq!(canonical_query(&mut pairs), "k=%3A%2C%40%2B+-._*%7E%C3%A9");
    }

    #[test]
    fn the_empty_body_hashes_as_documented() {
        assert_eq!(body_hash(b"", true).unwrap(), EMPTY_BODY_SHA256);
        assert_eq!(
            body_hash(b"{}", true).unwrap(),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(
            body_hash(b"{ }", true).unwrap(),
            body_hash(b"{}", false).unwrap()
        );
        assert!(matches!(
            body_hash(b"{", true).map_err(|e| e.into_kind()),
            Err(ErrorKind::InvalidJsonBody { .. })
        ));
    }
}
