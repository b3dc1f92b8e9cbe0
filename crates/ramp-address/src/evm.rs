//! EVM addresses: `0x` + 40 hex digits; mixed case carries the EIP-55 checksum.

use std::fmt;

use sha3::{Digest, Keccak256};

use crate::Problem;

/// An EVM address: 20 bytes. Displays EIP-55 checksummed. Two addresses are equal when
/// their bytes are, however they were spelled.
#[derive(Debug, Clone, Copy)]
pub struct EvmAddress {
    bytes: [u8; 20],
    checksummed: bool,
}

impl PartialEq for EvmAddress {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for EvmAddress {}

impl std::hash::Hash for EvmAddress {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl EvmAddress {
    /// The 20 bytes.
    pub fn bytes(&self) -> &[u8; 20] {
        &self.bytes
    }

    /// Whether the address was given in mixed case, so its EIP-55 checksum was checked. An
    /// all-lower-case or all-upper-case address carries no checksum: a typo in it goes
    /// unnoticed, so prefer asking users for the checksummed spelling.
    pub fn was_checksummed(&self) -> bool {
        self.checksummed
    }

    /// The EIP-55 spelling: `0x` and each hex letter upper-case where the matching nibble of
    /// Keccak-256 of the lower-case hex is 8 or more.
    pub fn to_checksum(&self) -> String {
        let mut lower = [0u8; 40];
        // 20 bytes always fill 40 hex digits.
        let _ = hex::encode_to_slice(self.bytes, &mut lower);
        let hash = Keccak256::digest(lower);
        let mut out = String::with_capacity(42);
        out.push_str("0x");
        out.extend(lower.iter().enumerate().map(|(i, &digit)| {
            let digit = char::from(digit);
            if eip55_upper(&hash, i) {
                digit.to_ascii_uppercase()
            } else {
                digit
            }
        }));
        out
    }
}

/// Whether EIP-55 spells hex digit `i` upper-case (when it is a letter): the matching
/// nibble of `hash`, the Keccak-256 of the lower-case digits, is 8 or more.
fn eip55_upper(hash: &[u8], i: usize) -> bool {
    let byte = hash.get(i / 2).copied().unwrap_or(0);
    let nibble = if i.is_multiple_of(2) {
        byte >> 4
    } else {
        byte & 0x0f
    };
    nibble >= 8
}

pub(crate) fn parse(text: &str) -> Result<EvmAddress, Problem> {
    let Some(digits) = text.strip_prefix("0x") else {
        return Err(if text.len() == 42 || text.len() == 40 {
            Problem::Prefix { expected: "0x" }
        } else {
            Problem::Length {
                expected: "42 (0x and 40 hex digits)",
                found: text.chars().count(),
            }
        });
    };
    if let Some(position) = digits.bytes().position(|b| !b.is_ascii_hexdigit()) {
        // Every byte before it is an ASCII hex digit: a byte position is a character position.
        let character = digits
            .get(position..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or_default();
        return Err(Problem::Character {
            character,
            position: position + 2,
            alphabet: "hex",
        });
    }
    let Ok(digits) = <&[u8; 40]>::try_from(digits.as_bytes()) else {
        return Err(Problem::Length {
            expected: "42 (0x and 40 hex digits)",
            found: text.len(),
        });
    };
    let mut bytes = [0u8; 20];
    hex::decode_to_slice(digits, &mut bytes).map_err(|_| Problem::Checksum("not hex"))?;
    let checksummed =
        digits.iter().any(u8::is_ascii_lowercase) && digits.iter().any(u8::is_ascii_uppercase);
    if checksummed && !checksummed_matches(digits) {
        return Err(Problem::Checksum(
            "the EIP-55 checksum (the case of its letters) does not match",
        ));
    }
    Ok(EvmAddress { bytes, checksummed })
}

/// Whether the case of the 40 hex `digits` is their EIP-55 checksum. Works on the stack:
/// the check runs before every signature.
fn checksummed_matches(digits: &[u8; 40]) -> bool {
    let hash = Keccak256::digest(digits.map(|d| d.to_ascii_lowercase()));
    digits.iter().enumerate().all(|(i, digit)| {
        !digit.is_ascii_alphabetic() || digit.is_ascii_uppercase() == eip55_upper(&hash, i)
    })
}

impl fmt::Display for EvmAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_checksum())
    }
}
