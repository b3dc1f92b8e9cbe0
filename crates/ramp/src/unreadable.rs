//! Genuine deliveries that could not be read: kept, not dropped.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::Provider;

/// A delivery whose signature held but whose order could not be read (a field the reader
/// needs is missing, `null` or of another shape). The endpoint answered it 500, so the
/// provider delivers it again, logged an error naming the provider and the JSON path, and
/// kept it in the store: list these with [`DedupStore::unreadable`](crate::store::DedupStore::unreadable)
/// and, once the cause is fixed (a newer version of this crate reads it), hand each back with
/// [`Endpoint::redeliver`](crate::endpoint::Endpoint::redeliver).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Unreadable {
    /// Its id: the SHA-256 (hex) of the provider's name and the document, so a redelivery of
    /// the same bytes is the same record.
    pub id: String,
    /// Who sent it.
    pub provider: Provider,
    /// What the provider signed, as it was verified: the raw body (Koinal, Onramper), or the
    /// payload of the body's JWT (Transak, also when its time claims could not be read; the
    /// raw body when the payload could not be decoded). Base64 in JSON.
    #[serde(with = "base64_bytes")]
    pub document: Vec<u8>,
    /// Where reading it failed (a JSON path, such as `order_id`), and why.
    pub path: String,
    /// Why it could not be read there.
    pub message: String,
    /// When it was first received.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

impl Unreadable {
    /// A record of `document` from `provider`, unreadable at `path` because of `message`,
    /// received now.
    pub fn new(
        provider: Provider,
        document: &[u8],
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let id = ramp_core::sha256_hex(&[provider.as_str().as_bytes(), b":", document].concat());
        Self {
            id,
            provider,
            document: document.to_vec(),
            path: path.into(),
            message: message.into(),
            received_at: OffsetDateTime::now_utc(),
        }
    }
}

mod base64_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&ramp_core::base64_encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        ramp_core::base64_decode(&text).map_err(serde::de::Error::custom)
    }
}
