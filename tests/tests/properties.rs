//! The fuzz properties (`ramp_conformance::properties`) under proptest, so CI checks them on
//! every change: on every seed, on arbitrary bytes, on seeds with random edits, and on
//! generated well-formed inputs where random bytes rarely reach the interesting paths.

use proptest::prelude::*;
use ramp_conformance::properties::{self, ALL};
use ramp_conformance::seeds::seeds;

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, u8),
    Remove(usize),
    Replace(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Remove),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Replace(i, b)),
        // Printable ASCII separators matter most to the parsers.
        (
            any::<usize>(),
            prop::sample::select(b"&=,:%+#?.\"{}[] 0aA".to_vec())
        )
            .prop_map(|(i, b)| Edit::Insert(i, b)),
    ]
}

fn apply(mut data: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = data.len();
        match *edit {
            Edit::Insert(i, b) => data.insert(i % (len + 1), b),
            Edit::Remove(i) if len > 0 => {
                data.remove(i % len);
            }
            Edit::Replace(i, b) if len > 0 => data[i % len] = b,
            _ => {}
        }
    }
    data
}

#[test]
fn every_property_holds_on_its_seeds() {
    for (name, property) in ALL {
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "{name} has no seeds");
        for seed in seeds {
            property(&seed);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_property_holds_on_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..512)) {
        for (_, property) in ALL {
            property(&data);
        }
    }

    #[test]
    fn every_property_holds_on_edited_seeds(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        for (name, property) in ALL {
            let seeds = seeds(name);
            let seed = seeds[which.index(seeds.len())].clone();
            property(&apply(seed, &edits));
        }
    }

    #[test]
    fn onramper_properties_hold_on_generated_urls(
        wallets in prop::collection::vec(("[a-z0-9_]{1,8}", "[A-Za-z0-9:%+ ._~-]{1,12}"), 1..6),
        tags in prop::collection::vec(("[a-z]{1,5}", "[0-9]{1,6}"), 0..3),
        other in prop::collection::vec(("[a-zA-Z]{1,8}", "[ -~]{0,8}"), 0..3),
    ) {
        let join = |pairs: &[(String, String)]| {
            pairs.iter().map(|(id, v)| format!("{id}:{v}")).collect::<Vec<_>>().join(",")
        };
        let mut url = format!("https://buy.onramper.com/?apiKey=pk_test&wallets={}", join(&wallets));
        if !tags.is_empty() {
            url.push_str(&format!("&walletAddressTags={}", join(&tags)));
        }
        for (k, v) in &other {
            url.push_str(&format!("&{k}={v}"));
        }
        properties::onramper_sign_url(url.as_bytes());
        properties::onramper_verify_url(url.as_bytes());
    }

    #[test]
    fn kryptonim_properties_hold_on_generated_requests(
        amount in "[1-9][0-9]{0,6}(\\.[0-9]{1,18})?",
        crypto in prop::bool::ANY,
        metadata in prop::collection::vec(("[a-z]{1,8}", "[ -~]{0,10}"), 0..3),
    ) {
        let amount_field = if crypto { "cryptoAmount" } else { "fiatAmount" };
        let metadata: serde_json::Map<String, serde_json::Value> = metadata
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        let json = format!(
            r#"{{"{amount_field}":{amount},"fiatCurrency":"EUR","cryptoCurrency":"USDC","network":"polygon","destinationAddress":"0x977BC1915dA4f7edA9D2e49BC08356db37478538","metadata":{}}}"#,
            serde_json::Value::Object(metadata)
        );
        properties::kryptonim_request(json.as_bytes());
        properties::core_decimal(amount.as_bytes());
    }
}
