//! The providers' network and currency names, mapped to address families; and the check a
//! provider crate runs before it signs or sends an address.

use crate::{Address, AddressError, Family};

/// The mainnets a provider's names can mean, each by its one name here and then every name
/// the providers use for it (Kryptonim's and Transak's `network`, Onramper's network ids,
/// Proof's token standards, EIP-155 chain ids): [`mainnet`] reads them.
const MAINNETS: &[(&str, Family, &[&str])] = &[
    (
        "ethereum",
        Family::Evm,
        &["eth", "erc20", "mainnet_ethereum", "1"],
    ),
    (
        "polygon",
        Family::Evm,
        &["matic", "pol", "polygon_pos", "137"],
    ),
    (
        "bsc",
        Family::Evm,
        &[
            "bnb",
            "bep20",
            "bnb_smart_chain",
            "binance_smart_chain",
            "bnbchain",
            "56",
        ],
    ),
    ("arbitrum", Family::Evm, &["arbitrum_one", "arb", "42161"]),
    ("optimism", Family::Evm, &["op", "op_mainnet", "10"]),
    ("base", Family::Evm, &["8453"]),
    (
        "avalanche",
        Family::Evm,
        &[
            "avaxcchain",
            "avax",
            "avalanche_c",
            "avalanche_c_chain",
            "c_chain",
            "43114",
        ],
    ),
    ("bitcoin", Family::Bitcoin, &["btc", "bitcoin_mainnet"]),
    ("tron", Family::Tron, &["trx", "trc20", "tron_mainnet"]),
    ("solana", Family::Solana, &["sol", "spl", "solana_mainnet"]),
];

/// Other EVM networks (testnets, and mainnets no quote names) by the names the providers use.
const EVM: &[&str] = &[
    "sepolia",
    "goerli",
    "holesky",
    "11155111",
    "polygon_amoy",
    "amoy",
    "mumbai",
    "80002",
    "80001",
    "97",
    "arbitrum_sepolia",
    "421614",
    "optimism_sepolia",
    "11155420",
    "base_sepolia",
    "84532",
    "43113",
    "fantom",
    "ftm",
    "250",
    "linea",
    "59144",
    "zksync",
    "zksync_era",
    "zksyncera",
    "324",
    "scroll",
    "534352",
    "celo",
    "42220",
    "gnosis",
    "xdai",
    "100",
    "cronos",
    "25",
    "moonbeam",
    "1284",
    "mantle",
    "5000",
    "blast",
    "81457",
    "polygon_zkevm",
    "1101",
    "sonic",
    "146",
    "unichain",
    "130",
    "world_chain",
    "480",
];

/// Bitcoin testnet names.
const BITCOIN_TESTNET: &[&str] = &[
    "bitcoin_testnet",
    "btc_testnet",
    "testnet3",
    "testnet4",
    "signet",
];
/// Tron testnets (the mainnet, and TRC-20, Proof's `fix_network` for USDT on Tron, are in
/// [`MAINNETS`]).
const TRON: &[&str] = &["nile", "shasta"];
/// Solana's devnet (the mainnet is in [`MAINNETS`]).
const SOLANA: &[&str] = &["solana_devnet"];

/// Crypto currency ids that name their own network (Onramper's `wallets` keys, Koinal's
/// `cryptocurrency`): the native coins. A token (`usdt`, `usdc`) lives on several networks
/// and says nothing alone.
const NATIVE_COINS: &[(&str, Family)] = &[
    ("btc", Family::Bitcoin),
    ("eth", Family::Evm),
    ("matic", Family::Evm),
    ("pol", Family::Evm),
    ("bnb", Family::Evm),
    ("avax", Family::Evm),
    ("arb", Family::Evm),
    ("op", Family::Evm),
    ("trx", Family::Tron),
    ("sol", Family::Solana),
];

fn normalize(name: &str) -> String {
    name.trim()
        .to_ascii_lowercase()
        .replace([' ', '-', '.'], "_")
}

/// The address family of a network, by any of the names the providers use for it
/// (`ethereum`, `polygon`, `bsc`, `BEP20`, `TRC20`, `avaxcchain`, `137`, `bitcoin`, `tron`,
/// `solana`, ...), or by a family's own name (`evm`, `bitcoin-testnet`), case-insensitive.
/// `None` for a network this crate does not know: its addresses cannot be checked.
///
/// ```
/// use ramp_address::{family_of, Family};
///
/// assert_eq!(family_of("polygon"), Some(Family::Evm));
/// assert_eq!(family_of("TRC20"), Some(Family::Tron));
/// assert_eq!(family_of("signet"), Some(Family::BitcoinTestnet));
/// assert_eq!(family_of("stellar"), None);
/// ```
pub fn family_of(network: &str) -> Option<Family> {
    // The lists hold normalized names; comparing through `fold` finds the same ones without
    // building the normalized name (this runs before every signature).
    let name = network.trim();
    let listed = |list: &[&str]| list.iter().any(|known| same_name(name, known));
    if let Some((_, family, _)) = find_mainnet(name) {
        Some(*family)
    } else if listed(EVM) {
        Some(Family::Evm)
    } else if listed(BITCOIN_TESTNET) {
        Some(Family::BitcoinTestnet)
    } else if listed(TRON) {
        Some(Family::Tron)
    } else if listed(SOLANA) {
        Some(Family::Solana)
    } else {
        Family::from_name(&normalize(network))
    }
}

/// The mainnet `network` names (any provider's name for it, case-insensitive), by its one
/// name here: `ethereum`, `polygon`, `bsc`, `arbitrum`, `optimism`, `base`, `avalanche`,
/// `bitcoin`, `tron`, `solana`. `None` for a testnet or a network not among these, so two
/// providers' names for one network compare equal.
///
/// ```
/// use ramp_address::mainnet;
///
/// assert_eq!(mainnet("ERC20"), Some("ethereum"));
/// assert_eq!(mainnet("56"), Some("bsc"));
/// assert_eq!(mainnet("trc20"), Some("tron"));
/// assert_eq!(mainnet("sepolia"), None);
/// ```
pub fn mainnet(network: &str) -> Option<&'static str> {
    find_mainnet(network.trim()).map(|(name, _, _)| *name)
}

fn find_mainnet(name: &str) -> Option<&'static (&'static str, Family, &'static [&'static str])> {
    MAINNETS.iter().find(|(canonical, _, aliases)| {
        same_name(name, canonical) || aliases.iter().any(|alias| same_name(name, alias))
    })
}

/// Whether a trimmed `name` normalizes to `known`: [`normalize`] maps byte for byte, so the
/// comparison can map as it goes.
fn same_name(name: &str, known: &str) -> bool {
    name.len() == known.len()
        && name
            .bytes()
            .zip(known.bytes())
            .all(|(byte, known)| fold(byte) == known)
}

/// One byte of [`normalize`]: ASCII lower-case, and ` `, `-`, `.` as `_`.
fn fold(byte: u8) -> u8 {
    match byte {
        b' ' | b'-' | b'.' => b'_',
        _ => byte.to_ascii_lowercase(),
    }
}

/// The address family of a crypto currency id as Onramper and Koinal write them: a native
/// coin (`btc`, `eth`, `sol`, `trx`, ...), or a token with its network after the last `_`
/// (`usdc_polygon`, `usdt_trc20`). `None` when the id does not say (`usdt` alone).
///
/// ```
/// use ramp_address::{family_of_crypto, Family};
///
/// assert_eq!(family_of_crypto("BTC"), Some(Family::Bitcoin));
/// assert_eq!(family_of_crypto("usdc_polygon"), Some(Family::Evm));
/// assert_eq!(family_of_crypto("usdt"), None);
/// ```
pub fn family_of_crypto(id: &str) -> Option<Family> {
    let id = normalize(id);
    if let Some((_, family)) = NATIVE_COINS.iter().find(|(coin, _)| *coin == id) {
        return Some(*family);
    }
    id.rsplit_once('_')
        .and_then(|(_, network)| family_of(network))
}

/// How strictly a provider crate checks addresses.
///
/// - A network this crate knows: the address must be valid for its family, always.
/// - A network it does not know: passed through unchecked by default; refused when
///   [`strict`](Self::strict) is set.
/// - [`testnet`](Self::testnet): Bitcoin addresses must be testnet ones (for a provider's
///   test environment).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    strict: bool,
    testnet: bool,
}

impl Policy {
    /// Refuses an address on a network this crate does not know, instead of passing it.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Expects testnet addresses where a network's testnet format differs (Bitcoin).
    pub fn testnet(mut self, testnet: bool) -> Self {
        self.testnet = testnet;
        self
    }

    /// Whether unknown networks are refused.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Whether testnet addresses are expected.
    pub fn is_testnet(&self) -> bool {
        self.testnet
    }
}

/// What is known about an address on a network.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Checked {
    /// Well formed for the network's family.
    Valid(Address),
    /// Not well formed: why.
    Invalid(AddressError),
    /// The network is not one this crate knows, so nothing was checked.
    UnknownNetwork,
}

impl Checked {
    /// Whether the address is known to be well formed.
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid(_))
    }
}

/// Checks `address` for the network named `network` (see [`family_of`]), without a verdict
/// on unknown networks: for addresses that arrive in webhooks and callbacks.
///
/// ```
/// use ramp_address::{assess, Checked};
///
/// assert!(assess("ethereum", "0x977BC1915dA4f7edA9D2e49BC08356db37478538", false).is_valid());
/// assert!(matches!(assess("ethereum", "0x977b", false), Checked::Invalid(_)));
/// assert_eq!(assess("stellar", "GA5Z…", false), Checked::UnknownNetwork);
/// ```
pub fn assess(network: &str, address: &str, testnet: bool) -> Checked {
    match family_of(network) {
        None => Checked::UnknownNetwork,
        Some(family) => {
            let family = if testnet { family.testnet() } else { family };
            match Address::parse(family, address) {
                Ok(address) => Checked::Valid(address),
                Err(err) => Checked::Invalid(err),
            }
        }
    }
}

/// Why a provider crate refuses an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// The address is not valid on its network.
    #[error("{error} (network {network:?})")]
    Invalid {
        /// The network, as the request names it.
        network: String,
        /// What is wrong.
        error: AddressError,
    },
    /// Strict checking is on and the network is not one this crate knows.
    #[error(
        "network {network:?} is not one whose addresses can be checked, and strict address \
         checking is on"
    )]
    UnknownNetwork {
        /// The network, as the request names it.
        network: String,
    },
}

/// Checks `address` for `network` under `policy`: `Ok(Some(address))` when valid,
/// `Ok(None)` when the network is unknown and the policy lets it pass.
///
/// ```
/// use ramp_address::{check, Policy};
///
/// assert!(check("polygon", "0x977BC1915dA4f7edA9D2e49BC08356db37478538", Policy::default())?.is_some());
/// assert!(check("stellar", "GA5Z", Policy::default())?.is_none());
/// assert!(check("stellar", "GA5Z", Policy::default().strict(true)).is_err());
/// # Ok::<(), ramp_address::CheckError>(())
/// ```
pub fn check(network: &str, address: &str, policy: Policy) -> Result<Option<Address>, CheckError> {
    match assess(network, address, policy.testnet) {
        Checked::Valid(address) => Ok(Some(address)),
        Checked::Invalid(error) => Err(CheckError::Invalid {
            network: network.to_owned(),
            error,
        }),
        Checked::UnknownNetwork if policy.strict => Err(CheckError::UnknownNetwork {
            network: network.to_owned(),
        }),
        Checked::UnknownNetwork => Ok(None),
    }
}

/// What can be checked of `address` before the environment is known, as a request's `build()`
/// does: on a network this crate knows, the address must be well formed for its family on
/// mainnet or on testnet (an EIP-55 checksum typo is refused here); an unknown network
/// passes. Whether testnet addresses are expected, and whether unknown networks are refused,
/// are the client's settings, checked with [`check`] when the request is sent.
///
/// ```
/// use ramp_address::check_format;
///
/// assert!(check_format("ethereum", "0x977BC1915dA4f7edA9D2e49BC08356db37478538").is_ok());
/// assert!(check_format("ethereum", "0x977BC1915dA4f7edA9D2e49BC08356db37478539").is_err());
/// assert!(check_format("bitcoin", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx").is_ok());
/// assert!(check_format("stellar", "GA5Z").is_ok());
/// ```
pub fn check_format(network: &str, address: &str) -> Result<(), CheckError> {
    let Some(family) = family_of(network) else {
        return Ok(());
    };
    match Address::parse(family, address) {
        Ok(_) => Ok(()),
        Err(_) if Address::parse(family.testnet(), address).is_ok() => Ok(()),
        Err(error) => Err(CheckError::Invalid {
            network: network.to_owned(),
            error,
        }),
    }
}
