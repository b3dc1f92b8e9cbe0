//! What is wrong with an address.

use crate::Family;

/// An address that is not valid for its family, and why. Names the family and what failed;
/// the address itself is left out (the caller knows it, and logs need not repeat it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid {family} address: {problem}")]
pub struct AddressError {
    /// The family it was checked as.
    pub family: Family,
    /// What failed.
    pub problem: Problem,
}

/// What failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// Nothing was given.
    #[error("it is empty")]
    Empty,
    /// Leading or trailing whitespace (a copy-paste accident worth refusing rather than
    /// trimming: the address is money's destination).
    #[error("it has leading or trailing whitespace")]
    Whitespace,
    /// The wrong length.
    #[error("it is {found} characters long, not {expected}")]
    Length {
        /// What the format needs.
        expected: &'static str,
        /// What was given.
        found: usize,
    },
    /// It does not start the way the format does.
    #[error("it must start with {expected}")]
    Prefix {
        /// The prefix the format needs.
        expected: &'static str,
    },
    /// A character outside the format's alphabet.
    #[error("character {character:?} at position {position} is not in the {alphabet} alphabet")]
    Character {
        /// The character.
        character: char,
        /// Its 0-based position, in characters.
        position: usize,
        /// The alphabet (`hex`, `Base58`, `bech32`).
        alphabet: &'static str,
    },
    /// The checksum does not match: a typo, or a changed character.
    #[error("{0}")]
    Checksum(&'static str),
    /// The decoded payload is the wrong size.
    #[error("it decodes to {found} bytes, not {expected}")]
    DecodedLength {
        /// The size the format needs.
        expected: usize,
        /// The size found.
        found: usize,
    },
    /// The version byte is not this family's.
    #[error("its version byte is 0x{found:02x}, which is not {expected}")]
    VersionByte {
        /// The version byte found.
        found: u8,
        /// What the family accepts.
        expected: &'static str,
    },
    /// A testnet address where a mainnet one is needed.
    #[error("it is a testnet address, and a mainnet one is needed")]
    TestnetForMainnet,
    /// A mainnet address where a testnet one is needed.
    #[error("it is a mainnet address, and a testnet one is needed")]
    MainnetForTestnet,
    /// A bech32 address of another network (another human-readable part, such as `ltc1`).
    #[error("its human-readable part {hrp:?} is not this network's")]
    WrongNetwork {
        /// The human-readable part found.
        hrp: String,
    },
    /// A bech32 address that breaks a segwit rule (witness version, program length, padding,
    /// mixed case, length), as the decoder says.
    #[error("{0}")]
    Segwit(String),
}
