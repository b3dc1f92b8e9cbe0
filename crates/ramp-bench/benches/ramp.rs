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

/// One round of one path, as criterion measures it.
struct Paired {
    /// The SDK's median time per call.
    sdk: f64,
    /// The baseline's median time per call.
    baseline: f64,
    /// The median, over the samples, of the sample's SDK/baseline ratio.
    ratio: f64,
}

/// One criterion benchmark of one path in one round. Each sample criterion takes runs the
/// SDK's `iters` calls and the baseline's `iters` calls back to back (which goes first
/// alternates from sample to sample) and times each; criterion is handed the sum. The
/// round's numbers come from the samples criterion measured after its warm-up (the last
/// `sample_size` timings it asked for): both medians, and the median of the per-sample
/// ratios, which compares the two candidates within milliseconds of each other.
fn measure(criterion: &mut Criterion, case: &Case, round: usize) -> Result<Paired, String> {
    let samples = if case.slow { 10 } else { 30 };
    let timings: Rc<RefCell<Vec<(u64, Duration, Duration)>>> = Rc::default();
    let mut group = criterion.benchmark_group(&case.id);
    group.sample_size(samples);
    if case.slow {
        group.sampling_mode(SamplingMode::Flat);
    }
    let record = Rc::clone(&timings);
    let mut sdk_first = round.is_multiple_of(2);
    group.bench_function(BenchmarkId::new("sdk+baseline", round), |b| {
        b.iter_custom(|iters| {
            let (sdk, baseline) = if sdk_first {
                let sdk = (case.run)(Candidate::Sdk, iters);
                (sdk, (case.run)(Candidate::Baseline, iters))
            } else {
                let baseline = (case.run)(Candidate::Baseline, iters);
                ((case.run)(Candidate::Sdk, iters), baseline)
            };
            sdk_first = !sdk_first;
            record.borrow_mut().push((iters, sdk, baseline));
            sdk + baseline
        })
    });
    group.finish();
    let timings = timings.borrow();
    if timings.len() < samples {
        return Err(format!(
            "{}: criterion took {} timings, fewer than its {samples} samples",
            case.id,
            timings.len()
        ));
    }
    let measured = &timings[timings.len() - samples..];
    let per_call = |pick: fn(&(u64, Duration, Duration)) -> Duration| {
        let values: Vec<f64> = measured
            .iter()
            .map(|t| pick(t).as_nanos() as f64 / t.0.max(1) as f64)
            .collect();
        Spread::of(&values).map(|s| s.median)
    };
    let ratios: Vec<f64> = measured
        .iter()
        .filter(|(_, _, baseline)| !baseline.is_zero())
        .map(|(_, sdk, baseline)| sdk.as_secs_f64() / baseline.as_secs_f64())
        .collect();
    match (
        per_call(|t| t.1),
        per_call(|t| t.2),
        Spread::of(&ratios).map(|s| s.median),
    ) {
        (Some(sdk), Some(baseline), Some(ratio)) => Ok(Paired {
            sdk,
            baseline,
            ratio,
        }),
        _ => Err(format!("{}: no timings", case.id)),
    }
}

/// How many chunks of sessions each round of the load run alternates between the SDK and
/// the baseline.
const LOAD_CHUNKS: usize = 8;

/// One round of the sandbox load run: `sessions` SDK sessions and as many plain requests, in
/// [`LOAD_CHUNKS`] chunks each, alternating (which goes first alternates with the round);
/// each chunk's time per call, and the median ratio of the paired chunks.
fn load_round(
    runtime: &tokio::runtime::Runtime,
    base: &str,
    clients: &ramp_bench::load::Clients,
    plain: &ramp_core::http::reqwest::Client,
    sessions: usize,
    round: usize,
) -> Result<Paired, String> {
    let per_call = |outcome: ramp_bench::load::Outcome| {
        if outcome.errors > 0 {
            return Err(format!(
                "the load run had {} errors, the first: {}",
                outcome.errors,
                outcome.first_error.unwrap_or_default()
            ));
        }
        Ok(outcome.elapsed.as_nanos() as f64 / outcome.calls.max(1) as f64)
    };
    let (concurrency, chunk) = (400, (sessions / LOAD_CHUNKS).max(1));
    let (mut sdk, mut baseline, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    runtime.block_on(async {
        for i in 0..LOAD_CHUNKS {
            let sdk_first = (round + i).is_multiple_of(2);
            let (s, b) = if sdk_first {
                let s = per_call(clients.sessions(chunk, concurrency).await)?;
                let b = per_call(
                    ramp_bench::load::plain_requests(plain, base, chunk, concurrency).await,
                )?;
                (s, b)
            } else {
                let b = per_call(
                    ramp_bench::load::plain_requests(plain, base, chunk, concurrency).await,
                )?;
                (per_call(clients.sessions(chunk, concurrency).await)?, b)
            };
            sdk.push(s);
            baseline.push(b);
            ratios.push(s / b);
        }
        Ok::<(), String>(())
    })?;
    let median = |values: &[f64]| Spread::of(values).map_or(f64::NAN, |s| s.median);
    Ok(Paired {
        sdk: median(&sdk),
        baseline: median(&baseline),
        ratio: median(&ratios),
    })
}

/// Times `iters` calls of `f`.
fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    start.elapsed()
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

fn cases(env: &Rc<Env>) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();

    // Kryptonim: the body and its signature, and a request read from JSON.
    let request = inputs::kryptonim_request();
    let plain = kryptonim::plain_request();
    let key = secret(inputs::KRYPTONIM_SECRET);
    {
        let (request, plain, key) = (request.clone(), plain.clone(), key.clone());
        cases.push(Case {
            id: "kryptonim_sign".into(),
            title: "kryptonim sign path (to_body + sign_body)".into(),
            baseline: "serde_json::to_vec of a plain struct + HMAC-SHA256 + hex".into(),
            target: Some(1.05),
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || {
                    let body = request.to_body();
                    ramp_kryptonim::sign_body(&body, &key).map(|sig| (body, sig))
                }),
                Candidate::Baseline => timed(iters, || {
                    kryptonim::sign(&plain, inputs::KRYPTONIM_SECRET.as_bytes())
                }),
            }),
        });
    }
    {
        let (request, plain) = (request.clone(), plain.clone());
        cases.push(Case {
            id: "kryptonim_to_body".into(),
            title: "kryptonim to_body".into(),
            baseline: "serde_json::to_vec of a plain struct".into(),
            target: None,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || request.to_body()),
                Candidate::Baseline => timed(iters, || serde_json::to_vec(&plain)),
            }),
        });
    }
    // A request read from JSON: against plain serde into the SDK's field types, and against
    // a struct of Strings (what reading costs when nothing beyond JSON is parsed).
    type Parse = fn(&[u8]) -> bool;
    let parse_baselines: [(&str, &str, &str, Option<f64>, Parse); 3] = [
        (
            "kryptonim_parse",
            "kryptonim request from JSON (deserialize + validate)",
            "serde_json::from_slice into a plain struct of the same field types (Url, IpAddr; \
             f64 amount), nothing checked",
            None,
            |json| kryptonim::parse(json).is_some(),
        ),
        (
            "kryptonim_parse_address",
            "kryptonim request from JSON, baseline checking the address too",
            "the plain struct of the row above, then ramp_address::check_format of the \
             destination address (build() checks it since it refuses EIP-55 typos)",
            Some(1.5),
            |json| kryptonim::parse_checking_address(json).is_some(),
        ),
        (
            "kryptonim_parse_untyped",
            "kryptonim request from JSON, against strings",
            "serde_json::from_slice into a struct of Strings: no URL or IP parsed, nothing \
             checked",
            None,
            |json| kryptonim::parse_untyped(json).is_some(),
        ),
    ];
    for (id, title, baseline, target, parse) in parse_baselines {
        let json = request.to_body();
        cases.push(Case {
            id: id.into(),
            title: title.into(),
            baseline: baseline.into(),
            target,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || {
                    serde_json::from_slice::<ramp_kryptonim::WidgetSessionRequest>(&json).is_ok()
                }),
                Candidate::Baseline => timed(iters, || parse(&json)),
            }),
        });
    }

    // Onramper V1: the seed's URL, then the growth curves.
    let onramper_key = secret(inputs::ONRAMPER_SECRET);
    let onramper_case = |id: String,
                         title: String,
                         growth: Option<(&'static str, usize)>,
                         url: String,
                         verify: bool| {
        let key: SecretString = onramper_key.clone();
        let raw = inputs::ONRAMPER_SECRET.as_bytes();
        let slow = growth.is_some_and(|(_, n)| n >= 10_000);
        let (baseline, run): (&str, Routine) = if verify {
            let signed = onramper::sign_url(&url, raw);
            (
                "minimal verifier: the same sign content, HMAC verify_slice",
                Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => {
                        timed(iters, || ramp_onramper_sign::verify_url(&signed, &key))
                    }
                    Candidate::Baseline => timed(iters, || onramper::verify_url(&signed, raw)),
                }),
            )
        } else {
            (
                "minimal signer: split, percent-decode, sort the pairs, join, HMAC, hex",
                Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => timed(iters, || ramp_onramper_sign::sign_url(&url, &key)),
                    Candidate::Baseline => timed(iters, || onramper::sign_url(&url, raw)),
                }),
            )
        };
        Case {
            id,
            title,
            baseline: baseline.into(),
            target: (!verify).then_some(1.3),
            growth,
            slow,
            run,
        }
    };
    cases.push(onramper_case(
        "onramper_sign_url".into(),
        "onramper sign_url (the seed's URL)".into(),
        None,
        inputs::ONRAMPER_URL.into(),
        false,
    ));
    cases.push(onramper_case(
        "onramper_verify_url".into(),
        "onramper verify_url (the seed's URL)".into(),
        None,
        inputs::ONRAMPER_URL.into(),
        true,
    ));
    for (name, verify) in [("sign_url", false), ("verify_url", true)] {
        for n in GROWTH {
            let curve = if verify {
                "onramper verify_url"
            } else {
                "onramper sign_url"
            };
            cases.push(onramper_case(
                format!("onramper_{name}_{n}"),
                format!("onramper {name}, {n} pairs"),
                Some((curve, n)),
                inputs::onramper_url_with(n),
                verify,
            ));
        }
    }

    // Koinal's authorization hash and Transak's webhook check.
    {
        let key = secret(inputs::KOINAL_SECRET);
        cases.push(Case {
            id: "koinal_auth_hash".into(),
            title: "koinal auth hash (header value)".into(),
            baseline: "format! + HMAC-SHA256 + hex + serde_json::to_vec + base64".into(),
            target: None,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || {
                    ramp_koinal::AuthHash::new(
                        inputs::KOINAL_MERCHANT,
                        inputs::KOINAL_CUSTOMER,
                        inputs::KOINAL_TIMESTAMP,
                        &key,
                    )
                    .map(|hash| hash.to_header_value())
                }),
                Candidate::Baseline => timed(iters, || {
                    koinal::header_value(
                        inputs::KOINAL_MERCHANT,
                        inputs::KOINAL_CUSTOMER,
                        inputs::KOINAL_TIMESTAMP,
                        inputs::KOINAL_SECRET,
                    )
                }),
            }),
        });
    }
    {
        use ramp_transak::{HeaderMap, Verify as _, WebhookVerifier};
        let body = inputs::transak_webhook();
        let verifier = WebhookVerifier::new(secret(inputs::TRANSAK_TOKEN))
            .unwrap_or_else(|err| panic!("{err}"));
        let headers = HeaderMap::new();
        cases.push(Case {
            id: "transak_webhook".into(),
            title: "transak webhook verify".into(),
            baseline: "serde_json + base64url + HMAC verify_slice + plain structs".into(),
            target: None,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || verifier.verify(&body, &headers)),
                Candidate::Baseline => timed(iters, || {
                    transak::verify(&body, inputs::TRANSAK_TOKEN.as_bytes())
                }),
            }),
        });
    }

    // HTTP round trips on the loopback, one call at a time and 64 at once.
    for calls in [1, CONCURRENCY] {
        let how = if calls == 1 {
            "sequential".to_owned()
        } else {
            format!("{calls} concurrent")
        };
        let suffix = if calls == 1 { "seq" } else { "par" };
        {
            let env = Rc::clone(env);
            let (body, signature) = kryptonim::sign(&plain, inputs::KRYPTONIM_SECRET.as_bytes());
            let url = env.server.url("kryptonim/v1/widget-sessions");
            let headers = [
                ("x-request-signature", signature.clone()),
                ("content-type", "application/json".to_owned()),
                ("x-api-key", inputs::KRYPTONIM_API_KEY.to_owned()),
            ];
            cases.push(Case {
                id: format!("core_http_{suffix}"),
                title: format!("ramp-core HttpClient, prebuilt bytes ({how})"),
                baseline: "bare reqwest::Client, same headers and bytes, body read whole".into(),
                target: Some(1.03),
                growth: None,
                slow: false,
                run: Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => env.http(iters, calls, || async {
                        let call = Request::post("v1/widget-sessions")
                            .header("X-Request-Signature", &signature)
                            .json_body(body.clone());
                        env.core.send(call).await?.error_for_status()
                    }),
                    Candidate::Baseline => env.http(iters, calls, || {
                        http::post_bytes(&env.kryptonim_bare, &url, &headers, body.clone())
                    }),
                }),
            });
        }
        // The SDK checks the wallet address (EIP-55: a Keccak-256) before it signs; the bare
        // baseline does not. Sequentially, the same call is also measured against a baseline
        // that checks it too, with ramp-address as a careful hand-written integration would:
        // the SDK's own overhead apart from that check.
        let checked: &[bool] = if calls == 1 { &[false, true] } else { &[false] };
        for &check_address in checked {
            let env = Rc::clone(env);
            let (request, plain) = (request.clone(), plain.clone());
            let url = env.server.url("kryptonim/v1/widget-sessions");
            let (id, title, baseline) = if check_address {
                (
                    "kryptonim_http_checked_seq".to_owned(),
                    "kryptonim create_widget_session, baseline checking the address too".to_owned(),
                    "the bare reqwest call of the row above, after ramp_address::check of the wallet",
                )
            } else {
                (
                    format!("kryptonim_http_{suffix}"),
                    format!("kryptonim create_widget_session ({how})"),
                    "bare reqwest: plain serde body, HMAC, send, decode the session",
                )
            };
            cases.push(Case {
                id,
                title,
                baseline: baseline.into(),
                target: (!check_address).then_some(1.05),
                growth: None,
                slow: false,
                run: Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => env.http(iters, calls, || {
                        env.kryptonim.create_widget_session(&request)
                    }),
                    Candidate::Baseline => env.http(iters, calls, || async {
                        if check_address {
                            let policy = ramp_address::Policy::default();
                            ramp_address::check(&plain.network, &plain.destination_address, policy)
                                .map_err(|err| err.to_string())?;
                        }
                        http::kryptonim_session(
                            &env.kryptonim_bare,
                            &url,
                            inputs::KRYPTONIM_API_KEY,
                            inputs::KRYPTONIM_SECRET.as_bytes(),
                            &plain,
                        )
                        .await
                    }),
                }),
            });
        }
        {
            let env = Rc::clone(env);
            let request = inputs::proof_request();
            let plain = http::plain_proof_request();
            let url = env.server.url("proof/widget/session");
            let bearer = format!("Bearer {}", inputs::PROOF_TOKEN);
            cases.push(Case {
                id: format!("proof_http_{suffix}"),
                title: format!("proof create_session ({how})"),
                baseline: "bare reqwest: plain serde body, bearer + Origin, decode the session"
                    .into(),
                target: Some(1.05),
                growth: None,
                slow: false,
                run: Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => env.http(iters, calls, || env.proof.create_session(&request)),
                    Candidate::Baseline => env.http(iters, calls, || {
                        http::proof_session(
                            &env.proof_bare,
                            &url,
                            &bearer,
                            inputs::PROOF_ORIGIN,
                            &plain,
                        )
                    }),
                }),
            });
        }
    }
    Ok(cases)
}
