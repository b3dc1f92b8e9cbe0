//! The authorization hash sent as the `Hash` header on every call.

use std::fmt;

use ramp_core::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::Error;

/// Koinal's authorization hash: `merchant_code`, `customer_reference`, `timestamp` and a
/// signature over them, as base64 of compact JSON.
///
/// The signature is `hex(HMAC-SHA256(key = secret, message = merchant_code +
/// customer_reference + timestamp + secret))`: the documentation's worked example settles
/// that the secret is both the key and the end of the message. The header value is the
/// standard base64 (with padding) of
/// `{"merchant_code":…,"customer_reference":"…","timestamp":"…","signature":"…"}` in that key
/// order, the merchant code a number and the timestamp a string.
///
/// ```
/// use ramp_koinal::{AuthHash, SecretString};
///
/// // The documentation's example.
/// let secret = SecretString::from("11qq22ww");
/// let hash = AuthHash::new(1000, "User1", "1000", &secret);
/// assert_eq!(hash.signature(), "6642fb1bf6084d3bfa0deb83f8fe71d1c7a7301195022932a103b1d9731a056b");
/// assert_eq!(
///     hash.to_header_value(),
///     "eyJtZXJjaGFudF9jb2RlIjoxMDAwLCJjdXN0b21lcl9yZWZlcmVuY2UiOiJVc2VyMSIsInRpbWVzdGFtcCI6IjEwMDAiLCJzaWduYXR1cmUiOiI2NjQyZmIxYmY2MDg0ZDNiZmEwZGViODNmOGZlNzFkMWM3YTczMDExOTUwMjI5MzJhMTAzYjFkOTczMWEwNTZiIn0="
/// );
///
/// // Whoever receives it can decode and check it.
/// let received = AuthHash::decode(&hash.to_header_value())?;
/// assert!(received.verify(&secret));
/// assert!(!received.verify(&SecretString::from("wrong")));
/// # Ok::<(), ramp_koinal::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthHash {
    merchant_code: u64,
    customer_reference: String,
    timestamp: String,
    signature: String,
}

/// The message the signature covers.
fn message(merchant_code: u64, customer_reference: &str, timestamp: &str, secret: &str) -> Vec<u8> {
    format!("{merchant_code}{customer_reference}{timestamp}{secret}").into_bytes()
}

impl AuthHash {
    /// Signs `merchant_code`, `customer_reference` (your id of the end user) and `timestamp`
    /// (Unix seconds, as a string) with the merchant secret.
    pub fn new(
        merchant_code: u64,
        customer_reference: &str,
        timestamp: &str,
        secret: &SecretString,
    ) -> Self {
        let secret = secret.expose_secret();
        let signature = ramp_core::hmac_sha256_hex(
            secret.as_bytes(),
            &message(merchant_code, customer_reference, timestamp, secret),
        );
        Self {
            merchant_code,
            customer_reference: customer_reference.to_owned(),
            timestamp: timestamp.to_owned(),
            signature,
        }
    }

    /// The compact JSON the header encodes, in the documented key order.
    pub fn to_json(&self) -> String {
        // Four plain fields: serialization cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The `Hash` header value: standard base64, with padding, of [`to_json`](Self::to_json).
    pub fn to_header_value(&self) -> String {
        ramp_core::base64_encode(self.to_json().as_bytes())
    }

    /// Reads a `Hash` header value (surrounding whitespace ignored). It is not verified: call
    /// [`verify`](Self::verify) with the merchant's secret.
    pub fn decode(header: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidHash { reason };
        let json = ramp_core::base64_decode(header.trim())
            .map_err(|err| invalid(format!("not standard base64 ({err})")))?;
        serde_json::from_slice(&json).map_err(|err| invalid(format!("not the hash JSON ({err})")))
    }

    /// Whether the signature was made with `secret` over these fields (constant-time).
    pub fn verify(&self, secret: &SecretString) -> bool {
        let secret = secret.expose_secret();
        ramp_core::verify_hmac_sha256_hex(
            secret.as_bytes(),
            &message(
                self.merchant_code,
                &self.customer_reference,
                &self.timestamp,
                secret,
            ),
            &self.signature,
        )
    }

    /// The merchant code.
    pub fn merchant_code(&self) -> u64 {
        self.merchant_code
    }

    /// The merchant's reference for its end user.
    pub fn customer_reference(&self) -> &str {
        &self.customer_reference
    }

    /// The timestamp, as sent (Unix seconds).
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// The hex signature.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for AuthHash {
    /// The fields, with the signature redacted: the encoded hash is a credential until it
    /// expires.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthHash")
            .field("merchant_code", &self.merchant_code)
            .field("customer_reference", &self.customer_reference)
            .field("timestamp", &self.timestamp)
            .field("signature", &"[REDACTED]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_what_is_not_a_hash() {
        for (header, start) in [
            (
                "%%%",
                "not a Koinal authorization hash: not standard base64",
            ),
            (
                "bm90IGpzb24=",
                "not a Koinal authorization hash: not the hash JSON",
            ),
            (
                // {"merchant_code":"1000",...}: the code must be a number.
                "eyJtZXJjaGFudF9jb2RlIjoiMTAwMCJ9",
                "not a Koinal authorization hash: not the hash JSON",
            ),
        ] {
            let err = AuthHash::decode(header).unwrap_err();
            assert!(err.to_string().starts_with(start), "{header}: {err}");
        }
    }

    #[test]
    fn a_changed_field_fails_verification() {
        let secret = SecretString::from("11qq22ww");
        let hash = AuthHash::new(1000, "User1", "1000", &secret);
        let mut changed = hash.clone();
        changed.customer_reference = "User2".into();
        assert!(!changed.verify(&secret));
        let mut changed = hash.clone();
        changed.timestamp = "1001".into();
        assert!(!changed.verify(&secret));
        let mut changed = hash;
        changed.merchant_code = 1001;
        assert!(!changed.verify(&secret));
    }

    #[test]
    fn debug_redacts_the_signature() {
        let hash = AuthHash::new(1000, "User1", "1000", &SecretString::from("11qq22ww"));
        let debug = format!("{hash:?}");
        assert!(!debug.contains(hash.signature()), "{debug}");
        assert!(!debug.contains("11qq22ww"), "{debug}");
    }
}
