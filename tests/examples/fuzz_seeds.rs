//! Writes each fuzz target's seeds (from the test vectors) into `<dir>/<target>/seed-<n>`,
//! for `cargo xtask fuzz`: `cargo run -p ramp-conformance --example fuzz_seeds -- <dir>`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: fuzz_seeds <corpus dir>");
        return ExitCode::FAILURE;
    };
    for (target, _) in ramp_conformance::properties::ALL {
        let target_dir = dir.join(target);
        if let Err(err) = std::fs::create_dir_all(&target_dir) {
            eprintln!("cannot create {}: {err}", target_dir.display());
            return ExitCode::FAILURE;
        }
        let seeds = ramp_conformance::seeds::seeds(target);
        for (n, seed) in seeds.iter().enumerate() {
            let path = target_dir.join(format!("seed-{n}"));
            if let Err(err) = std::fs::write(&path, seed) {
                eprintln!("cannot write {}: {err}", path.display());
                return ExitCode::FAILURE;
            }
        }
        println!("{target}: {} seeds", seeds.len());
    }
    ExitCode::SUCCESS
}
