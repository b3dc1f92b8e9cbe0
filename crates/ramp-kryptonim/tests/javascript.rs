//! Every body the SDK signs is a fixed point of JavaScript's `JSON.parse` then
//! `JSON.stringify`, and every amount it accepts survives as a JavaScript number (it accepts
//! at most 15 significant digits, or an integer up to 2^53): checked against Node.js itself
//! on requests made at random (amounts of every size and precision, metadata with
//! array-index keys, escapes, big integers and doubles).
//!
//! Needs `node` on `PATH` (`.ci/run` installs Debian's `nodejs` when it is missing).

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use ramp_kryptonim::{Decimal, Error, ErrorKind, WidgetSessionRequest};
use serde_json::Value;

/// Requests made per run.
const CASES: usize = 400;

/// Node reads one JSON line per case and answers one line per case: for `body`, whether the
/// body is a fixed point; for `amount`, whether `Number(text)` holds the decimal exactly
/// (the same digits and exponent once both are written out).
const SCRIPT: &str = r#"
const canonical = (text) => {
  let [m, exp] = text.toLowerCase().split('e');
  m = m.replace('-', '').replace('+', '');
  const [int, frac = ''] = m.split('.');
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.replace(/^0+/, '').replace(/0+$/, '');
  return digits === '' ? '0' : digits + 'e' + (int.length + Number(exp || 0) - lead);
};
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const line of lines) {
  const c = JSON.parse(line);
  if (c.body !== undefined) {
    console.log(JSON.stringify(JSON.parse(c.body)) === c.body ? 'fixed' : 'moved ' + JSON.stringify(JSON.parse(c.body)));
  } else {
    console.log(canonical(String(Number(c.amount))) === canonical(c.amount) ? 'exact' : 'inexact');
  }
}
"#;

fn amounts() -> impl Strategy<Value = Decimal> {
    (1u64..=u64::MAX, 0u32..=20, 0usize..=3).prop_map(|(n, scale, cut)| {
        // Few digits as often as many: small amounts are the usual ones.
        let n = match cut {
            0 => n % 1_000,
            1 => n % 1_000_000_000,
            2 => n % 10_000_000_000_000_000,
            _ => n,
        }
        .max(1);
        Decimal::from_i128_with_scale(i128::from(n), scale)
    })
}

fn metadata() -> impl Strategy<Value = Vec<(String, Value)>> {
    let key = prop_oneof![
        Just("0".to_owned()),
        Just("7".to_owned()),
        Just("10".to_owned()),
        Just("01".to_owned()),
        Just("-1".to_owned()),
        Just("4294967294".to_owned()),
        Just("4294967295".to_owned()),
        "[a-z]{1,6}",
        "\\PC{0,4}",
    ];
    let value = prop_oneof![
        "[\\x00-\\x7f\u{e9}\u{2028}\u{1f600}\"\\\\]{0,8}".prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e30f64..1e30).prop_map(Value::from),
        (0u64..10_000).prop_map(Value::from),
        Just(serde_json::json!({"10": 1, "2": [1, 2.5, "x"], "b": null, "a": true})),
    ];
    proptest::collection::vec((key, value), 0..5)
}

fn request(amount: Decimal, metadata: &[(String, Value)]) -> Result<WidgetSessionRequest, Error> {
    let mut builder = WidgetSessionRequest::builder()
        .fiat_amount(amount)
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
        .email("user@example.com");
    for (key, value) in metadata {
        builder = builder.metadata(key.as_str(), value.clone());
    }
    builder.build()
}

fn node(input: &str) -> Vec<String> {
    let mut child = Command::new("node")
        .args(["-e", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node is needed for this test (apt-get install nodejs; .ci/run does it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "node failed");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn signed_bodies_are_fixed_points_and_refusals_are_exactly_the_inexact_amounts() {
    let mut runner = TestRunner::deterministic();
    let cases = (amounts(), metadata());
    let mut input = String::new();
    // What each line asks, and what the SDK did.
    let mut asked: Vec<(String, Option<bool>)> = Vec::new();
    for _ in 0..CASES {
        let (amount, metadata) = cases.new_tree(&mut runner).unwrap().current();
        // Metadata with an inexact number is refused whatever the amount: checked with an
        // amount that is always exact.
        let with_metadata = request(Decimal::from(15), &metadata);
        match with_metadata.as_ref().map_err(Error::kind) {
            Ok(request) => {
                let body = String::from_utf8(request.to_body()).unwrap();
                input.push_str(&serde_json::json!({ "body": body }).to_string());
                input.push('\n');
                asked.push((body, None));
            }
            Err(ErrorKind::Validation { field, reason }) => {
                assert_eq!(*field, "metadata", "{reason}");
            }
            Err(other) => panic!("{other:?}"),
        }
        let accepted = request(amount, &[]).is_ok();
        let text = amount.normalize().to_string();
        input.push_str(&serde_json::json!({ "amount": text }).to_string());
        input.push('\n');
        asked.push((text, Some(accepted)));
    }
    let answers = node(&input);
    assert_eq!(answers.len(), asked.len());
    let (mut bodies, mut refused) = (0, 0);
    for ((what, accepted), answer) in asked.iter().zip(&answers) {
        match accepted {
            None => {
                bodies += 1;
                assert_eq!(
                    answer, "fixed",
                    "JSON.stringify(JSON.parse(body)) moved: {what}"
                );
            }
            Some(true) => {
                assert_eq!(
                    answer, "exact",
                    "an accepted amount does not survive: {what}"
                );
            }
            Some(false) => {
                refused += 1;
                assert!(significant_digits(what) > 15, "refused {what}");
            }
        }
    }
    // The run covered both sides.
    assert!(bodies > CASES / 4, "{bodies} bodies");
    assert!(
        refused > 10 && refused < CASES - 10,
        "{refused} amounts refused"
    );
}

/// Significant digits of a decimal's plain text.
fn significant_digits(text: &str) -> usize {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}
