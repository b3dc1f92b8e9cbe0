//! Bitcoin: Base58Check P2PKH and P2SH, and segwit addresses in bech32 (v0, BIP-173) and
//! bech32m (v1+, BIP-350).

use std::fmt;

use bech32::primitives::decode::{
    CharError, SegwitHrpstring, SegwitHrpstringError, UncheckedHrpstringError,
};
use bech32::primitives::hrp;

use crate::Problem;

/// What a Bitcoin address pays to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BitcoinKind {
    /// Pay to public key hash (Base58Check, `1…` or `m…`/`n…`).
    P2pkh,
    /// Pay to script hash (Base58Check, `3…` or `2…`).
    P2sh,
    /// A segwit output (bech32 or bech32m), with its witness version.
    Segwit {
        /// The witness version, 0 to 16 (0: bech32; 1 and up, such as Taproot: bech32m).
        version: u8,
    },
}

/// A Bitcoin address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BitcoinAddress {
    kind: BitcoinKind,
    testnet: bool,
    /// The hash (Base58Check) or the witness program (segwit).
    payload: Vec<u8>,
    /// The canonical spelling (lower-case for bech32).
    text: String,
}

impl BitcoinAddress {
    /// What it pays to.
    pub fn kind(&self) -> BitcoinKind {
        self.kind
    }

    /// Whether it is a testnet (or signet) address.
    pub fn is_testnet(&self) -> bool {
        self.testnet
    }

    /// The 20-byte hash (Base58Check) or the witness program (segwit).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The output script it stands for (`scriptPubKey`), as BIP-173, BIP-350 and Bitcoin
    /// Core's tests give it.
    pub fn script_pubkey(&self) -> Vec<u8> {
        let mut script = Vec::with_capacity(self.payload.len() + 5);
        match self.kind {
            BitcoinKind::P2pkh => {
                script.extend([0x76, 0xa9, 0x14]);
                script.extend(&self.payload);
                script.extend([0x88, 0xac]);
            }
            BitcoinKind::P2sh => {
                script.extend([0xa9, 0x14]);
                script.extend(&self.payload);
                script.push(0x87);
            }
            BitcoinKind::Segwit { version } => {
                script.push(if version == 0 { 0 } else { 0x50 + version });
                script.push(u8::try_from(self.payload.len()).unwrap_or(0));
                script.extend(&self.payload);
            }
        }
        script
    }
}

impl fmt::Display for BitcoinAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

pub(crate) fn parse(text: &str, want_testnet: bool) -> Result<BitcoinAddress, Problem> {
    let lower = text.to_ascii_lowercase();
    let address =
        if lower.starts_with("bc1") || lower.starts_with("tb1") || lower.starts_with("bcrt1") {
            segwit(text)?
        } else if looks_bech32(&lower) {
            let hrp = lower.rsplit_once('1').map_or("", |(hrp, _)| hrp);
            return Err(Problem::WrongNetwork {
                hrp: hrp.to_owned(),
            });
        } else {
            base58(text)?
        };
    match (address.testnet, want_testnet) {
        (true, false) => Err(Problem::TestnetForMainnet),
        (false, true) => Err(Problem::MainnetForTestnet),
        _ => Ok(address),
    }
}

/// The bech32 data characters.
const BECH32_CHARSET: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// Whether the text reads as bech32 of some other network (`ltc1…`, `bnb1…`) rather than
/// Base58: letters, the separator `1`, then at least a checksum's worth of bech32
/// characters.
fn looks_bech32(lower: &str) -> bool {
    lower.rsplit_once('1').is_some_and(|(hrp, data)| {
        (1..=10).contains(&hrp.len())
            && hrp.bytes().all(|b| b.is_ascii_lowercase())
            && data.len() >= 6
            && data.chars().all(|c| BECH32_CHARSET.contains(c))
    })
}

fn segwit(text: &str) -> Result<BitcoinAddress, Problem> {
    let parsed = SegwitHrpstring::new(text).map_err(segwit_problem)?;
    let found = parsed.hrp();
    let testnet = if found == hrp::BC {
        false
    } else if found == hrp::TB {
        true
    } else {
        return Err(Problem::WrongNetwork {
            hrp: found.to_lowercase(),
        });
    };
    let version = parsed.witness_version().to_u8();
    let payload: Vec<u8> = parsed.byte_iter().collect();
    let canonical = bech32::segwit::encode_lower_to_fmt_unchecked;
    let mut spelled = String::new();
    canonical(&mut spelled, found, parsed.witness_version(), &payload)
        .map_err(|_| Problem::Segwit("could not be written back".into()))?;
    Ok(BitcoinAddress {
        kind: BitcoinKind::Segwit { version },
        testnet,
        payload,
        text: spelled,
    })
}

fn segwit_problem(err: SegwitHrpstringError) -> Problem {
    match err {
        SegwitHrpstringError::Checksum(_) => Problem::Checksum(
            "the bech32 checksum does not match (bech32 for witness version 0, bech32m for 1 and up)",
        ),
        SegwitHrpstringError::Unchecked(UncheckedHrpstringError::Char(CharError::InvalidChar(
            c,
        ))) => Problem::Character {
            character: c,
            position: 0,
            alphabet: "bech32",
        },
        other => Problem::Segwit(other.to_string()),
    }
}

fn base58(text: &str) -> Result<BitcoinAddress, Problem> {
    let payload = crate::tron::decode_check(text)?;
    let (version, hash) = payload.split_first().ok_or(Problem::DecodedLength {
        expected: 21,
        found: 0,
    })?;
    if payload.len() != 21 {
        return Err(Problem::DecodedLength {
            expected: 21,
            found: payload.len(),
        });
    }
    let (kind, testnet) = match version {
        0x00 => (BitcoinKind::P2pkh, false),
        0x05 => (BitcoinKind::P2sh, false),
        0x6f => (BitcoinKind::P2pkh, true),
        0xc4 => (BitcoinKind::P2sh, true),
        &found => {
            return Err(Problem::VersionByte {
                found,
                expected: "0x00 or 0x05 (mainnet), 0x6f or 0xc4 (testnet)",
            });
        }
    };
    Ok(BitcoinAddress {
        kind,
        testnet,
        payload: hash.to_vec(),
        text: text.to_owned(),
    })
}
