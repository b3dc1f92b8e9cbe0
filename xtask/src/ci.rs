//! `cargo xtask ci`: everything CI enforces besides the tests.

use super::*;

/// Everything CI enforces; `with_tests: false` for CI itself, which runs `cargo xtask test`
/// first (the README's test command) and must not run the tests twice.
pub(crate) fn ci(with_tests: bool) -> Result {
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
pub(crate) fn docs_rs() -> Result {
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
            doc.args(["--features", "http,decimal,json,webhook,timestamp"]);
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

/// `cargo tree -e normal` of each pure crate (default features) names no HTTP stack.
pub(crate) fn check_pure_crates() -> Result {
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
