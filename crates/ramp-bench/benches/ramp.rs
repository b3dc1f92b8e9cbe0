//! The benchmark suite behind `cargo xtask bench`: every SDK hot path against its hand-written
//! baseline (`ramp_bench`), measured in the same process in interleaved rounds.
//!
//! Each round measures every path once with criterion. Every sample criterion takes times
//! the SDK's calls and the baseline's calls back to back (which goes first alternates), so
//! the two are compared within milliseconds of each other; the round keeps both medians and
//! the median of the per-sample ratios. The report gives, per path, the median of the
//! rounds' medians, and the rounds' ratios: their median, min and max. Pairing the samples
//! and interleaving the rounds spreads any drift of the machine (frequency, another process,
//! a noisy neighbour) over both candidates, so the ratio stays meaningful on a busy machine.
//!
//! HTTP paths talk to a loopback server (or the sandbox) that runs on the same
//! single-threaded runtime as the clients: every round trip goes through the kernel's TCP
//! stack, and what is measured is the CPU work of both ends, without the wake-up latency of a
//! second core, which dwarfs the difference being measured and varies from run to run.
//!
//! ```text
//! cargo bench -p ramp-bench --bench ramp -- [--rounds N] [--quick] [--out DIR] [FILTER]
//! ```
//!
//! `--quick` is a smoke run (3 rounds, short measurements); FILTER keeps the paths whose name
//! contains it. The table is printed at the end and written, with the JSON report, to DIR
//! (default `target/bench`). Criterion's own output goes to stdout as it runs.

use std::cell::RefCell;
use std::future::Future;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode};
use futures_util::future::join_all;
use ramp_bench::http::{self, Server};
use ramp_bench::inputs::{self, secret};
use ramp_bench::report::{self, Growth, Row, Spread};
use ramp_bench::{koinal, kryptonim, onramper, transak};
use ramp_core::SecretString;
use ramp_core::http::{HttpClient, Request};
use std::hint::black_box;

/// How many calls the concurrent HTTP paths have in flight at once.
const CONCURRENCY: usize = 64;
/// The sizes of the Onramper growth curve, in `id:value` pairs.
const GROWTH: [usize; 5] = [10, 100, 1_000, 10_000, 100_000];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Candidate {
    Sdk,
    Baseline,
}

/// Runs `iters` calls of one candidate and returns how long they took.
type Routine = Box<dyn Fn(Candidate, u64) -> Duration>;

struct Case {
    /// Criterion's group name (no spaces).
    id: String,
    /// The path's name in the report.
    title: String,
    /// What the baseline is.
    baseline: String,
    /// The ratio the SDK should stay within.
    target: Option<f64>,
    /// For a growth curve: the curve's name and this point's size.
    growth: Option<(&'static str, usize)>,
    /// Slow calls: flat sampling.
    slow: bool,
    run: Routine,
}

struct Settings {
    rounds: usize,
    quick: bool,
    filter: Option<String>,
    out: PathBuf,
}

fn settings() -> Result<Settings, String> {
    let mut settings = Settings {
        rounds: 10,
        quick: false,
        filter: None,
        out: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/bench")
            .components()
            .collect(),
    };
    let mut rounds = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // cargo bench passes `--bench`.
            "--bench" => {}
            "--quick" => settings.quick = true,
            "--rounds" => {
                rounds = Some(
                    args.next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n >= 1)
                        .ok_or("--rounds needs a number of at least 1")?,
                );
            }
            "--out" => settings.out = args.next().ok_or("--out needs a directory")?.into(),
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            filter => settings.filter = Some(filter.to_owned()),
        }
    }
    settings.rounds = rounds.unwrap_or(if settings.quick { 3 } else { 10 });
    Ok(settings)
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let settings = settings()?;
    let env = Rc::new(Env::start()?);
    let cases: Vec<Case> = cases(&env)?
        .into_iter()
        .filter(|case| {
            settings
                .filter
                .as_ref()
                .is_none_or(|f| case.title.contains(f.as_str()) || case.id.contains(f.as_str()))
        })
        .collect();
    let load_title = "sandbox load (4 SDK flows, 400 at once)";
    // The load run has a runtime of its own (client and sandbox on this thread, like the
    // other HTTP paths), so its hundreds of idle connections sit apart from the others.
    let load_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| err.to_string())?;
    let load = if settings
        .filter
        .as_ref()
        .is_none_or(|f| load_title.contains(f.as_str()))
    {
        let sandbox = load_runtime
            .block_on(ramp_sandbox::Sandbox::start())
            .map_err(|err| format!("sandbox: {err}"))?;
        Some((format!("http://{}", sandbox.addr()), sandbox))
    } else {
        None
    };
    if cases.is_empty() && load.is_none() {
        return Err("no benchmark matches the filter".into());
    }
    let load_sessions = if settings.quick { 1_000 } else { 4_000 };
    let load_clients = match &load {
        Some((base, _)) => Some(ramp_bench::load::Clients::build(base, None)?),
        None => None,
    };
    let mut load_rounds: Vec<Paired> = Vec::new();
    let load_plain = ramp_core::http::reqwest::Client::new();
    let (warm_up, measurement) = if settings.quick {
        (Duration::from_millis(100), Duration::from_millis(300))
    } else {
        (Duration::from_millis(300), Duration::from_millis(700))
    };
    let mut criterion = Criterion::default()
        .without_plots()
        .warm_up_time(warm_up)
        .measurement_time(measurement)
        .nresamples(2_000);

    let mut rounds: Vec<Vec<Paired>> = (0..cases.len()).map(|_| Vec::new()).collect();
    let started = Instant::now();
    for round in 0..settings.rounds {
        eprintln!(
            "round {}/{} ({:.0?} so far)",
            round + 1,
            settings.rounds,
            started.elapsed()
        );
        for (index, case) in cases.iter().enumerate() {
            rounds[index].push(measure(&mut criterion, case, round)?);
        }
        if let (Some((base, _)), Some(clients)) = (&load, &load_clients) {
            load_rounds.push(load_round(
                &load_runtime,
                base,
                clients,
                &load_plain,
                load_sessions,
                round,
            )?);
        }
    }

    let mut rows = Vec::new();
    let mut growth: Vec<Growth> = Vec::new();
    for (case, rounds) in cases.iter().zip(rounds) {
        let row = Row {
            path: case.title.clone(),
            baseline: case.baseline.clone(),
            sdk_ns: rounds.iter().map(|r| r.sdk).collect(),
            baseline_ns: rounds.iter().map(|r| r.baseline).collect(),
            ratios: rounds.iter().map(|r| r.ratio).collect(),
            target: case.target,
        };
        if let Some((curve, size)) = case.growth {
            let point = |values: &[f64]| Spread::of(values).map_or(f64::NAN, |s| s.median);
            let (s, b) = (point(&row.sdk_ns), point(&row.baseline_ns));
            match growth.iter_mut().find(|g| g.path == curve) {
                Some(g) => {
                    g.sdk.push((size as u64, s));
                    g.baseline.push((size as u64, b));
                }
                None => growth.push(Growth {
                    path: curve.to_owned(),
                    sdk: vec![(size as u64, s)],
                    baseline: vec![(size as u64, b)],
                }),
            }
        }
        rows.push(row);
    }
    if load.is_some() {
        rows.push(Row {
            path: load_title.to_owned(),
            baseline: format!(
                "the load run's own baseline: as many plain GETs (no SDK, no signing; the \
                 sandbox answers 400), 400 at once; time per session, {load_sessions} sessions \
                 per round in {LOAD_CHUNKS} alternating chunks, against a sandbox on the same \
                 runtime"
            ),
            sdk_ns: load_rounds.iter().map(|r| r.sdk).collect(),
            baseline_ns: load_rounds.iter().map(|r| r.baseline).collect(),
            ratios: load_rounds.iter().map(|r| r.ratio).collect(),
            target: None,
        });
    }
    let table = report::table(&rows, &growth, settings.rounds);
    let json = report::json(&rows, &growth, settings.rounds);
    std::fs::create_dir_all(&settings.out)
        .map_err(|err| format!("could not create {}: {err}", settings.out.display()))?;
    let text_path = settings.out.join("report.txt");
    let json_path = settings.out.join("report.json");
    std::fs::write(&text_path, &table)
        .map_err(|err| format!("could not write {}: {err}", text_path.display()))?;
    let json = serde_json::to_string_pretty(&json).map_err(|err| err.to_string())?;
    std::fs::write(&json_path, json)
        .map_err(|err| format!("could not write {}: {err}", json_path.display()))?;
    println!("\n{table}");
    println!(
        "written to {} and {} in {:.0?}",
        text_path.display(),
        json_path.display(),
        started.elapsed()
    );
    Ok(())
}

/// What the HTTP paths share: a loopback server, a client runtime, the clients.
struct Env {
    server: Server,
    runtime: tokio::runtime::Runtime,
    kryptonim: ramp_kryptonim::Client,
    kryptonim_bare: ramp_core::http::reqwest::Client,
    core: HttpClient,
    proof: ramp_proof::Client,
    proof_bare: ramp_core::http::reqwest::Client,
}

impl Env {
    fn start() -> Result<Self, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| err.to_string())?;
        // The server runs on the clients' own runtime: client and server take turns on one
        // thread, so a round trip costs CPU work only, not the wake-up of another core (on
        // this kind of machine that wake-up is most of a cross-thread round trip, and varies
        // by a third from one run to the next).
        let server = {
            let _runtime = runtime.enter();
            Server::start(false).map_err(|err| format!("server: {err}"))?
        };
        let base = |path: &str| url::Url::parse(&server.url(path)).map_err(|e| e.to_string());
        let kryptonim = ramp_kryptonim::Client::builder(
            base("kryptonim/")?,
            secret(inputs::KRYPTONIM_API_KEY),
            secret(inputs::KRYPTONIM_SECRET),
        )
        .build()
        .map_err(|err| err.to_string())?;
        let core = HttpClient::builder(base("kryptonim/")?, inputs::KRYPTONIM_USER_AGENT)
            .sensitive_header("X-API-Key", &secret(inputs::KRYPTONIM_API_KEY))
            .build()
            .map_err(|err| err.to_string())?;
        let proof = ramp_proof::Client::builder(base("proof/")?, secret(inputs::PROOF_TOKEN))
            .origin(inputs::PROOF_ORIGIN)
            .build()
            .map_err(|err| err.to_string())?;
        Ok(Self {
            kryptonim,
            kryptonim_bare: http::bare_client(inputs::KRYPTONIM_USER_AGENT)?,
            core,
            proof,
            proof_bare: http::bare_client(inputs::PROOF_USER_AGENT)?,
            server,
            runtime,
        })
    }

    /// Times `iters` rounds of `calls` concurrent calls of `call(i)` on the client runtime;
    /// a failed call ends the benchmark (the numbers would be meaningless).
    fn http<F, Fut, T, E>(&self, iters: u64, calls: usize, call: F) -> Duration
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: std::fmt::Display,
    {
        self.runtime.block_on(async {
            let start = Instant::now();
            for _ in 0..iters {
                if calls == 1 {
                    if let Err(err) = call().await {
                        fail(&err);
                    }
                } else {
                    for outcome in join_all((0..calls).map(|_| call())).await {
                        if let Err(err) = outcome {
                            fail(&err);
                        }
                    }
                }
            }
            start.elapsed()
        })
    }
}

#[allow(clippy::panic)]
fn fail(err: &dyn std::fmt::Display) -> ! {
    panic!("a benchmarked call failed: {err}")
}

#[path = "ramp/cases.rs"]
mod cases;
use cases::cases;

#[path = "ramp/measure.rs"]
mod measure;
use measure::*;
