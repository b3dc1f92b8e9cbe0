//! `cargo xtask fuzz`: the cargo-fuzz targets, N seconds each.

use super::*;

/// `cargo xtask fuzz [--seconds N] [TARGET]`: seeds each target's corpus from the test
/// vectors, runs `cargo +nightly fuzz run` for N seconds per target, and prints one line per
/// target with its executions and crashes. Fails if any target crashed.
pub(crate) fn fuzz(args: &[String]) -> Result {
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
