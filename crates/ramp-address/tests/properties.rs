//! Properties: a valid address with any one character changed is refused (every checksummed
//! format), parse-then-format round-trips, nothing panics; and the errors read well.

use proptest::prelude::*;
use ramp_address::{
    Address, CheckError, Checked, Family, Policy, Problem, assess, check, family_of,
};

/// Valid addresses of every checksummed format.
const CHECKSUMMED: &[(Family, &str)] = &[
    (Family::Evm, "0x977BC1915dA4f7edA9D2e49BC08356db37478538"),
    (Family::Evm, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
    (Family::Bitcoin, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
    (Family::Bitcoin, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    (
        Family::Bitcoin,
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    ),
    (
        Family::Bitcoin,
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ),
    (
        Family::BitcoinTestnet,
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
    ),
    (Family::BitcoinTestnet, "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"),
    (Family::Tron, "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"),
    (Family::Tron, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
];

/// The characters a changed character may become: each format's alphabet and its neighbours.
const ALPHABET: &[u8] =
    b"0123456789abcdefABCDEFqpzry9x8gf2tvdw0s3jn54khce6mua7lGHJKLMNPQRSTUVWXYZghijkmnopqrstuvwxyz";

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_one_changed_character_is_refused(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        replacement in prop::sample::select(ALPHABET.to_vec()),
    ) {
        let (family, text) = CHECKSUMMED[which.index(CHECKSUMMED.len())];
        // The part after a fixed prefix (0x, bc1, tb1): every character the checksum covers.
        let skip = if text.starts_with("0x") { 2 } else { 0 };
        let i = skip + at.index(text.len() - skip);
        let original = text.as_bytes()[i];
        prop_assume!(replacement != original);
        let mut changed = text.as_bytes().to_vec();
        changed[i] = replacement;
        let changed = String::from_utf8(changed).unwrap();
        // A change of case in a bech32 address is refused as mixed case; in an all-lowercase
        // EVM address a digit-for-digit swap is a different, equally valid address, so only
        // checksummed (mixed-case) EVM addresses are tried here.
        let result = Address::parse(family, &changed);
        prop_assert!(result.is_err(), "{} accepted", changed);
    }

    #[test]
    fn parse_then_format_round_trips(which in any::<prop::sample::Index>(), upper in any::<bool>()) {
        let (family, text) = CHECKSUMMED[which.index(CHECKSUMMED.len())];
        let address = Address::parse(family, text).unwrap();
        let printed = address.to_string();
        prop_assert_eq!(Address::parse(family, &printed).unwrap(), address.clone());
        prop_assert_eq!(address.family(), family);
        // Spelled in one case, bech32 and unchecksummed hex parse to the same address.
        if text.starts_with("0x") || text.starts_with("bc1") || text.starts_with("tb1") {
            let recased = if upper { text.to_uppercase() } else { text.to_lowercase() };
            let recased = match recased.strip_prefix("0X") {
                Some(digits) => format!("0x{digits}"),
                None => recased,
            };
            prop_assert_eq!(Address::parse(family, &recased).unwrap(), address);
        }
    }

    #[test]
    fn nothing_panics(text in "\\PC{0,100}", family in prop::sample::select(vec![
        Family::Evm, Family::Bitcoin, Family::BitcoinTestnet, Family::Tron, Family::Solana,
    ])) {
        let _ = Address::parse(family, &text);
        let _ = assess(&text, &text, false);
    }

    #[test]
    fn random_evm_addresses_round_trip(bytes in prop::array::uniform20(any::<u8>())) {
        let lower = format!("0x{}", hex::encode(bytes));
        let address = Address::parse(Family::Evm, &lower).unwrap();
        let checksummed = address.to_string();
        prop_assert_eq!(Address::parse(Family::Evm, &checksummed).unwrap(), address);
    }
}

#[test]
fn the_seeds_real_address_works_and_placeholders_are_said_to_be_placeholders() {
    // Kryptonim's seed example is a real, checksummed EVM address.
    let seed = "0x977BC1915dA4f7edA9D2e49BC08356db37478538";
    assert!(check("polygon", seed, Policy::default()).unwrap().is_some());
    // Onramper's seed uses placeholders: "1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71" as an ETH address
    // and "1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2" as an Ethereum network wallet are not valid,
    // which is why sign_url signs what it is given and only the builder checks.
    assert!(
        check(
            "ethereum",
            "1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2",
            Policy::default()
        )
        .is_err()
    );
    assert!(
        check(
            "bitcoin",
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            Policy::default()
        )
        .is_ok()
    );
}

#[test]
fn errors_name_the_family_and_what_failed() {
    let cases = [
        (Family::Evm, "", "not a valid EVM address: it is empty"),
        (
            Family::Evm,
            " 0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            "not a valid EVM address: it has leading or trailing whitespace",
        ),
        (
            Family::Evm,
            "0x977BC1915dA4f7edA9D2e49BC08356db3747853",
            "not a valid EVM address: it is 41 characters long, not 42 (0x and 40 hex digits)",
        ),
        (
            Family::Evm,
            "0x977BC1915dA4f7edA9D2e49BC08356db3747853g",
            "not a valid EVM address: character 'g' at position 41 is not in the hex alphabet",
        ),
        (
            Family::Evm,
            "0x977BC1915dA4f7edA9D2e49BC08356db37478\u{e9}8",
            "not a valid EVM address: character '\u{e9}' at position 39 is not in the hex alphabet",
        ),
        (
            Family::Evm,
            "977BC1915dA4f7edA9D2e49BC08356db37478538",
            "not a valid EVM address: it must start with 0x",
        ),
        (
            Family::Bitcoin,
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            "not a valid Bitcoin address: it is a testnet address, and a mainnet one is needed",
        ),
        (
            Family::BitcoinTestnet,
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            "not a valid Bitcoin testnet address: it is a mainnet address, and a testnet one is needed",
        ),
        (
            Family::Bitcoin,
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",
            "not a valid Bitcoin address: the Base58Check checksum does not match",
        ),
        (
            Family::Bitcoin,
            "ltc1qg82tdnd5fgs6v9t0y3z8x8d8fj0s0lhq8d6f0e",
            "not a valid Bitcoin address: its human-readable part \"ltc\" is not this network's",
        ),
        (
            Family::Tron,
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            "not a valid Tron address: its version byte is 0x00, which is not 0x41",
        ),
        (
            Family::Solana,
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            "not a valid Solana address: character '0' at position 0 is not in the Base58 alphabet",
        ),
        (
            Family::Solana,
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            "not a valid Solana address: it decodes to 25 bytes, not 32",
        ),
    ];
    for (family, text, message) in cases {
        let err = Address::parse(family, text).unwrap_err();
        assert_eq!(err.to_string(), message, "{text}");
    }
    assert!(matches!(
        Address::parse(
            Family::Bitcoin,
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"
        )
        .unwrap_err()
        .problem,
        Problem::Checksum(_)
    ));
}

#[test]
fn provider_network_names_map_to_families() {
    for (name, family) in [
        ("ethereum", Family::Evm),
        ("Polygon", Family::Evm),
        ("bsc", Family::Evm),
        ("BEP20", Family::Evm),
        ("ERC20", Family::Evm),
        ("arbitrum", Family::Evm),
        ("optimism", Family::Evm),
        ("base", Family::Evm),
        ("avaxcchain", Family::Evm),
        ("137", Family::Evm),
        ("80002", Family::Evm),
        ("bitcoin", Family::Bitcoin),
        ("TRC20", Family::Tron),
        ("tron", Family::Tron),
        ("solana", Family::Solana),
        ("SOL", Family::Solana),
    ] {
        assert_eq!(family_of(name), Some(family), "{name}");
    }
    assert_eq!(family_of("stellar"), None);
    assert_eq!(
        check("stellar", "GABC", Policy::default().strict(true)).unwrap_err(),
        CheckError::UnknownNetwork {
            network: "stellar".into()
        }
    );
    assert_eq!(
        assess("ripple", "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe", false),
        Checked::UnknownNetwork
    );
    // A testnet policy wants testnet Bitcoin addresses; EVM is the same on both.
    assert!(
        check(
            "bitcoin",
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            Policy::default().testnet(true)
        )
        .is_ok()
    );
    assert!(
        check(
            "polygon",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            Policy::default().testnet(true)
        )
        .is_ok()
    );
    let err = check("bitcoin", "not an address", Policy::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a valid Bitcoin address: character ' ' at position 3 is not in the Base58 alphabet (network \"bitcoin\")"
    );
}
