//! The official vectors (`tests/vectors/addresses.json`, each with its source): EIP-55,
//! every BIP-173 and BIP-350 vector, Bitcoin Core's Base58Check addresses, Tron and Solana.

use bech32::primitives::decode::CheckedHrpstring;
use bech32::{Bech32, Bech32m};
use ramp_address::{Address, BitcoinKind, Family, Problem};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/addresses.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn rows(value: &Value) -> Vec<Vec<&str>> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap_or(""))
                .collect()
        })
        .collect()
}

#[test]
fn eip_55() {
    let vectors = vectors();
    for text in strings(&vectors["eip55"]["valid"]) {
        let address = Address::parse(Family::Evm, text).unwrap();
        let Address::Evm(evm) = &address else {
            panic!()
        };
        let mixed = text[2..].bytes().any(|b| b.is_ascii_lowercase())
            && text[2..].bytes().any(|b| b.is_ascii_uppercase());
        assert_eq!(evm.was_checksummed(), mixed, "{text}");
        // Lower and upper case spell the same address without a checksum.
        assert_eq!(
            Address::parse(Family::Evm, &format!("0x{}", text[2..].to_lowercase())).unwrap(),
            Address::parse(Family::Evm, &format!("0x{}", text[2..].to_uppercase())).unwrap()
        );
    }
    for text in strings(&vectors["eip55"]["checksummed"]) {
        let lower = format!("0x{}", text[2..].to_lowercase());
        let address = Address::parse(Family::Evm, &lower).unwrap();
        assert_eq!(address.to_string(), text);
        // Each letter's case flipped on its own breaks the checksum.
        for (i, c) in text
            .char_indices()
            .skip(2)
            .filter(|(_, c)| c.is_ascii_alphabetic())
        {
            let flipped = if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            };
            let changed = format!("{}{flipped}{}", &text[..i], &text[i + 1..]);
            let err = Address::parse(Family::Evm, &changed).unwrap_err();
            assert!(
                matches!(err.problem, Problem::Checksum(_)),
                "{changed}: {err}"
            );
        }
    }
}

#[test]
fn every_bip_173_and_bip_350_string_decodes_as_the_bip_says() {
    let vectors = vectors();
    for group in vectors["bech32_strings"].as_array().unwrap() {
        let bech32m = group["encoding"] == "bech32m";
        for text in strings(&group["valid"]) {
            let ok = if bech32m {
                CheckedHrpstring::new::<Bech32m>(text).is_ok()
            } else {
                CheckedHrpstring::new::<Bech32>(text).is_ok()
            };
            assert!(ok, "{text} should be valid {}", group["encoding"]);
            // Valid strings, but no Bitcoin address.
            assert!(Address::parse(Family::Bitcoin, text).is_err(), "{text}");
        }
        for text in strings(&group["invalid"]) {
            let ok = if bech32m {
                CheckedHrpstring::new::<Bech32m>(text).is_ok()
            } else {
                CheckedHrpstring::new::<Bech32>(text).is_ok()
            };
            assert!(!ok, "{text:?} should be invalid {}", group["encoding"]);
        }
    }
}

#[test]
fn every_valid_segwit_address_gives_its_script_and_every_invalid_one_is_refused() {
    let vectors = vectors();
    for row in rows(&vectors["segwit_valid"]) {
        let (source, text, script) = (row[0], row[1], row[2]);
        let testnet = text.to_lowercase().starts_with("tb1");
        let family = if testnet {
            Family::BitcoinTestnet
        } else {
            Family::Bitcoin
        };
        let address =
            Address::parse(family, text).unwrap_or_else(|err| panic!("{source} {text}: {err}"));
        let Address::Bitcoin(bitcoin) = &address else {
            panic!()
        };
        assert_eq!(hex::encode(bitcoin.script_pubkey()), script, "{text}");
        assert!(matches!(bitcoin.kind(), BitcoinKind::Segwit { .. }));
        assert_eq!(address.to_string(), text.to_lowercase());
        // The other network refuses it, saying which it is.
        let other = Address::parse(
            if testnet {
                Family::Bitcoin
            } else {
                Family::BitcoinTestnet
            },
            text,
        )
        .unwrap_err();
        assert!(
            matches!(
                other.problem,
                Problem::TestnetForMainnet | Problem::MainnetForTestnet
            ),
            "{text}: {other}"
        );
    }
    for row in rows(&vectors["segwit_invalid"]) {
        let (text, reason) = (row[1], row[2]);
        for family in [Family::Bitcoin, Family::BitcoinTestnet] {
            assert!(
                Address::parse(family, text).is_err(),
                "{text} ({reason}) accepted as {family}"
            );
        }
    }
}

#[test]
fn base58check_addresses_give_their_scripts_and_keys_are_not_addresses() {
    let vectors = vectors();
    for row in rows(&vectors["base58check_valid"]) {
        let (text, script, chain) = (row[1], row[2], row[3]);
        let family = if chain == "main" {
            Family::Bitcoin
        } else {
            Family::BitcoinTestnet
        };
        let address = Address::parse(family, text).unwrap_or_else(|err| panic!("{text}: {err}"));
        let Address::Bitcoin(bitcoin) = &address else {
            panic!()
        };
        assert_eq!(hex::encode(bitcoin.script_pubkey()), script, "{text}");
        assert_eq!(address.to_string(), text);
    }
    for row in rows(&vectors["base58check_not_addresses"]) {
        let err = Address::parse(Family::Bitcoin, row[1]).unwrap_err();
        assert!(
            matches!(
                err.problem,
                Problem::VersionByte { .. } | Problem::DecodedLength { .. }
            ),
            "{}: {err}",
            row[1]
        );
    }
}

#[test]
fn tron_and_solana_decode_to_their_bytes() {
    let vectors = vectors();
    for row in rows(&vectors["tron"]) {
        let Address::Tron(tron) = Address::parse(Family::Tron, row[1]).unwrap() else {
            panic!()
        };
        assert_eq!(hex::encode(tron.bytes()), row[2]);
        assert_eq!(tron.to_string(), row[1]);
    }
    for row in rows(&vectors["solana"]) {
        let Address::Solana(solana) = Address::parse(Family::Solana, row[1]).unwrap() else {
            panic!()
        };
        assert_eq!(hex::encode(solana.bytes()), row[2]);
        assert_eq!(solana.to_string(), row[1]);
    }
}
