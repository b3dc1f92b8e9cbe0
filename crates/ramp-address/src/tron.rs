//! Tron: Base58Check, 21 bytes, version byte `0x41`. Also the Base58Check decoding every
//! Base58Check format here uses.

use std::fmt;

use crate::Problem;

/// A Tron address: `0x41` and a 20-byte hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TronAddress {
    bytes: [u8; 21],
}

impl TronAddress {
    /// The 21 bytes, version byte `0x41` first (the "hex address" Tron's APIs also accept).
    pub fn bytes(&self) -> &[u8; 21] {
        &self.bytes
    }
}

impl fmt::Display for TronAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.bytes).with_check().into_string())
    }
}

/// Base58Check decoding (double SHA-256 checksum, by the bs58 crate): the payload, version
/// byte included.
pub(crate) fn decode_check(text: &str) -> Result<Vec<u8>, Problem> {
    bs58::decode(text)
        .with_check(None)
        .into_vec()
        .map_err(|err| match err {
            bs58::decode::Error::InvalidCharacter { character, index } => Problem::Character {
                character,
                position: text[..index.min(text.len())].chars().count(),
                alphabet: "Base58",
            },
            bs58::decode::Error::NonAsciiCharacter { index } => Problem::Character {
                character: text[index.min(text.len())..].chars().next().unwrap_or('?'),
                position: text[..index.min(text.len())].chars().count(),
                alphabet: "Base58",
            },
            bs58::decode::Error::InvalidChecksum { .. } => {
                Problem::Checksum("the Base58Check checksum does not match")
            }
            _ => Problem::Checksum("too short to carry a Base58Check checksum"),
        })
}

pub(crate) fn parse(text: &str) -> Result<TronAddress, Problem> {
    if text.len() != 34 {
        return Err(Problem::Length {
            expected: "34",
            found: text.chars().count(),
        });
    }
    let payload = decode_check(text)?;
    let bytes: [u8; 21] = payload
        .as_slice()
        .try_into()
        .map_err(|_| Problem::DecodedLength {
            expected: 21,
            found: payload.len(),
        })?;
    if bytes[0] != 0x41 {
        return Err(Problem::VersionByte {
            found: bytes[0],
            expected: "0x41",
        });
    }
    Ok(TronAddress { bytes })
}
