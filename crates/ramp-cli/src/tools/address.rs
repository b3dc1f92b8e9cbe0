//! `ramp address check NETWORK ADDRESS`: is this a well-formed address for that network?

use clap::Subcommand;
use serde_json::json;

use super::{Output, Result};

#[derive(Subcommand)]
pub(crate) enum AddressCommand {
    /// Checks ADDRESS for NETWORK: prints the parsed address (EIP-55 checksummed for EVM,
    /// lower-case for bech32) and exits 0, or prints why not and exits 1.
    Check {
        /// A provider's network name (`ethereum`, `polygon`, `bsc`, `bitcoin`, `tron`,
        /// `solana`, `TRC20`, `ERC20`, `137`, ...) or a family (`evm`, `bitcoin`,
        /// `bitcoin-testnet`, `tron`, `solana`).
        network: String,
        /// The address.
        address: String,
    },
}

impl AddressCommand {
    pub(crate) fn run(self) -> Result<Output> {
        match self {
            Self::Check { network, address } => {
                let family = ramp_address::family_of(&network).ok_or_else(|| {
                    format!(
                        "unknown network {network:?}: give a provider's network name (ethereum, \
                         polygon, bitcoin, tron, solana, TRC20, ...) or a family (evm, bitcoin, \
                         bitcoin-testnet, tron, solana)"
                    )
                })?;
                let parsed = ramp_address::Address::parse(family, &address)
                    .map_err(|err| err.to_string())?;
                let checksummed = match &parsed {
                    ramp_address::Address::Evm(evm) => Some(evm.was_checksummed()),
                    _ => None,
                };
                Ok(Output {
                    text: parsed.to_string(),
                    json: json!({ "valid": true, "family": family.name(),
                                  "address": parsed.to_string(), "checksummed": checksummed }),
                })
            }
        }
    }
}
