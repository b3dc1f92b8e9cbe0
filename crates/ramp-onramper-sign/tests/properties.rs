//! Property tests: for random wallets, parameter orders and percent-encodings, the sign
//! content equals what the seed's algorithm (with `hmac.update` fixed and a first-`:` split)
//! gives, signed URLs verify, and any changed byte of a signed value or of the signature is
//! refused.

use proptest::prelude::*;
use ramp_onramper_sign::{SecretString, sign_content, sign_url, verify_url};

const SENSITIVE: [&str; 3] = ["wallets", "networkWallets", "walletAddressTags"];

/// A port of the seed's `arrangeStringAlphabetically`, written from the JavaScript and not
/// from the crate: parse into "objects", sort entries as JavaScript sorts arrays of
/// `[key, value]` (by the string `key,value`, UTF-16 code units), re-insert into an object
/// (integer-like keys first, ascending), sort top-level keys, join.
fn seed_arrange(input: &str) -> String {
    type Obj = Vec<(String, String)>;
    fn insert(obj: &mut Obj, k: String, v: String) {
        match obj.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => obj.push((k, v)),
        }
    }
    fn own_keys_order(obj: Obj) -> Obj {
        let is_index = |k: &str| {
            (k == "0" || (!k.starts_with('0') && k.bytes().all(|b| b.is_ascii_digit())))
                && k.parse::<u64>().is_ok_and(|n| n < u32::MAX as u64)
        };
        let (mut ints, strs): (Obj, Obj) = obj.into_iter().partition(|(k, _)| is_index(k));
        ints.sort_by_key(|(k, _)| k.parse::<u64>().unwrap());
        ints.into_iter().chain(strs).collect()
    }
    let mut top: Vec<(String, Obj)> = Vec::new();
    for pair in input.split('&') {
        let (key, value) = pair.split_once('=').unwrap();
        let mut nested = Obj::new();
        for nested_pair in value.split(',') {
            let (k, v) = nested_pair.split_once(':').unwrap();
            insert(&mut nested, k.to_owned(), v.to_owned());
        }
        top.push((key.to_owned(), own_keys_order(nested)));
    }
    for (_, obj) in &mut top {
        let mut entries = std::mem::take(obj);
        entries.sort_by(|a, b| {
            let a: Vec<u16> = format!("{},{}", a.0, a.1).encode_utf16().collect();
            let b: Vec<u16> = format!("{},{}", b.0, b.1).encode_utf16().collect();
            a.cmp(&b)
        });
        *obj = own_keys_order(entries);
    }
    top.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    top.iter()
        .map(|(k, obj)| {
            let nested: Vec<String> = obj.iter().map(|(a, b)| format!("{a}:{b}")).collect();
            format!("{k}={}", nested.join(","))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes the bytes of `text` chosen by `mask` (cycled), with random hex case.
fn encode(text: &str, mask: &[bool], upper: bool) -> String {
    let mut out = String::new();
    for (i, b) in text.bytes().enumerate() {
        if mask.is_empty() || !mask[i % mask.len()] {
            out.push(b as char);
        } else if upper {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Case {
    /// `(parameter, [(id, value)])` for the sensitive parameters present.
    sensitive: Vec<(&'static str, Vec<(String, String)>)>,
    /// Other parameters.
    others: Vec<(String, String)>,
    /// Order of all parameters: indexes into sensitive, then others.
    order: Vec<usize>,
    mask: Vec<bool>,
    upper: bool,
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    // Ids: lower-case letters, digits (integer-like ids included) and `_`; values: address
    // characters, `:` included (a `bitcoincash:` address).
    prop::collection::btree_map("[a-z0-9_]{1,6}", "[A-Za-z0-9][A-Za-z0-9:._~-]{0,40}", 1..5)
        .prop_map(|m| m.into_iter().collect::<Vec<_>>())
        .prop_shuffle()
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::option::of(pairs()),
        prop::option::of(pairs()),
        prop::option::of(pairs()),
        prop::collection::vec(("[a-zA-Z]{1,8}", "[A-Za-z0-9 _.-]{0,12}"), 0..3),
        prop::collection::vec(any::<bool>(), 0..7),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_filter("something to sign", |(a, b, c, ..)| {
            a.is_some() || b.is_some() || c.is_some()
        })
        .prop_map(|(a, b, c, others, mask, upper, seed)| {
            let sensitive: Vec<_> = SENSITIVE
                .iter()
                .zip([a, b, c])
                .filter_map(|(name, p)| p.map(|p| (*name, p)))
                .collect();
            let others: Vec<_> = others
                .into_iter()
                .filter(|(k, _)| !SENSITIVE.contains(&k.as_str()) && k != "signature")
                .collect();
            let mut order: Vec<usize> = (0..sensitive.len() + others.len()).collect();
            // A deterministic shuffle from the seed.
            let mut s = seed;
            for i in (1..order.len()).rev() {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                order.swap(i, (s >> 33) as usize % (i + 1));
            }
            Case {
                sensitive,
                others,
                order,
                mask,
                upper,
            }
        })
}

impl Case {
    /// The URL, and the byte ranges of the sensitive values in it.
    fn url(&self) -> (String, Vec<std::ops::Range<usize>>) {
        let mut url = String::from("https://buy.onramper.com/?");
        let mut ranges = Vec::new();
        for (n, &i) in self.order.iter().enumerate() {
            if n > 0 {
                url.push('&');
            }
            if let Some((name, pairs)) = self.sensitive.get(i) {
                url.push_str(name);
                url.push('=');
                let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                let start = url.len();
                url.push_str(&encode(&joined.join(","), &self.mask, self.upper));
                ranges.push(start..url.len());
            } else {
                let (k, v) = &self.others[i - self.sensitive.len()];
                url.push_str(&format!("{k}={}", v.replace(' ', "%20")));
            }
        }
        (url, ranges)
    }

    /// The seed's input: the sensitive parameters, unencoded, in URL order.
    fn seed_input(&self) -> String {
        self.order
            .iter()
            .filter_map(|&i| self.sensitive.get(i))
            .map(|(name, pairs)| {
                let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{name}={}", joined.join(","))
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn sign_content_matches_the_seed_algorithm(case in case()) {
        let (url, _) = case.url();
        prop_assert_eq!(sign_content(&url).unwrap(), seed_arrange(&case.seed_input()));
    }

    #[test]
    fn signed_urls_verify_and_any_changed_byte_is_refused(
        case in case(),
        secret in "[!-~][ -~]{0,39}",
        pick in any::<prop::sample::Index>(),
    ) {
        let secret = SecretString::from(secret);
        let (url, ranges) = case.url();
        let signed = sign_url(&url, &secret).unwrap();
        prop_assert!(signed.starts_with(&url));
        prop_assert_eq!(verify_url(&signed, &secret), Ok(()));

        // One byte of one sensitive value.
        let positions: Vec<usize> = ranges.into_iter().flatten().collect();
        let at = positions[pick.index(positions.len())];
        let mut bytes = signed.clone().into_bytes();
        bytes[at] ^= 0x01;
        let tampered = String::from_utf8(bytes).unwrap();
        prop_assert!(verify_url(&tampered, &secret).is_err(), "{}", tampered);

        // One byte of the signature.
        let sig_start = signed.len() - 64;
        let at = sig_start + pick.index(64);
        let mut bytes = signed.into_bytes();
        bytes[at] ^= 0x01;
        let tampered = String::from_utf8(bytes).unwrap();
        prop_assert!(verify_url(&tampered, &secret).is_err(), "{}", tampered);
    }
}

#[test]
fn the_reference_reproduces_the_seed_example() {
    let seed = "wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71&networkWallets=ethereum:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2,bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2&walletAddressTags=btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,eth:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2";
    let arranged = seed_arrange(seed);
    assert!(
        arranged.starts_with("networkWallets=bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,ethereum:")
    );
    assert_eq!(
        ramp_core::hmac_sha256_hex(b"secret", arranged.as_bytes()),
        "971d89d7a49c76bc96b991191cb151a1d1aab6c4aa94507b0cf836542c69750c"
    );
    assert_eq!(sign_content(seed).unwrap(), arranged);
}
