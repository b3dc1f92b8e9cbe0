//! What the tests need besides Rust, installed from the distribution's packages when it is
//! missing: `redis-server` and PostgreSQL's server (real stores, started by the tests on
//! loopback), and Node.js (Kryptonim's bodies are checked against JavaScript itself).

use super::*;

/// A program the tests run, and the Debian package that has it.
struct Tool {
    what: &'static str,
    present: fn() -> bool,
    package: &'static str,
}

const TOOLS: &[Tool] = &[
    Tool {
        what: "redis-server",
        present: || on_path("redis-server"),
        package: "redis-server",
    },
    Tool {
        what: "PostgreSQL's server (initdb, pg_ctl)",
        present: postgres_present,
        package: "postgresql",
    },
    Tool {
        what: "node",
        present: || on_path("node"),
        package: "nodejs",
    },
];

/// What the load runs need besides: libfaketime, to run one replica of the fault run with its
/// clock off.
const LOAD_TOOLS: &[Tool] = &[Tool {
    what: "libfaketime",
    present: faketime_present,
    package: "libfaketime",
}];

/// Installs every missing tool the tests need with `apt-get` when running as root, printing
/// what it installs; otherwise stops before any test with the exact command to run.
pub(crate) fn ensure_test_tools() -> Result {
    ensure(TOOLS.iter())
}

/// The same for the load runs.
pub(crate) fn ensure_load_tools() -> Result {
    ensure(TOOLS.iter().chain(LOAD_TOOLS))
}

fn ensure<'a>(tools: impl Iterator<Item = &'a Tool>) -> Result {
    let missing: Vec<&Tool> = tools.filter(|tool| !(tool.present)()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|tool| tool.what).collect();
    let packages: Vec<&str> = missing.iter().map(|tool| tool.package).collect();
    let command = format!(
        "apt-get update && apt-get install -y --no-install-recommends {}",
        packages.join(" ")
    );
    if !on_path("apt-get") {
        return Err(format!(
            "the tests need {}, and apt-get is not here to install them: install the \
             packages {} with this system's package manager, then run this again",
            names.join(", "),
            packages.join(" ")
        ));
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    if !root {
        return Err(format!(
            "the tests need {}, which is not installed, and installing it needs root; \
             run this, then run this again:\n\n    sudo sh -c '{command}'\n",
            names.join(", ")
        ));
    }
    eprintln!(
        "xtask: installing what the tests need ({}): {command}",
        names.join(", ")
    );
    let apt = |args: &[&str]| {
        let mut cmd = Command::new("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run(apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&packages);
    run(install)?;
    match missing.iter().find(|tool| !(tool.present)()) {
        Some(tool) => Err(format!("{} is still missing after the install", tool.what)),
        None => Ok(()),
    }
}

fn on_path(program: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|path| env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Debian puts the server under `/usr/lib/postgresql/<version>/bin`, off `PATH`.
fn postgres_present() -> bool {
    let debian = std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|versions| {
        versions
            .flatten()
            .any(|version| version.path().join("bin/initdb").is_file())
    });
    debian || (on_path("initdb") && on_path("pg_ctl"))
}

fn faketime_present() -> bool {
    std::fs::read_dir("/usr/lib").is_ok_and(|dirs| {
        dirs.flatten()
            .any(|dir| dir.path().join("faketime/libfaketime.so.1").is_file())
    })
}
