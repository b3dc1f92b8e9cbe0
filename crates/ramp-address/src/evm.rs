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
        checksummed(&hex::encode(self.bytes))
    }
}

fn checksummed(lower_hex: &str) -> String {
    let hash = Keccak256::digest(lower_hex.as_bytes());
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    for (i, c) in lower_hex.chars().enumerate() {
        let byte = hash.get(i / 2).copied().unwrap_or(0);
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        if c.is_ascii_alphabetic() && nibble >= 8 {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
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
    if !digits.bytes().all(|b| b.is_ascii_hexdigit())
        && let Some((position, character)) = digits
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_hexdigit())
    {
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
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = nibble(pair[0]) << 4 | nibble(pair[1]);
    }
    let checksummed =
        digits.iter().any(u8::is_ascii_lowercase) && digits.iter().any(u8::is_ascii_uppercase);
    if checksummed && !checksummed_matches(digits) {
        return Err(Problem::Checksum(
            "the EIP-55 checksum (the case of its letters) does not match",
        ));
    }
    Ok(EvmAddress { bytes, checksummed })
}

/// The value of one hex digit (already checked to be one).
fn nibble(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => (digit | 0x20).wrapping_sub(b'a').wrapping_add(10) & 0x0f,
    }
}

/// Whether the case of the 40 hex `digits` is their EIP-55 checksum: each letter upper-case
/// exactly where the matching nibble of Keccak-256 of the lower-case hex is 8 or more.
/// Works on the stack: the check runs before every signature.
fn checksummed_matches(digits: &[u8; 40]) -> bool {
    let hash = Keccak256::digest(digits.map(|d| d.to_ascii_lowercase()));
    digits.iter().enumerate().all(|(i, &c)| {
        let byte = hash.get(i / 2).copied().unwrap_or(0);
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        !c.is_ascii_alphabetic() || c.is_ascii_uppercase() == (nibble >= 8)
    })
}

impl fmt::Display for EvmAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_checksum())
    }
}
