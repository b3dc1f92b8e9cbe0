//! Solana: Base58 of a 32-byte Ed25519 public key (no checksum).

use std::fmt;

use crate::Problem;

/// A Solana address: 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SolanaAddress {
    bytes: [u8; 32],
}

impl SolanaAddress {
    /// The 32 bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }
}

impl fmt::Display for SolanaAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.bytes).into_string())
    }
}

pub(crate) fn parse(text: &str) -> Result<SolanaAddress, Problem> {
    if !(32..=44).contains(&text.len()) {
        return Err(Problem::Length {
            expected: "32 to 44",
            found: text.chars().count(),
        });
    }
    let bytes = bs58::decode(text).into_vec().map_err(|err| match err {
        bs58::decode::Error::InvalidCharacter { character, index } => Problem::Character {
            character,
            position: index,
            alphabet: "Base58",
        },
        _ => Problem::Character {
            character: text.chars().find(|c| !c.is_ascii()).unwrap_or('?'),
            position: text.chars().position(|c| !c.is_ascii()).unwrap_or(0),
            alphabet: "Base58",
        },
    })?;
    let bytes: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| Problem::DecodedLength {
            expected: 32,
            found: bytes.len(),
        })?;
    let address = SolanaAddress { bytes };
    // Base58 has one spelling per byte string; anything else is not an address.
    if address.to_string() != text {
        return Err(Problem::Checksum(
            "it is not the Base58 spelling of 32 bytes",
        ));
    }
    Ok(address)
}
