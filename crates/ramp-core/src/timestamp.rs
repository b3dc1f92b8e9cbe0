//! Provider times as `time::OffsetDateTime` (feature `timestamp`).
//!
//! Providers write times as RFC 3339 text (`2024-10-15T14:29:11.104Z`) or as numbers since
//! the epoch. [`option`] reads either into `Option<OffsetDateTime>` (`null` or absent is
//! `None`) and writes RFC 3339; anything else is a decoding error naming the field, never a
//! silent `None`.
//!
//! ```
//! use time::OffsetDateTime;
//!
//! #[derive(serde::Deserialize)]
//! struct Order {
//!     #[serde(default, with = "ramp_core::timestamp::option")]
//!     created_at: Option<OffsetDateTime>,
//! }
//!
//! let text: Order = serde_json::from_str(r#"{"created_at": "2024-10-15T14:29:11.104Z"}"#).unwrap();
//! let millis: Order = serde_json::from_str(r#"{"created_at": 1729002551104}"#).unwrap();
//! assert_eq!(text.created_at, millis.created_at);
//! assert!(serde_json::from_str::<Order>(r#"{"created_at": "yesterday"}"#).is_err());
//! ```

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Numbers below this are seconds since the epoch (up to the year 5138)...
const MILLIS_FROM: i64 = 100_000_000_000;
/// ...and from it up to this, milliseconds (1973 to 2286). Larger numbers, and negative ones,
/// are no provider's time: refused, never guessed.
const MILLIS_UNTIL: i64 = 10_000_000_000_000;

/// `text` as a time: RFC 3339 (also with a space for the `T`), an ISO 8601 date and time
/// without an offset (read as UTC), or an integer number of seconds or milliseconds.
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(time) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(time);
    }
    if text.len() > 10 && text.as_bytes()[10] == b' ' {
        let with_t = format!("{}T{}", &text[..10], &text[11..]);
        if let Ok(time) = OffsetDateTime::parse(&with_t, &Rfc3339) {
            return Some(time);
        }
    }
    let iso = time::format_description::well_known::Iso8601::DEFAULT;
    if let Ok(time) = time::PrimitiveDateTime::parse(&text.replacen(' ', "T", 1), &iso) {
        return Some(time.assume_utc());
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok().and_then(from_number);
    }
    None
}

/// Seconds since the epoch below 10^11, milliseconds from 10^11 to 10^13; `None` for a
/// negative or larger number.
pub fn from_number(number: i64) -> Option<OffsetDateTime> {
    match number {
        0..MILLIS_FROM => OffsetDateTime::from_unix_timestamp(number).ok(),
        MILLIS_FROM..MILLIS_UNTIL => {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(number) * 1_000_000).ok()
        }
        _ => None,
    }
}

/// `#[serde(default, with = "ramp_core::timestamp::option")]` for an `Option<OffsetDateTime>`.
pub mod option {
    use std::fmt;

    use serde::de::{self, Deserializer, Visitor};
    use serde::ser::Serializer;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    /// Writes RFC 3339 text, or `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(time) => {
                let text = time.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
                serializer.serialize_str(&text)
            }
            None => serializer.serialize_none(),
        }
    }

    /// Reads RFC 3339 text, a number of seconds or milliseconds, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        deserializer.deserialize_any(TimeVisitor)
    }

    struct TimeVisitor;

    impl<'de> Visitor<'de> for TimeVisitor {
        type Value = Option<OffsetDateTime>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an RFC 3339 time, or seconds or milliseconds since the epoch")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            super::parse(text)
                .map(Some)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
        }

        fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
            super::from_number(number)
                .map(Some)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(number), &self))
        }

        fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
            i64::try_from(number)
                .ok()
                .and_then(super::from_number)
                .map(Some)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(number), &self))
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_seconds_and_milliseconds_are_the_same_instant() {
        let text = parse("2024-10-15T14:29:11Z").unwrap();
        assert_eq!(parse("1729002551"), Some(text));
        assert_eq!(from_number(1_729_002_551_000), Some(text));
        assert_eq!(parse(" 2024-10-15T16:29:11+02:00 "), Some(text));
        assert_eq!(parse("2024-10-15 14:29:11Z"), Some(text));
        assert_eq!(parse("2024-10-15T14:29:11"), Some(text));
        assert_eq!(parse("2024-10-15 14:29:11.000"), Some(text));
        for bad in [
            "",
            "yesterday",
            "2024-10-15",
            "1e9",
            "-1",
            "+1729002551",
            "20241015143000",
            "-9223372036854775808",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        for number in [i64::MIN, -1, MILLIS_UNTIL, i64::MAX] {
            assert_eq!(from_number(number), None, "{number}");
        }
    }
}
