//! The `ramp` binary: exit codes and output.

use std::process::Command;

fn ramp() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ramp"))
}

#[test]
fn demo_runs_every_provider_and_exits_zero() {
    let output = ramp().arg("demo").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for provider in ["kryptonim", "proof", "transak", "koinal", "onramper"] {
        assert!(
            stdout.contains(&format!("\n{provider}\n")),
            "{provider} missing:\n{stdout}"
        );
    }
    // One step per provider, Onramper's Checkout V2 besides its widget URL, and every order
    // followed to its end through one webhook endpoint.
    assert_eq!(stdout.matches("  ok    ").count(), 7, "{stdout}");
    assert!(
        stdout.contains(
            "  ok    follow every order to its end through one webhook endpoint: 5 events, each \
             handled once; every order at a final status (one read by the tracker: its push \
             never came)"
        ),
        "{stdout}"
    );
    for provider in ["proof", "transak", "koinal", "onramper"] {
        assert!(
            stdout.contains(&format!("        event      {provider} ")),
            "no {provider} event:\n{stdout}"
        );
    }
    // Every provider's quote compared; the best comparable offer checked out and followed.
    assert!(
        stdout.contains(
            "  ok    compare every provider's quote, check out at the best (Checkout V2): \
             best: onramper/sandbox-b (0.0330 ETH); checked out: session "
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "        offer      koinal               0.04 ETH for 100 EUR  (not compared: network \
             not said, payment method not said)"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("resume="),
        "the redirect URL's token was printed"
    );
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(stdout.ends_with("all 5 providers succeeded\n"), "{stdout}");
}

#[test]
fn the_sandbox_on_a_taken_port_is_a_clear_failure() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = ramp()
        .args(["sandbox", "--port", &port.to_string()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "ramp: could not start the sandbox on port {port}:"
        )),
        "{stderr}"
    );
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let output = ramp().arg("launch").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let help = ramp().arg("--help").output().unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(text.contains("demo") && text.contains("sandbox"), "{text}");
}

#[test]
fn address_check_prints_the_parsed_form_or_the_reason() {
    let check = |network: &str, address: &str| {
        ramp()
            .args(["address", "check", network, address])
            .output()
            .unwrap()
    };
    for (network, address, printed) in [
        (
            "ethereum",
            "0x977bc1915da4f7eda9d2e49bc08356db37478538",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
        ),
        (
            "polygon",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
        ),
        (
            "evm",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478538",
        ),
        (
            "bitcoin",
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        ),
        (
            "bitcoin-testnet",
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        ),
        (
            "TRC20",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
        ),
        (
            "tron",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
        ),
        (
            "solana",
            "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
            "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        ),
    ] {
        let output = check(network, address);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{network} {address}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            format!("{printed}\n")
        );
    }
    for (network, address, reason) in [
        (
            "ethereum",
            "0x977BC1915dA4f7edA9D2e49BC08356db37478539",
            "ramp: not a valid EVM address: the EIP-55 checksum (the case of its letters) does not match\n",
        ),
        (
            "bitcoin",
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            "ramp: not a valid Bitcoin address: it is a testnet address, and a mainnet one is needed\n",
        ),
        (
            "tron",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM",
            "ramp: not a valid Tron address: the Base58Check checksum does not match\n",
        ),
    ] {
        let output = check(network, address);
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty());
        assert_eq!(String::from_utf8(output.stderr).unwrap(), reason);
    }
    let unknown = check("stellar", "GA5Z");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown network \"stellar\""));
}

#[path = "cli/tools.rs"]
mod tools;
#[path = "cli/trigger.rs"]
mod trigger;
