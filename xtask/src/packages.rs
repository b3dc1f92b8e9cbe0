//! The release order, and every publishable crate packaged and built from its package alone.

use super::*;

/// The publishable crates, in the order they are released: each depends only on crates
/// before it.
pub(crate) const RELEASE_ORDER: &[&str] = &[
    "ramp-core",
    "ramp-address",
    "ramp-onramper-sign",
    "ramp-kryptonim",
    "ramp-proof",
    "ramp-koinal",
    "ramp-transak",
    "ramp-onramper",
    "ramp",
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
pub(crate) fn check_packages() -> Result {
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
pub(crate) fn check_release_order() -> Result {
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
pub(crate) fn package_version(krate: &str) -> Result<String> {
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
