//! The authorization hash sent as the `Hash` header on every call.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ramp_core::SecretString;
use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind, HashError};

/// Which secret [`require_secret`](ramp_core::require_secret) names when it refuses one.
pub(crate) const MERCHANT_SECRET: &str = "Koinal merchant secret";

/// How far in the future a hash's timestamp may be (clock skew between merchant and
/// verifier) before [`AuthHash::verify_fresh`] refuses it.
pub const HASH_FUTURE_SKEW: Duration = Duration::from_secs(60);

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
/// let hash = AuthHash::new(1000, "User1", "1000", &secret)?;
/// assert_eq!(hash.signature(), "6642fb1bf6084d3bfa0deb83f8fe71d1c7a7301195022932a103b1d9731a056b");
/// assert_eq!(
///     hash.to_header_value(),
///     "eyJtZXJjaGFudF9jb2RlIjoxMDAwLCJjdXN0b21lcl9yZWZlcmVuY2UiOiJVc2VyMSIsInRpbWVzdGFtcCI6IjEwMDAiLCJzaWduYXR1cmUiOiI2NjQyZmIxYmY2MDg0ZDNiZmEwZGViODNmOGZlNzFkMWM3YTczMDExOTUwMjI5MzJhMTAzYjFkOTczMWEwNTZiIn0="
/// );
///
/// // Whoever receives it can decode and check it.
/// let received = AuthHash::decode(&hash.to_header_value())?;
/// received.verify(&secret)?;
/// assert!(received.verify(&SecretString::from("wrong")).is_err());
/// # Ok::<(), ramp_koinal::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Wire")]
pub struct AuthHash {
    merchant_code: u64,
    customer_reference: String,
    timestamp: String,
    signature: String,
    /// The compact JSON of the four fields, serialized once when the hash is made or read.
    #[serde(skip)]
    json: String,
}

/// The four fields as they arrive; reading them serializes the JSON the header encodes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    merchant_code: u64,
    customer_reference: String,
    timestamp: String,
    signature: String,
}

impl TryFrom<Wire> for AuthHash {
    type Error = serde_json::Error;

    fn try_from(wire: Wire) -> Result<Self, serde_json::Error> {
        AuthHash::with_json(
            wire.merchant_code,
            wire.customer_reference,
            wire.timestamp,
            wire.signature,
        )
    }
}

/// The message the signature covers.
fn message(merchant_code: u64, customer_reference: &str, timestamp: &str, secret: &str) -> Vec<u8> {
    format!("{merchant_code}{customer_reference}{timestamp}{secret}").into_bytes()
}

impl AuthHash {
    /// Signs `merchant_code`, `customer_reference` (your id of the end user) and `timestamp`
    /// (Unix seconds, as a string) with the merchant secret. A secret that is empty or
    /// whitespace only is [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret).
    pub fn new(
        merchant_code: u64,
        customer_reference: &str,
        timestamp: &str,
        secret: &SecretString,
    ) -> Result<Self, Error> {
        let secret = ramp_core::require_secret(MERCHANT_SECRET, secret)?;
        let signature = ramp_core::hmac_sha256_hex(
            secret.as_bytes(),
            &message(merchant_code, customer_reference, timestamp, secret),
        );
        Self::with_json(
            merchant_code,
            customer_reference.to_owned(),
            timestamp.to_owned(),
            signature,
        )
        .map_err(|err| {
            Error::from(ErrorKind::InvalidHash {
                reason: err.to_string(),
            })
        })
    }

    /// The compact JSON the header encodes, in the documented key order.
    pub fn to_json(&self) -> String {
        self.json.clone()
    }

    /// The hash with its JSON serialized once, here: an error is returned, never an empty
    /// JSON that would be sent.
    fn with_json(
        merchant_code: u64,
        customer_reference: String,
        timestamp: String,
        signature: String,
    ) -> Result<Self, serde_json::Error> {
        let mut hash = Self {
            merchant_code,
            customer_reference,
            timestamp,
            signature,
            json: String::new(),
        };
        hash.json = serde_json::to_string(&hash)?;
        Ok(hash)
    }

    /// The `Hash` header value: standard base64, with padding, of [`to_json`](Self::to_json).
    pub fn to_header_value(&self) -> String {
        ramp_core::base64_encode(self.to_json().as_bytes())
    }

    /// Reads a `Hash` header value (surrounding whitespace ignored). It is not verified: call
    /// [`verify`](Self::verify) or [`verify_fresh`](Self::verify_fresh) with the merchant's
    /// secret. A value longer than [`MAX_HASH_HEADER_BYTES`] is refused unread.
    pub fn decode(header: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::from(ErrorKind::InvalidHash { reason });
        if header.len() > MAX_HASH_HEADER_BYTES {
            return Err(invalid(format!(
                "longer than {MAX_HASH_HEADER_BYTES} bytes"
            )));
        }
        let json = ramp_core::base64_decode(header.trim())
            .map_err(|err| invalid(format!("not standard base64 ({err})")))?;
        serde_json::from_slice(&json).map_err(|err| invalid(format!("not the hash JSON ({err})")))
    }

    /// Checks that the signature was made with `secret` over these fields (constant-time).
    ///
    /// This checks the signature only, not the timestamp's age: Koinal documents no validity
    /// window for the hash, so none is imposed by default. A verifier that can bound the age
    /// should use [`verify_fresh`](Self::verify_fresh), which refuses a replayed hash.
    ///
    /// Errors: [`ErrorKind::EmptySecret`](crate::ErrorKind::EmptySecret) for a blank secret (checked before anything is
    /// computed), [`HashError::Mismatch`] for a signature that does not match.
    pub fn verify(&self, secret: &SecretString) -> Result<(), Error> {
        let secret = ramp_core::require_secret(MERCHANT_SECRET, secret)?;
        let valid = ramp_core::verify_hmac_sha256_hex(
            secret.as_bytes(),
            &message(
                self.merchant_code,
                &self.customer_reference,
                &self.timestamp,
                secret,
            ),
            &self.signature,
        );
        if valid {
            Ok(())
        } else {
            Err(Error::from(ErrorKind::HashRejected(HashError::Mismatch)))
        }
    }

    /// [`verify`](Self::verify), then the timestamp: it must be Unix seconds, no older than
    /// `max_age` at `now`, and no more than [`HASH_FUTURE_SKEW`] ahead of `now`.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use ramp_koinal::{AuthHash, Error, ErrorKind, HashError, SecretString};
    ///
    /// let secret = SecretString::from("11qq22ww");
    /// let hash = AuthHash::new(1000, "User1", "1700000000", &secret)?;
    /// let at = |s| UNIX_EPOCH + Duration::from_secs(s);
    /// let five_minutes = Duration::from_secs(300);
    /// hash.verify_fresh(&secret, five_minutes, at(1_700_000_100))?;
    /// assert!(matches!(
    ///     hash.verify_fresh(&secret, five_minutes, at(1_700_000_301)).map_err(Error::into_kind),
    ///     Err(ErrorKind::HashRejected(HashError::Expired { .. }))
    /// ));
    /// # Ok::<(), ramp_koinal::Error>(())
    /// ```
    pub fn verify_fresh(
        &self,
        secret: &SecretString,
        max_age: Duration,
        now: SystemTime,
    ) -> Result<(), Error> {
        self.verify(secret)?;
        let reject = |why| Err(Error::from(ErrorKind::HashRejected(why)));
        let Some(stamped) = self
            .timestamp
            .parse::<u64>()
            .ok()
            .and_then(|seconds| UNIX_EPOCH.checked_add(Duration::from_secs(seconds)))
        else {
            return reject(HashError::InvalidTimestamp);
        };
        match now.duration_since(stamped) {
            Ok(age) if age > max_age => reject(HashError::Expired { age, max_age }),
            Ok(_) => Ok(()),
            Err(ahead) if ahead.duration() > HASH_FUTURE_SKEW => reject(HashError::FromTheFuture {
                ahead: ahead.duration(),
            }),
            Err(_) => Ok(()),
        }
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

/// The longest `Hash` header [`AuthHash::decode`] reads: four short fields in base64 need a
/// few hundred bytes; 4 KiB leaves room for a long customer reference.
pub const MAX_HASH_HEADER_BYTES: usize = 4096;

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
        let hash = AuthHash::new(1000, "User1", "1000", &secret).unwrap();
        let mut changed = hash.clone();
        changed.customer_reference = "User2".into();
        assert!(changed.verify(&secret).is_err());
        let mut changed = hash.clone();
        changed.timestamp = "1001".into();
        assert!(changed.verify(&secret).is_err());
        let mut changed = hash;
        changed.merchant_code = 1001;
        assert!(changed.verify(&secret).is_err());
    }

    #[test]
    fn verify_fresh_bounds_the_age_both_ways() {
        let secret = SecretString::from("11qq22ww");
        let at = |s: u64| UNIX_EPOCH + Duration::from_secs(s);
        let max_age = Duration::from_secs(300);
        let hash = AuthHash::new(1000, "User1", "1700000000", &secret).unwrap();
        for ok in [1_700_000_000 - 60, 1_700_000_000, 1_700_000_300] {
            hash.verify_fresh(&secret, max_age, at(ok)).unwrap();
        }
        let rejected = |now| match hash
            .verify_fresh(&secret, max_age, at(now))
            .map_err(Error::into_kind)
        {
            Err(ErrorKind::HashRejected(why)) => why,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            rejected(1_700_000_301),
            HashError::Expired {
                age: Duration::from_secs(301),
                max_age
            }
        );
        assert_eq!(
            rejected(1_700_000_000 - 61),
            HashError::FromTheFuture {
                ahead: Duration::from_secs(61)
            }
        );
        // The signature is checked before the time: a wrong secret is a mismatch, not stale.
        assert!(matches!(
            hash.verify_fresh(&SecretString::from("x"), max_age, at(0))
                .map_err(Error::into_kind),
            Err(ErrorKind::HashRejected(HashError::Mismatch))
        ));
        for stamp in ["", "soon", "-1", "1e9", "99999999999999999999"] {
            let odd = AuthHash::new(1000, "User1", stamp, &secret).unwrap();
            assert!(
                matches!(
                    odd.verify_fresh(&secret, max_age, at(1_700_000_000))
                        .map_err(Error::into_kind),
                    Err(ErrorKind::HashRejected(HashError::InvalidTimestamp))
                ),
                "{stamp:?}"
            );
        }
        // A timestamp far in the future, still Unix seconds, is not a panic.
        let far = AuthHash::new(1000, "User1", &u64::MAX.to_string(), &secret).unwrap();
        assert!(far.verify_fresh(&secret, max_age, at(0)).is_err());
    }

    #[test]
    fn an_oversize_header_is_refused_unread() {
        let err = AuthHash::decode(&"A".repeat(MAX_HASH_HEADER_BYTES + 1)).unwrap_err();
        assert!(err.to_string().contains("longer than 4096 bytes"), "{err}");
    }

    #[test]
    fn debug_redacts_the_signature() {
        let hash = AuthHash::new(1000, "User1", "1000", &SecretString::from("11qq22ww")).unwrap();
        let debug = format!("{hash:?}");
        assert!(!debug.contains(hash.signature()), "{debug}");
        assert!(!debug.contains("11qq22ww"), "{debug}");
    }
}
