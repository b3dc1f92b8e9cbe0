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
    assert_eq!(stdout.matches("  ok    ").count(), 5, "{stdout}");
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
