//! Metadata: the reserved keys, numbers a JavaScript number keeps, and the document order
//! of metadata read from JSON.

use std::collections::HashMap;
use std::fmt;

use serde::Deserializer;
use serde::de::{MapAccess, Visitor};
use serde_json::Value;

use super::request::EXTERNAL_PARTNER_ID;
use crate::Error;

/// `_` starts a reserved key; the only one allowed is `_externalPartnerId`, a string. A
/// number a JavaScript number does not hold exactly is refused (send it as a string).
pub(super) fn check_metadata(metadata: &[(String, Value)]) -> Result<(), Error> {
    for (key, value) in metadata {
        if let Some(number) = crate::json::inexact_number(value) {
            return Err(Error::validation(
                "metadata",
                format!(
                    "`{key}` holds {number}, which a JavaScript number does not hold exactly \
                     (Kryptonim would read another number); send it as a string"
                ),
            ));
        }
        if key == EXTERNAL_PARTNER_ID {
            if !value.is_string() {
                return Err(Error::validation(
                    "metadata",
                    format!("`{EXTERNAL_PARTNER_ID}` must be a string, not {value}"),
                ));
            }
        } else if key.starts_with('_') {
            return Err(Error::validation(
                "metadata",
                format!(
                    "key `{key}` starts with `_`, which is reserved; the only reserved key \
                     allowed is `{EXTERNAL_PARTNER_ID}`"
                ),
            ));
        }
    }
    Ok(())
}

/// Up to how many metadata keys a repeated key is found by scanning.
const SCANNED_KEYS: usize = 16;

/// A JSON object kept in document order (serde_json's own map is sorted), so a request read
/// from JSON is sent with its metadata in the same order. A repeated key keeps its first
/// position and its last value, as `JSON.parse` does.
pub(super) fn ordered_metadata<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<(String, Value)>>, D::Error> {
    struct Ordered;

    impl<'de> Visitor<'de> for Ordered {
        type Value = Vec<(String, Value)>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object of metadata")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries: Vec<(String, Value)> = Vec::new();
            // Where each key sits in `entries`, once there are more than a few: a lookup per
            // key keeps untrusted JSON with many keys linear (a scan of `entries` per key would
            // be quadratic), and a short scan is cheaper than hashing for the usual handful.
            let mut positions: Option<HashMap<String, usize>> = None;
            while let Some((key, value)) = map.next_entry::<String, Value>()? {
                let at = match &positions {
                    Some(positions) => positions.get(&key).copied(),
                    None => entries.iter().position(|(k, _)| *k == key),
                };
                match at.and_then(|at| entries.get_mut(at)) {
                    Some(entry) => entry.1 = value,
                    None => {
                        if let Some(positions) = &mut positions {
                            positions.insert(key.clone(), entries.len());
                        }
                        entries.push((key, value));
                        if positions.is_none() && entries.len() > SCANNED_KEYS {
                            positions = Some(
                                entries
                                    .iter()
                                    .enumerate()
                                    .map(|(at, (key, _))| (key.clone(), at))
                                    .collect(),
                            );
                        }
                    }
                }
            }
            Ok(entries)
        }
    }

    d.deserialize_map(Ordered).map(Some)
}
