//! `ramp sandbox` prints everything a client needs: every base URL (Onramper's API host too)
//! and every test credential, key and webhook secret.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use ramp_sandbox::credentials as c;

#[test]
fn the_sandbox_prints_every_url_credential_key_and_secret() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ramp"))
        .args(["sandbox", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut printed = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let last = line.starts_with("These are public test credentials");
        printed.push_str(&line);
        printed.push('\n');
        if last {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let base = printed
        .lines()
        .next()
        .unwrap()
        .strip_prefix("ramp sandbox listening on ")
        .unwrap()
        .to_owned();
    for path in [
        "kryptonim/",
        "proof/",
        "transak/api/",
        "transak/gateway/",
        "koinal/",
        "onramper/",
        "onramper/api/",
    ] {
        assert!(
            printed.contains(&format!("{base}/{path} "))
                || printed.contains(&format!("{base}/{path}\n")),
            "{path}: {printed}"
        );
    }
    let merchant = c::KOINAL_MERCHANT_CODE.to_string();
    for credential in [
        c::KRYPTONIM_API_KEY,
        c::KRYPTONIM_SIGNATURE_SECRET,
        c::PROOF_CLIENT_TOKEN,
        c::PROOF_ORIGIN,
        c::TRANSAK_API_KEY,
        c::TRANSAK_API_SECRET,
        &merchant,
        c::KOINAL_SECRET,
        c::KOINAL_CALLBACK_SECRET,
        c::ONRAMPER_API_KEY,
        c::ONRAMPER_SIGNING_SECRET,
        c::ONRAMPER_WEBHOOK_SECRET,
        c::ONRAMPER_V2_PUBLIC_KEY_HEX,
    ] {
        assert!(printed.contains(credential), "{credential} is not printed");
    }
    for line in c::ONRAMPER_V2_PRIVATE_KEY_PEM.lines() {
        assert!(
            printed.contains(line),
            "the V2 private key is not printed whole"
        );
    }
}
