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
//! No dependencies: cargo is called through `$CARGO`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Features enabled for workspace-wide runs, so the optional HTTP plumbing is built and tested.
const WORKSPACE_FEATURES: &str = "ramp-core/http";

/// Crates whose default build must not pull in an HTTP stack or async runtime.
const PURE_CRATES: &[&str] = &["ramp-core", "ramp-onramper-sign"];

/// Dependencies a pure crate must not have.
const FORBIDDEN_IN_PURE: &[&str] = &["reqwest", "hyper", "tokio"];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(&packages(&args[1..])),
        Some("ci") => ci(),
        Some("load") => load(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask test [-p <crate>]...\n       cargo xtask ci\n\n\
                 test  every test in the workspace (or the given crates); fails on a new or\n      \
                 changed snapshot\n\
                 ci    fmt, clippy -D warnings, tests, rustdoc -D warnings, pure-build check,\n      \
                 cargo package\n\
                 load  [--sessions N] [--concurrency C]: thousands of concurrent sessions through\n      \
                 the SDK clients against a sandbox process; throughput, errors, sandbox peak memory\n\
                 fuzz  [--seconds N] [TARGET]: the cargo-fuzz targets (nightly), N seconds each"
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

/// A test command that never writes snapshots: a new or changed snapshot fails the test.
fn cargo_test() -> Command {
    let mut cmd = cargo();
    cmd.arg("test").arg("--locked");
    cmd.env("INSTA_UPDATE", "no").env_remove("INSTA_FORCE_PASS");
    cmd
}

fn test(packages: &[String]) -> Result {
    check_no_pending_snapshots()?;
    if packages.is_empty() {
        let mut all = cargo_test();
        all.args(["--workspace", "--features", WORKSPACE_FEATURES]);
        run(all)?;
        // The pure build of ramp-core (no `http` feature) has tests of its own configuration.
        let mut pure = cargo_test();
        pure.args(["--package", "ramp-core"]);
        run(pure)?;
        // The V1-only build of ramp-onramper-sign, without V2 and webhooks.
        let mut v1_only = cargo_test();
        v1_only.args(["--package", "ramp-onramper-sign", "--no-default-features"]);
        run(v1_only)?;
    } else {
        for package in packages {
            let mut cmd = cargo_test();
            cmd.args(["--package", package]);
            if package == "ramp-core" {
                cmd.args(["--features", "http"]);
            }
            run(cmd)?;
        }
    }
    check_no_pending_snapshots()
}

fn ci() -> Result {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    run(fmt)?;

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--locked",
        "--workspace",
        "--all-targets",
        "--features",
        WORKSPACE_FEATURES,
        "--",
        "-D",
        "warnings",
    ]);
    run(clippy)?;
    let mut clippy_pure = cargo();
    clippy_pure.args([
        "clippy",
        "--locked",
        "--package",
        "ramp-core",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run(clippy_pure)?;
    let mut clippy_v1_only = cargo();
    clippy_v1_only.args([
        "clippy",
        "--locked",
        "--package",
        "ramp-onramper-sign",
        "--no-default-features",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run(clippy_v1_only)?;

    test(&[])?;

    let mut doc = cargo();
    doc.args([
        "doc",
        "--locked",
        "--workspace",
        "--no-deps",
        "--features",
        WORKSPACE_FEATURES,
    ]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    run(doc)?;

    check_pure_crates()?;

    forget_stale_package_sources()?;
    let mut package = cargo();
    package.args([
        "package",
        "--locked",
        "--workspace",
        "--exclude",
        "xtask",
        "--exclude",
        "ramp-conformance",
        "--allow-dirty",
    ]);
    run(package)
}

/// `cargo xtask load`: builds the `ramp` binary and the load example in release mode, starts
/// `ramp sandbox` as its own process (so its memory is its own), runs the load example against
/// it, and reports the sandbox's peak resident memory (`VmHWM`, Linux).
fn load(args: &[String]) -> Result {
    let mut build = cargo();
    build.args(["build", "--locked", "--release", "-p", "ramp-cli"]);
    run(build)?;
    let mut build = cargo();
    build.args([
        "build",
        "--locked",
        "--release",
        "-p",
        "ramp-sandbox",
        "--example",
        "load",
    ]);
    run(build)?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let release = root().join("target").join("release");
    let mut sandbox = Command::new(release.join("ramp"))
        .args(["sandbox", "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start the sandbox: {e}"))?;
    let ready = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let outcome = if ready {
        let mut load = Command::new(release.join("examples").join("load"));
        load.args(["--base", &format!("http://127.0.0.1:{port}")])
            .args(args);
        run(load)
    } else {
        Err("the sandbox did not start listening within 10 s".into())
    };
    let peak = std::fs::read_to_string(format!("/proc/{}/status", sandbox.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unavailable (no /proc)".to_owned());
    let _ = sandbox.kill();
    let _ = sandbox.wait();
    println!("sandbox peak memory {peak}");
    outcome
}

/// `cargo xtask fuzz [--seconds N] [TARGET]`: seeds each target's corpus from the test
/// vectors, runs `cargo +nightly fuzz run` for N seconds per target, and prints one line per
/// target with its executions and crashes. Fails if any target crashed.
fn fuzz(args: &[String]) -> Result {
    let mut seconds = 60u64;
    let mut only = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--seconds takes a whole number")?;
            }
            target if !target.starts_with('-') => only = Some(target.to_owned()),
            other => return Err(format!("unknown fuzz option {other}")),
        }
    }
    let fuzz_dir = root().join("fuzz");
    let mut check = nightly_cargo(&fuzz_dir);
    check.args(["fuzz", "--version"]);
    let installed = check.output().is_ok_and(|out| out.status.success());
    if !installed {
        return Err("cargo fuzz on the nightly toolchain is needed: \
             `rustup toolchain install nightly` and `cargo install cargo-fuzz`"
            .into());
    }
    let mut list = nightly_cargo(&fuzz_dir);
    list.args(["fuzz", "list"]);
    let out = list
        .output()
        .map_err(|e| format!("could not run cargo fuzz list: {e}"))?;
    let targets: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .filter(|t| only.as_ref().is_none_or(|only| only == t))
        .collect();
    if targets.is_empty() {
        return Err(format!("no fuzz target named {}", only.unwrap_or_default()));
    }
    let mut seeds = cargo();
    seeds.args([
        "run",
        "--quiet",
        "--locked",
        "-p",
        "ramp-conformance",
        "--example",
    ]);
    seeds.arg("fuzz_seeds").arg(fuzz_dir.join("corpus"));
    run(seeds)?;

    let mut report = Vec::new();
    let mut crashed = Vec::new();
    for target in &targets {
        let mut cmd = nightly_cargo(&fuzz_dir);
        cmd.args(["fuzz", "run", target, "--"])
            .arg(format!("-max_total_time={seconds}"))
            .arg("-print_final_stats=1");
        eprintln!("$ {}", describe(&cmd));
        let out = cmd
            .output()
            .map_err(|e| format!("could not run cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&out.stderr);
        let stat = |name: &str| {
            log.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_owned())
                .unwrap_or_else(|| "?".into())
        };
        let runs = stat("stat::number_of_executed_units:");
        let per_second = stat("stat::average_exec_per_sec:");
        if log.contains("failed to build fuzz script") {
            eprintln!("{log}");
            return Err(format!("the fuzz target {target} does not build"));
        }
        let crashes = if out.status.success() { 0 } else { 1 };
        if crashes > 0 {
            let tail: Vec<&str> = log.lines().rev().take(30).collect();
            eprintln!("{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
            crashed.push(target.clone());
        }
        report.push(format!(
            "{target:<22} {seconds:>6} s {runs:>12} executions {per_second:>8}/s {crashes} crashes"
        ));
    }
    println!("\nfuzz report ({seconds} s per target):");
    for line in &report {
        println!("  {line}");
    }
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "crashes in {} (inputs under fuzz/artifacts/)",
            crashed.join(", ")
        ))
    }
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

/// Removes the sources cargo extracted from earlier `cargo package` runs of our own crates.
///
/// `cargo package --workspace` verifies each crate against the just-packaged tarballs of its
/// workspace dependencies through a local overlay registry, extracted under
/// `$CARGO_HOME/registry/src/-<hash>/<crate>-<version>`. Cargo never re-extracts a version it
/// has extracted, so after `ramp-core` changes without a version bump, a provider crate would
/// be verified against the old `ramp-core`. Only directories of the overlay (whose names
/// start with `-`) and only our `ramp-*` crates are removed; crates.io sources are untouched.
/// The compiled artifacts go too (`cargo clean -p`): cargo treats a registry crate of the same
/// version as unchanged and would link the old build.
fn forget_stale_package_sources() -> Result {
    let mut clean = cargo();
    clean.args(["clean", "--quiet"]);
    for krate in std::fs::read_dir(root().join("crates"))
        .map_err(|err| format!("could not list crates/: {err}"))?
        .flatten()
    {
        clean.arg("--package").arg(krate.file_name());
    }
    run(clean)?;
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(".cargo"),
            None => return Ok(()),
        },
    };
    let Ok(registries) = std::fs::read_dir(cargo_home.join("registry").join("src")) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        let Ok(crates) = std::fs::read_dir(registry.path()) else {
            continue;
        };
        for krate in crates.flatten() {
            if krate.file_name().to_string_lossy().starts_with("ramp-") {
                std::fs::remove_dir_all(krate.path())
                    .map_err(|err| format!("could not remove {}: {err}", krate.path().display()))?;
            }
        }
    }
    Ok(())
}

/// `cargo tree -e normal` of each pure crate (default features) names no HTTP stack.
fn check_pure_crates() -> Result {
    for krate in PURE_CRATES {
        if !root().join("crates").join(krate).exists() {
            continue;
        }
        let mut cmd = cargo();
        cmd.args([
            "tree",
            "--locked",
            "--package",
            krate,
            "--edges",
            "normal",
            "--prefix",
            "none",
        ]);
        eprintln!("$ {}", describe(&cmd));
        let out = cmd
            .output()
            .map_err(|e| format!("could not run cargo tree: {e}"))?;
        if !out.status.success() {
            return Err(format!("cargo tree -p {krate} failed"));
        }
        let tree = String::from_utf8_lossy(&out.stdout);
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            if FORBIDDEN_IN_PURE.contains(&name) {
                return Err(format!(
                    "{krate} must stay pure, but its default build depends on {name}"
                ));
            }
        }
        eprintln!("  {krate}: no {}", FORBIDDEN_IN_PURE.join(", no "));
    }
    Ok(())
}

/// Fails when insta left snapshots waiting for review anywhere in the tree.
fn check_no_pending_snapshots() -> Result {
    let mut pending = Vec::new();
    find_pending(&root(), &mut pending);
    if pending.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = pending.iter().map(|p| p.display().to_string()).collect();
    Err(format!(
        "snapshots wait for review (review with `cargo insta review`, or delete them):\n  {}",
        list.join("\n  ")
    ))
}

fn find_pending(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                find_pending(&path, out);
            }
        } else if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
            out.push(path);
        }
    }
}
