//! `cargo xtask test`: every test, failing on a pending snapshot, with one summary line.

use super::*;

/// A test command that never writes snapshots: a new or changed snapshot fails the test.
pub(crate) fn cargo_test() -> Command {
    let mut cmd = cargo();
    cmd.arg("test").arg("--locked");
    cmd.env("INSTA_UPDATE", "no").env_remove("INSTA_FORCE_PASS");
    cmd
}

/// Every test (or the given crates'), then one line: `N passed, N failed`.
pub(crate) fn test(packages: &[String]) -> Result {
    check_no_pending_snapshots()?;
    ensure_test_tools()?;
    let mut tally = Tally::default();
    let result = run_all(packages, &mut tally).and_then(|()| check_no_pending_snapshots());
    println!("{} passed, {} failed", tally.passed, tally.failed);
    result
}

fn run_all(packages: &[String], tally: &mut Tally) -> Result {
    if packages.is_empty() {
        let mut all = cargo_test();
        all.args(["--workspace", "--features", WORKSPACE_FEATURES]);
        tally.run(all)?;
        // The pure build of ramp-core (no `http` feature) has tests of its own configuration.
        let mut pure = cargo_test();
        pure.args(["--package", "ramp-core"]);
        tally.run(pure)?;
        // The V1-only build of ramp-onramper-sign, without V2 and webhooks.
        let mut v1_only = cargo_test();
        v1_only.args(["--package", "ramp-onramper-sign", "--no-default-features"]);
        tally.run(v1_only)?;
        return Ok(());
    }
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
        tally.run(cmd)?;
    }
    Ok(())
}

/// Tests passed and failed, over every `cargo test` run.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Runs `cmd`, passing its output through and counting its `test result:` lines.
    fn run(&mut self, mut cmd: Command) -> Result {
        use std::io::{BufRead, BufReader};
        eprintln!("$ {}", describe(&cmd));
        cmd.stdout(std::process::Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("could not run {}: {e}", describe(&cmd)))?;
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines() {
                let line = line.map_err(|e| format!("could not read the test output: {e}"))?;
                println!("{line}");
                self.count(&line);
            }
        }
        let status = child
            .wait()
            .map_err(|e| format!("could not run {}: {e}", describe(&cmd)))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", describe(&cmd)))
        }
    }

    /// `test result: ok. 5 passed; 0 failed; 0 ignored; ...`
    fn count(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(what), Some(n)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            match what {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                _ => {}
            }
        }
    }
}

/// Fails when insta left snapshots waiting for review anywhere in the tree.
pub(crate) fn check_no_pending_snapshots() -> Result {
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

pub(crate) fn find_pending(dir: &Path, out: &mut Vec<PathBuf>) {
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

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn test_result_lines_are_counted_and_others_ignored() {
        let mut tally = Tally::default();
        for line in [
            "test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 4 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
            "running 6 tests",
            "test a_test_named_passed ... ok",
        ] {
            tally.count(line);
        }
        assert_eq!((tally.passed, tally.failed), (9, 2));
    }
}
