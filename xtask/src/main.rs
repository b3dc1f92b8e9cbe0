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
                 load  [--sessions N] [--concurrency C] [--instances N] [--store memory|redis]:\n      \
                 concurrent sessions through the SDK clients (N processes) against a sandbox\n      \
                 process; throughput, errors, Transak token refreshes, sandbox peak memory\n\
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
            match package.as_str() {
                "ramp-core" => {
                    cmd.args(["--features", "http"]);
                }
                // The Redis token store's tests run against a real redis-server.
                "ramp-transak" => {
                    cmd.args(["--features", "redis"]);
                }
                "ramp-proof" => {
                    cmd.args(["--features", "websocket"]);
                }
                _ => {}
            }
            run(cmd)?;
        }
    }
    check_no_pending_snapshots()
}

/// Everything CI enforces; `with_tests: false` for CI itself, which runs `cargo xtask test`
/// first (the README's test command) and must not run the tests twice.
fn ci(with_tests: bool) -> Result {
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

    if with_tests {
        test(&[])?;
    }

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
    docs_rs()?;
    check_packages()
}

/// Each library as docs.rs builds it (nightly rustdoc, `--cfg docsrs`, the features of its
/// `[package.metadata.docs.rs]`), warnings denied. Skipped, saying so, without a nightly
/// toolchain.
fn docs_rs() -> Result {
    let nightly = Command::new("rustup")
        .args(["run", "nightly", "rustdoc", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !nightly {
        println!(
            "docs.rs build: skipped (no nightly toolchain; `rustup toolchain install nightly`)"
        );
        return Ok(());
    }
    for krate in RELEASE_ORDER.iter().filter(|k| **k != "ramp-cli") {
        let mut doc = nightly_cargo(&root());
        doc.args(["doc", "--locked", "--no-deps", "--package", krate]);
        if *krate == "ramp-core" {
            doc.args(["--features", "http,decimal,json"]);
        } else {
            doc.arg("--all-features");
        }
        doc.env("RUSTDOCFLAGS", "--cfg docsrs -D warnings")
            .arg("--target-dir")
            .arg(target_dir()?.join("docs-rs"));
        run(doc)?;
    }
    Ok(())
}

/// The publishable crates, in the order they are released: each depends only on crates
/// before it.
const RELEASE_ORDER: &[&str] = &[
    "ramp-core",
    "ramp-address",
    "ramp-onramper-sign",
    "ramp-kryptonim",
    "ramp-proof",
    "ramp-koinal",
    "ramp-transak",
    "ramp-onramper",
    "ramp-sandbox",
    "ramp-cli",
];

/// Packages every publishable crate (`cargo package --no-verify`), then builds each package
/// on its own, in release order, from its `.crate` alone: a scratch workspace under
/// `target/package-check/` holds the extracted packages released so far, and
/// `[patch.crates-io]` points their `ramp-*` dependencies at those extracted copies. A file
/// missing from a package, or a dependency that only resolves through the workspace, fails
/// here. Nothing under `$CARGO_HOME` is removed or rewritten, and no build artifact outside
/// the target directory is cleaned.
fn check_packages() -> Result {
    check_release_order()?;
    let mut package = cargo();
    package.args(["package", "--locked", "--no-verify", "--allow-dirty"]);
    for krate in RELEASE_ORDER {
        package.args(["--package", krate]);
    }
    run(package)?;

    let target = target_dir()?;
    let scratch = target.join("package-check");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)
            .map_err(|err| format!("could not clear {}: {err}", scratch.display()))?;
    }
    std::fs::create_dir_all(&scratch)
        .map_err(|err| format!("could not create {}: {err}", scratch.display()))?;
    // The workspace's lockfile, so the packages build with the versions the tests used.
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|err| format!("could not copy Cargo.lock: {err}"))?;
    let mut released: Vec<(String, String)> = Vec::new();
    for krate in RELEASE_ORDER {
        let version = package_version(krate)?;
        let dir = format!("{krate}-{version}");
        let tarball = target.join("package").join(format!("{dir}.crate"));
        let mut untar = Command::new("tar");
        untar.arg("-xzf").arg(&tarball).arg("-C").arg(&scratch);
        run(untar)?;
        for file in ["LICENSE-MIT", "LICENSE-APACHE", "README.md"] {
            if !scratch.join(&dir).join(file).is_file() {
                return Err(format!("the {krate} package has no {file}"));
            }
        }
        released.push(((*krate).to_owned(), dir));
        let mut manifest = String::from(
            "# Written by cargo xtask ci: the packages released so far.\n[workspace]\nresolver = \"3\"\nmembers = [",
        );
        for (_, dir) in &released {
            manifest.push_str(&format!("\"{dir}\", "));
        }
        manifest.push_str("]\n\n[patch.crates-io]\n");
        for (name, dir) in &released {
            manifest.push_str(&format!("{name} = {{ path = \"{dir}\" }}\n"));
        }
        std::fs::write(scratch.join("Cargo.toml"), manifest)
            .map_err(|err| format!("could not write the scratch manifest: {err}"))?;
        let mut build = cargo();
        build
            .current_dir(&scratch)
            .args(["build", "--package", krate, "--all-features"])
            .arg("--target-dir")
            .arg(scratch.join("target"));
        run(build)
            .map_err(|err| format!("{krate} does not build from its package alone: {err}"))?;
    }
    Ok(())
}

/// Every crate under `crates/` that may be published is in [`RELEASE_ORDER`], and only those.
fn check_release_order() -> Result {
    let mut publishable = Vec::new();
    for entry in std::fs::read_dir(root().join("crates"))
        .map_err(|err| format!("could not list crates/: {err}"))?
        .flatten()
    {
        let manifest = std::fs::read_to_string(entry.path().join("Cargo.toml")).unwrap_or_default();
        if !manifest
            .lines()
            .any(|line| line.trim() == "publish = false")
        {
            publishable.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    publishable.sort();
    let mut listed: Vec<String> = RELEASE_ORDER.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    if publishable == listed {
        Ok(())
    } else {
        Err(format!(
            "RELEASE_ORDER in xtask lists {listed:?}, but the publishable crates are {publishable:?}"
        ))
    }
}

/// The `version` in a crate's own manifest.
fn package_version(krate: &str) -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml"))
        .map_err(|err| format!("could not read {krate}'s manifest: {err}"))?;
    manifest
        .lines()
        .find_map(|line| {
            let value = line.trim().strip_prefix("version = \"")?;
            Some(value.trim_end_matches('"').to_owned())
        })
        .ok_or_else(|| format!("{krate}'s manifest has no version"))
}

/// `cargo xtask load`: builds the `ramp` binary and the `load` binary of `ramp-bench` in release
/// mode, starts `ramp sandbox` as its own process (so its memory is its own), runs `load` against
/// it (`--instances N` of them at once, as separate processes; `--store redis` gives them a
/// `redis-server` of their own on a free loopback port for the Transak token), and reports
/// the Transak token refreshes the sandbox saw and its peak resident memory (`VmHWM`, Linux).
fn load(args: &[String]) -> Result {
    let mut instances = 1usize;
    let mut store = "memory".to_owned();
    let mut passed = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--instances" => {
                instances = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n >= 1)
                    .ok_or("--instances needs a number of at least 1")?;
            }
            "--store" => {
                store = it.next().cloned().ok_or("--store needs memory or redis")?;
                if store != "memory" && store != "redis" {
                    return Err(format!("unknown store {store} (memory or redis)"));
                }
            }
            _ => passed.push(flag.clone()),
        }
    }

    let mut build = cargo();
    build.args(["build", "--locked", "--release", "-p", "ramp-cli"]);
    run(build)?;
    let mut build = cargo();
    build.args([
        "build",
        "--locked",
        "--release",
        "-p",
        "ramp-bench",
        "--bin",
        "load",
    ]);
    run(build)?;

    let release = target_dir()?.join("release");
    let mut children = Children::default();
    let port = free_port()?;
    children.0.push(
        Command::new(release.join("ramp"))
            .args(["sandbox", "--port", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start the sandbox: {e}"))?,
    );
    let sandbox_pid = children.0[0].id();
    if !listening(port) {
        return Err("the sandbox did not start listening within 10 s".into());
    }
    let mut store_args = vec!["--store".to_owned(), store.clone()];
    if store == "redis" {
        let redis_port = free_port()?;
        children.0.push(
            Command::new("redis-server")
                .args(["--port", &redis_port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .map_err(|e| {
                    format!("could not start redis-server ({e}); install it (apt-get install redis-server)")
                })?,
        );
        if !listening(redis_port) {
            return Err("redis-server did not start listening within 10 s".into());
        }
        store_args.extend([
            "--redis".to_owned(),
            format!("redis://127.0.0.1:{redis_port}/"),
        ]);
    }

    println!("instances           {instances} ({store} token store)");
    let base = format!("http://127.0.0.1:{port}");
    let runs = (1..=instances)
        .map(|i| {
            let mut load = Command::new(release.join("load"));
            load.args(["--base", &base]).args(&store_args).args(&passed);
            if instances > 1 {
                load.args(["--instance", &i.to_string()]);
            }
            load.spawn()
                .map_err(|e| format!("could not start the load example: {e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut failed = 0;
    for mut child in runs {
        if !child.wait().is_ok_and(|status| status.success()) {
            failed += 1;
        }
    }

    match sandbox_stats(port) {
        Some(stats) => println!("token refreshes     {stats}"),
        None => println!("token refreshes     unavailable"),
    }
    let peak = std::fs::read_to_string(format!("/proc/{sandbox_pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unavailable (no /proc)".to_owned());
    println!("sandbox peak memory {peak}");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} of {instances} load instances had errors"))
    }
}

/// `cargo xtask bench`: runs the `ramp` benchmark of `ramp-bench` in release mode with its
/// output directory under the target directory. Criterion's running commentary goes to
/// `target/bench/criterion.log` and the bench's progress to stderr; the table, once every
/// round is done, to stdout.
fn bench(args: &[String]) -> Result {
    let mut passed = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rounds" => {
                let rounds = it.next().ok_or("--rounds needs a number")?;
                passed.extend(["--rounds".to_owned(), rounds.clone()]);
            }
            "--quick" => passed.push(arg.clone()),
            other if other.starts_with('-') => {
                return Err(format!("unknown bench option {other}"));
            }
            filter => passed.push(filter.to_owned()),
        }
    }
    let out = target_dir()?.join("bench");
    std::fs::create_dir_all(&out)
        .map_err(|err| format!("could not create {}: {err}", out.display()))?;
    let log_path = out.join("criterion.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|err| format!("could not create {}: {err}", log_path.display()))?;
    let mut cmd = cargo();
    cmd.args([
        "bench",
        "--locked",
        "-p",
        "ramp-bench",
        "--bench",
        "ramp",
        "--",
    ])
    .args(&passed)
    .arg("--out")
    .arg(&out)
    .stdout(log);
    run(cmd)?;
    let table = std::fs::read_to_string(out.join("report.txt"))
        .map_err(|err| format!("the bench wrote no report.txt: {err}"))?;
    println!("{table}");
    println!(
        "JSON report: {}\ncriterion's own output: {}",
        out.join("report.json").display(),
        log_path.display()
    );
    Ok(())
}

/// Child processes killed when dropped, whatever way `load` returns.
#[derive(Default)]
struct Children(Vec<std::process::Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Whether something accepts connections on the loopback `port` within 10 s.
fn listening(port: u16) -> bool {
    (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    })
}

/// `transak_token_refreshes` from the sandbox's `GET /_sandbox/stats` (a one-off HTTP/1.0
/// request on the loopback: xtask has no HTTP client and needs none for this).
fn sandbox_stats(port: u16) -> Option<u64> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    stream
        .write_all(b"GET /_sandbox/stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let field = "\"transak_token_refreshes\":";
    let at = response.find(field)? + field.len();
    let digits: String = response[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
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
