#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod bitcoin;
mod error;
mod evm;
mod networks;
mod solana;
mod tron;

use std::fmt;

pub use bitcoin::{BitcoinAddress, BitcoinKind};
pub use error::{AddressError, Problem};
pub use evm::EvmAddress;
pub use networks::{
    CheckError, Checked, Policy, assess, check, check_format, family_of, family_of_crypto, mainnet,
};
pub use solana::SolanaAddress;
pub use tron::TronAddress;

/// The address formats this crate checks. Every EVM chain (Ethereum, Polygon, BNB Chain,
/// Arbitrum, Optimism, Base, Avalanche C-chain, ...) shares one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// `0x` + 40 hex digits, EIP-55 checksum when mixed-case.
    Evm,
    /// Bitcoin mainnet: Base58Check P2PKH (`1…`) and P2SH (`3…`), bech32 (segwit v0,
    /// `bc1q…`) and bech32m (v1+, `bc1p…`).
    Bitcoin,
    /// Bitcoin testnet (and signet): `m…`/`n…`, `2…`, `tb1…`.
    BitcoinTestnet,
    /// Tron: Base58Check with version byte `0x41` (`T…`).
    Tron,
    /// Solana: Base58 of a 32-byte public key.
    Solana,
}

impl Family {
    /// The family by its name: `evm`, `bitcoin`, `bitcoin-testnet`, `tron`, `solana`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "evm" => Some(Self::Evm),
            "bitcoin" => Some(Self::Bitcoin),
            "bitcoin-testnet" | "bitcoin_testnet" => Some(Self::BitcoinTestnet),
            "tron" => Some(Self::Tron),
            "solana" => Some(Self::Solana),
            _ => None,
        }
    }

    /// The family's name, as [`from_name`](Self::from_name) reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Evm => "evm",
            Self::Bitcoin => "bitcoin",
            Self::BitcoinTestnet => "bitcoin-testnet",
            Self::Tron => "tron",
            Self::Solana => "solana",
        }
    }

    /// The same family on a test network (only Bitcoin has a different format there).
    pub fn testnet(self) -> Self {
        match self {
            Self::Bitcoin => Self::BitcoinTestnet,
            other => other,
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Evm => "EVM",
            Self::Bitcoin => "Bitcoin",
            Self::BitcoinTestnet => "Bitcoin testnet",
            Self::Tron => "Tron",
            Self::Solana => "Solana",
        })
    }
}

/// A checked address, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Address {
    /// An EVM address.
    Evm(EvmAddress),
    /// A Bitcoin address, mainnet or testnet.
    Bitcoin(BitcoinAddress),
    /// A Tron address.
    Tron(TronAddress),
    /// A Solana address.
    Solana(SolanaAddress),
}

impl Address {
    /// Checks `text` as an address of `family` and parses it. The error names the family and
    /// what failed: length, character set, checksum, version byte, network.
    ///
    /// ```
    /// use ramp_address::{Address, Family};
    ///
    /// let address = Address::parse(Family::Evm, "0x977bc1915da4f7eda9d2e49bc08356db37478538")?;
    /// assert_eq!(address.to_string(), "0x977BC1915dA4f7edA9D2e49BC08356db37478538");
    /// let err = Address::parse(Family::Evm, "0x977BC1915dA4f7edA9D2e49BC08356db37478539").unwrap_err();
    /// assert_eq!(err.to_string(), "not a valid EVM address: the EIP-55 checksum (the case of its letters) does not match");
    /// # Ok::<(), ramp_address::AddressError>(())
    /// ```
    pub fn parse(family: Family, text: &str) -> Result<Self, AddressError> {
        let fail = |problem| AddressError { family, problem };
        if text.is_empty() {
            return Err(fail(Problem::Empty));
        }
        if text.trim() != text {
            return Err(fail(Problem::Whitespace));
        }
        match family {
            Family::Evm => evm::parse(text).map(Self::Evm),
            Family::Bitcoin => bitcoin::parse(text, false).map(Self::Bitcoin),
            Family::BitcoinTestnet => bitcoin::parse(text, true).map(Self::Bitcoin),
            Family::Tron => tron::parse(text).map(Self::Tron),
            Family::Solana => solana::parse(text).map(Self::Solana),
        }
        .map_err(fail)
    }

    /// The family it belongs to.
    pub fn family(&self) -> Family {
        match self {
            Self::Evm(_) => Family::Evm,
            Self::Bitcoin(address) if address.is_testnet() => Family::BitcoinTestnet,
            Self::Bitcoin(_) => Family::Bitcoin,
            Self::Tron(_) => Family::Tron,
            Self::Solana(_) => Family::Solana,
        }
    }
}

impl fmt::Display for Address {
    /// The canonical spelling: EIP-55 checksummed for EVM, lower-case for bech32, as given
    /// for the Base58 formats (which have one spelling).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Evm(address) => address.fmt(f),
            Self::Bitcoin(address) => address.fmt(f),
            Self::Tron(address) => address.fmt(f),
            Self::Solana(address) => address.fmt(f),
        }
    }
}
