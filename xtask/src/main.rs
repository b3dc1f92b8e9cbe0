//! Workspace automation, run as `cargo xtask <command>`.
//!
//! - `cargo xtask test [-p <crate>]...`: every test (unit, integration, doc, wiremock contract
//!   and insta snapshot tests). A snapshot that differs or is new fails the run; nothing is
//!   written for review behind your back.
//! - `cargo xtask ci`: what CI enforces: formatting, clippy with `-D warnings`, the tests,
//!   rustdoc with `-D warnings`, the pure-build dependency check and `cargo package` for every
//!   publishable crate.
//!
//! - `cargo xtask fuzz [--seconds N] [TARGET]`: every cargo-fuzz target in `fuzz/` (or one),
//!   N seconds each (default 60), seeded from the test vectors; prints executions and crashes
//!   per target. Needs the nightly toolchain and `cargo install cargo-fuzz`.
//!
//! - `cargo xtask bench [--rounds N] [--quick] [FILTER]`: the benchmark suite of `ramp-bench`
//!   (criterion): every SDK hot path and its hand-written baseline in the same process, in
//!   interleaved rounds. Prints one table (SDK, baseline, ratio median/min/max per path) and
//!   writes it with a JSON report under `target/bench/`. Nothing in `test` or `ci` times
//!   anything.
//!
//! No dependencies: cargo is called through `$CARGO`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod bench;
mod ci;
mod fuzz;
mod load;
mod packages;
mod test;
mod tools;

use bench::*;
use ci::*;
use fuzz::*;
use load::*;
use packages::*;
use test::*;
use tools::*;

/// Features enabled for workspace-wide runs, so the optional HTTP plumbing, the Redis token
/// store (tested against a real `redis-server`) and Proof's live updates are built and tested.
const WORKSPACE_FEATURES: &str = "ramp-core/http,ramp-transak/redis,ramp-proof/websocket";

/// Crates whose default build must not pull in an HTTP stack or async runtime.
const PURE_CRATES: &[&str] = &["ramp-core", "ramp-onramper-sign"];

/// Dependencies a pure crate must not have.
const FORBIDDEN_IN_PURE: &[&str] = &["reqwest", "hyper", "tokio"];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(&packages(&args[1..])),
        Some("ci") => match args.get(1).map(String::as_str) {
            None => ci(true),
            Some("--skip-tests") => ci(false),
            Some(other) => Err(format!("unknown ci option {other} (only --skip-tests)")),
        },
        Some("load") => load(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask test [-p <crate>]...\n       cargo xtask ci [--skip-tests]\n\n\
                 test  every test in the workspace (or the given crates); fails on a new or\n      \
                 changed snapshot\n\
                 ci    [--skip-tests] fmt, clippy -D warnings, tests, rustdoc -D warnings,\n      \
                 pure-build check, each crate packaged and built alone in release order\n\
                 load  [--run sessions|webhooks|faults|all] [--sessions N] [--concurrency C]\n      \
                 [--instances N] [--store memory|redis] [--deliveries N] [--orders N]:\n      \
                 concurrent sessions\n      \
                 through the SDK clients (N processes) against a sandbox process (throughput,\n      \
                 errors, Transak token refreshes, sandbox peak memory); then webhook deliveries\n      \
                 (duplicates, forgeries, oversized, Redis killed half-way) to `ramp listen` and\n      \
                 to a bare axum HMAC handler (each event handled once, throughput, peak memory);\n      \
                 then three replicas on Redis, then Postgres, through kills, a store restart,\n      \
                 failing reads and a skewed clock (lost, doubled, shown by their ledger)\n\
                 fuzz  [--seconds N] [TARGET]: the cargo-fuzz targets (nightly), N seconds each\n\
                 bench [--rounds N] [--quick] [FILTER]: every SDK hot path against its\n      \
                 hand-written baseline in interleaved rounds; prints the table, writes\n      \
                 target/bench/report.json"
            );
            Err("unknown command".into())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

/// `-p a -p b` or `--package a` into crate names.
fn packages(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-p" | "--package" => out.extend(it.next().cloned()),
            other => {
                if let Some(p) = other.strip_prefix("--package=") {
                    out.push(p.to_owned());
                }
            }
        }
    }
    out
}

fn root() -> PathBuf {
    // xtask/ is one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut cmd = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn run(mut cmd: Command) -> Result {
    eprintln!("$ {}", describe(&cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("could not run {}: {e}", describe(&cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(&cmd)))
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

/// The target directory cargo uses for this workspace (`CARGO_TARGET_DIR`, `build.target-dir`
/// in a config file, or `target/`), as `cargo metadata` reports it.
fn target_dir() -> Result<PathBuf> {
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .map_err(|err| format!("could not run cargo metadata: {err}"))?;
    if !output.status.success() {
        return Err("cargo metadata failed".into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let key = "\"target_directory\":\"";
    let start = text
        .find(key)
        .map(|at| at + key.len())
        .ok_or("cargo metadata gave no target_directory")?;
    let end = text[start..]
        .find('"')
        .map(|len| start + len)
        .ok_or("cargo metadata gave a malformed target_directory")?;
    Ok(PathBuf::from(text[start..end].replace("\\\\", "\\")))
}

/// `cargo +nightly` in `dir`, without the stable toolchain rustup chose for xtask.
fn nightly_cargo(dir: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.arg("+nightly")
        .current_dir(dir)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC");
    cmd
}
