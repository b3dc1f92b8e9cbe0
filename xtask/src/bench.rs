//! `cargo xtask bench`: the benchmark suite of `ramp-bench`.

use super::*;

/// `cargo xtask bench`: runs the `ramp` benchmark of `ramp-bench` in release mode with its
/// output directory under the target directory. Criterion's running commentary goes to
/// `target/bench/criterion.log` and the bench's progress to stderr; the table, once every
/// round is done, to stdout.
pub(crate) fn bench(args: &[String]) -> Result {
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
