//! HMAC-SHA256, SHA-256 and base64: the primitives every provider signature is made of.
//!
//! Every comparison of a signature here is constant-time ([`hmac::Mac::verify_slice`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = hmac::Hmac<Sha256>;

/// Length in bytes of an HMAC-SHA256 tag or a SHA-256 digest.
pub const SHA256_LEN: usize = 32;

fn mac(key: &[u8], message: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length (long keys are hashed first, RFC 2104), so this
    // constructor cannot fail; the fallback keeps the function total all the same.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => <HmacSha256 as KeyInit>::new(&Default::default()),
    };
    mac.update(message);
    mac
}

/// The raw 32-byte HMAC-SHA256 tag of `message` under `key`.
///
/// ```
/// let tag = ramp_core::hmac_sha256(b"key", b"message");
/// assert_eq!(tag.len(), 32);
/// ```
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; SHA256_LEN] {
    mac(key, message).finalize().into_bytes().into()
}

/// The HMAC-SHA256 tag of `message` under `key`, as 64 lower-case hex digits.
///
/// ```
/// // RFC 4231, test case 2.
/// assert_eq!(
///     ramp_core::hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
///     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
/// );
/// ```
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    hex::encode(hmac_sha256(key, message))
}

/// Checks a raw 32-byte HMAC-SHA256 tag in constant time.
///
/// A tag of any other length is `false`, and so is any tag under the empty key: anyone can
/// compute an HMAC keyed with nothing, so it proves nothing. (Provider crates refuse a blank
/// secret earlier, with a typed error, through [`require_secret`](crate::require_secret);
/// this is the last line.)
///
/// ```
/// let tag = ramp_core::hmac_sha256(b"key", b"message");
/// assert!(ramp_core::verify_hmac_sha256(b"key", b"message", &tag));
/// assert!(!ramp_core::verify_hmac_sha256(b"key", b"message", &tag[..16]));
/// let forged = ramp_core::hmac_sha256(b"", b"message");
/// assert!(!ramp_core::verify_hmac_sha256(b"", b"message", &forged));
/// ```
pub fn verify_hmac_sha256(key: &[u8], message: &[u8], tag: &[u8]) -> bool {
    !key.is_empty() && tag.len() == SHA256_LEN && mac(key, message).verify_slice(tag).is_ok()
}

/// Checks a hex HMAC-SHA256 signature in constant time.
///
/// Upper- and lower-case hex are both accepted. A signature that is not exactly 64 hex
/// digits is `false`, as is any signature under the empty key; this function never panics.
///
/// ```
/// let key = b"Jefe";
/// let msg = b"what do ya want for nothing?";
/// let sig = "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843";
/// assert!(ramp_core::verify_hmac_sha256_hex(key, msg, sig));
/// assert!(!ramp_core::verify_hmac_sha256_hex(key, msg, "5bdc"));
/// assert!(!ramp_core::verify_hmac_sha256_hex(key, msg, "not hex"));
/// ```
pub fn verify_hmac_sha256_hex(key: &[u8], message: &[u8], signature_hex: &str) -> bool {
    if signature_hex.len() != 2 * SHA256_LEN {
        return false;
    }
    let mut tag = [0u8; SHA256_LEN];
    match hex::decode_to_slice(signature_hex, &mut tag) {
        Ok(()) => verify_hmac_sha256(key, message, &tag),
        Err(_) => false,
    }
}

/// The SHA-256 digest of `data`, as 64 lower-case hex digits.
///
/// ```
/// assert_eq!(
///     ramp_core::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
/// );
/// ```
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Checks a hex SHA-256 digest of `data` in constant time (for schemes that hash a message
/// with the secret appended instead of using HMAC).
///
/// Upper- and lower-case hex are both accepted; anything but 64 hex digits is `false`.
///
/// ```
/// let digest = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
/// assert!(ramp_core::verify_sha256_hex(b"abc", digest));
/// assert!(!ramp_core::verify_sha256_hex(b"abd", digest));
/// assert!(!ramp_core::verify_sha256_hex(b"abc", "ba78"));
/// ```
pub fn verify_sha256_hex(data: &[u8], digest_hex: &str) -> bool {
    use ctutils::CtEq as _;
    if digest_hex.len() != 2 * SHA256_LEN {
        return false;
    }
    let mut expected = [0u8; SHA256_LEN];
    if hex::decode_to_slice(digest_hex, &mut expected).is_err() {
        return false;
    }
    let actual: [u8; SHA256_LEN] = Sha256::digest(data).into();
    actual.ct_eq(&expected).to_bool()
}

/// Standard base64 (RFC 4648 §4, with `=` padding) of `data`.
///
/// ```
/// assert_eq!(ramp_core::base64_encode(b"ramp"), "cmFtcA==");
/// ```
pub fn base64_encode(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Decodes standard base64 (RFC 4648 §4, padding required).
///
/// ```
/// assert_eq!(ramp_core::base64_decode("cmFtcA==").unwrap(), b"ramp");
/// assert!(ramp_core::base64_decode("not base64!").is_err());
/// ```
pub fn base64_decode(encoded: &str) -> Result<Vec<u8>, Base64Error> {
    STANDARD.decode(encoded).map_err(|e| Base64Error {
        reason: e.to_string(),
    })
}

/// The input to [`base64_decode`] was not standard base64.
///
/// The message says why (an invalid byte and its offset, a bad length or padding) and never
/// repeats the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid base64: {reason}")]
pub struct Base64Error {
    reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_rejects_every_malformed_signature_without_panicking() {
        let good = hmac_sha256_hex(b"k", b"m");
        assert!(verify_hmac_sha256_hex(b"k", b"m", &good));
        assert!(verify_hmac_sha256_hex(b"k", b"m", &good.to_uppercase()));
        for bad in [
            "",
            "0",
            &good[..63],
            &format!("{good}0"),
            &format!("{}g", &good[..63]),
            &format!("{}é", &good[..62]),
            "                                                                ",
        ] {
            assert!(!verify_hmac_sha256_hex(b"k", b"m", bad), "{bad:?}");
        }
        assert!(!verify_hmac_sha256_hex(b"other", b"m", &good));
        assert!(!verify_hmac_sha256_hex(b"k", b"m2", &good));
    }

    #[test]
    fn flipping_any_bit_of_the_tag_fails() {
        let tag = hmac_sha256(b"k", b"m");
        for i in 0..SHA256_LEN * 8 {
            let mut t = tag;
            t[i / 8] ^= 1 << (i % 8);
            assert!(!verify_hmac_sha256(b"k", b"m", &t));
        }
    }

    #[test]
    fn base64_round_trips_and_rejects_url_safe_alphabet() {
        let data: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(&base64_encode(&data)).unwrap(), data);
        // `-` and `_` belong to the URL-safe alphabet, not the standard one.
        let err = base64_decode("-_-_").unwrap_err();
        assert!(err.to_string().starts_with("invalid base64: "), "{err}");
        assert!(!err.to_string().contains("-_-_"));
    }
}
