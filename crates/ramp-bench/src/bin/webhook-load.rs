//! The webhook load run: thousands of deliveries (a third duplicates, a tenth forged, some
//! oversized) sent 64 at once to `ramp listen`, each server in a process of its own so its
//! peak memory is its own, and to a baseline in the same run: a bare axum handler doing the
//! same HMAC checks. Run by `cargo xtask load`.
//!
//! ```text
//! webhook-load --ramp PATH [--deliveries N (20000)] [--concurrency C] [--seed S]
//! webhook-load --serve-baseline PORT
//! ```
//!
//! Runs: the baseline; `ramp listen --store memory`; `--store redis://…` on a `redis-server`
//! of its own (append-only file, fsync at every write); the same with Redis killed (SIGKILL)
//! half-way through and started again. Each `ramp listen` run checks that every genuine
//! event was printed exactly once, nothing forged or oversized was, and every delivery got
//! the answer it must end with (200, 401, 413), redelivering after a 5xx as a provider does.
//! It exits non-zero when a check fails.

use std::collections::HashMap;
use std::io::BufRead;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ramp_bench::processes::{Killed, Redis, free_port, peak_memory, wait_listening};
use ramp_bench::webhooks::{Mix, Planned, Sent, baseline_router, plan, printed_key, send_all};
use ramp_core::SecretString;

const ONRAMPER_ENV: &str = "RAMP_LOAD_ONRAMPER_SECRET";
const KOINAL_ENV: &str = "RAMP_LOAD_KOINAL_SECRET";
const ONRAMPER_SECRET: &str = "whsec_load_onramper";
const KOINAL_SECRET: &str = "cb_load_koinal";

struct Args {
    ramp: String,
    deliveries: usize,
    concurrency: usize,
    seed: u64,
}

fn number<T: std::str::FromStr>(value: Option<String>, flag: &str) -> Result<T, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or(format!("{flag} needs a number"))
}

/// What one run measured.
struct Run {
    name: String,
    sent: Sent,
    peak: String,
    /// For `ramp listen`: (genuine events printed once or excluded by their order's end,
    /// printed twice or more, printed but not genuine, lines that are not an event or come
    /// after their order's end).
    printed: Option<(usize, usize, usize, usize)>,
    /// How long Redis was down (killed, started again, listening).
    down: Option<Duration>,
}

async fn serve_ramp(
    args: &Args,
    plan: &Arc<Vec<Planned>>,
    store: &str,
    redis: Option<Arc<Redis>>,
) -> Result<Run, String> {
    let port = free_port()?;
    let mut listen = Command::new(&args.ramp);
    listen
        .args(["listen", "--port", &port.to_string(), "--store", store])
        .args([
            "--onramper-webhook-secret-env",
            ONRAMPER_ENV,
            "--koinal-callback-secret-env",
            KOINAL_ENV,
        ])
        .env(ONRAMPER_ENV, ONRAMPER_SECRET)
        .env(KOINAL_ENV, KOINAL_SECRET)
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("WEBHOOK_LOAD_STDERR").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        });
    let mut child = listen
        .spawn()
        .map_err(|e| format!("could not start ramp listen: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let child = Killed(child);
    let pid = child.0.id();
    let lines = std::thread::spawn(move || {
        std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    wait_listening(port, "ramp listen")?;

    let done = Arc::new(AtomicUsize::new(0));
    let half = plan.len() / 2;
    let mut down = None;
    let http = ramp_core::http::reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let sending = send_all(
        &http,
        &base,
        Arc::clone(plan),
        args.concurrency,
        Arc::clone(&done),
    );
    let sent = match &redis {
        Some(redis) => {
            let restart = async {
                while done.load(Ordering::Relaxed) < half {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let at = std::time::Instant::now();
                // On a thread of its own: the deliveries go on meanwhile, and meet Redis down.
                let redis = Arc::clone(redis);
                tokio::task::spawn_blocking(move || redis.kill_and_restart())
                    .await
                    .map_err(|_| "the restart of Redis panicked")??;
                Ok::<Duration, String>(at.elapsed())
            };
            let (sent, restarted) = tokio::join!(sending, restart);
            down = Some(restarted?);
            sent
        }
        None => sending.await,
    };
    let peak = peak_memory(pid);
    drop(child);
    let lines = lines
        .join()
        .map_err(|_| "the reader of ramp listen's output panicked")?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut unreadable = 0;
    for line in &lines {
        match printed_key(line) {
            Some(key) => *counts.entry(key).or_default() += 1,
            None => unreadable += 1,
        }
    }
    let genuine: std::collections::HashSet<&str> =
        plan.iter().filter_map(|p| p.key.as_deref()).collect();
    // Printed once, or never because its order ended before it came (answered `ended`).
    let once = genuine
        .iter()
        .filter(|k| {
            counts.get(**k) == Some(&1) || (!counts.contains_key(**k) && sent.ended.contains(**k))
        })
        .count();
    // Nothing of an order is printed after its final line (`completed`, `COMPLETED`).
    let mut ended = std::collections::HashSet::new();
    let mut after_end = 0;
    for key in lines.iter().filter_map(|line| printed_key(line)) {
        let (order, status) = key.rsplit_once(':').unwrap_or((key.as_str(), ""));
        after_end += usize::from(ended.contains(order));
        if status.eq_ignore_ascii_case("completed") {
            ended.insert(order.to_owned());
        }
    }
    let twice = counts.values().filter(|n| **n > 1).count();
    let stray = counts
        .keys()
        .filter(|k| !genuine.contains(k.as_str()))
        .count();
    let name = match (store, redis.is_some()) {
        ("memory", _) => "ramp listen, memory store".to_owned(),
        (_, true) => "ramp listen, Redis killed half-way".to_owned(),
        _ => "ramp listen, Redis store".to_owned(),
    };
    Ok(Run {
        name,
        sent,
        peak,
        printed: Some((once, twice, stray, unreadable + after_end)),
        down,
    })
}

async fn serve_baseline_run(args: &Args, plan: &Arc<Vec<Planned>>) -> Result<Run, String> {
    let port = free_port()?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let child = Killed(
        Command::new(exe)
            .args(["--serve-baseline", &port.to_string()])
            .env(ONRAMPER_ENV, ONRAMPER_SECRET)
            .env(KOINAL_ENV, KOINAL_SECRET)
            .spawn()
            .map_err(|e| format!("could not start the baseline: {e}"))?,
    );
    wait_listening(port, "the baseline")?;
    let http = ramp_core::http::reqwest::Client::new();
    let sent = send_all(
        &http,
        &format!("http://127.0.0.1:{port}"),
        Arc::clone(plan),
        args.concurrency,
        Arc::default(),
    )
    .await;
    Ok(Run {
        name: "baseline: bare axum + HMAC".into(),
        peak: peak_memory(child.0.id()),
        sent,
        printed: None,
        down: None,
    })
}

async fn serve_baseline(port: u16) -> Result<(), String> {
    let secret = |name| {
        std::env::var(name)
            .map(SecretString::from)
            .map_err(|_| format!("{name} is not set"))
    };
    let router = baseline_router(&secret(ONRAMPER_ENV)?, &secret(KOINAL_ENV)?);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| e.to_string())?;
    axum::serve(listener, router)
        .await
        .map_err(|e| e.to_string())
}

fn args() -> Result<Result<Args, u16>, String> {
    let mut args = Args {
        ramp: String::new(),
        deliveries: 20000,
        concurrency: 64,
        seed: 7,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--serve-baseline" => return Ok(Err(number(it.next(), &flag)?)),
            "--ramp" => args.ramp = it.next().ok_or("--ramp needs the ramp binary's path")?,
            "--deliveries" => args.deliveries = number(it.next(), &flag)?,
            "--concurrency" => args.concurrency = number(it.next(), &flag)?,
            "--seed" => args.seed = number(it.next(), &flag)?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.ramp.is_empty() {
        return Err("--ramp PATH (the ramp binary) is required".into());
    }
    if args.deliveries < 100 || args.concurrency == 0 {
        return Err("--deliveries needs at least 100, --concurrency at least 1".into());
    }
    Ok(Ok(args))
}

fn report(mix: Mix, args: &Args, runs: &[Run]) -> bool {
    println!(
        "webhook deliveries  {} ({} distinct events, {} duplicates, {} forged, {} oversized; \
         {} at once)",
        args.deliveries, mix.unique, mix.duplicates, mix.forged, mix.oversized, args.concurrency
    );
    let baseline = runs[0].sent.rate();
    let mut ok = true;
    for run in runs {
        let mut answers: Vec<_> = run.sent.answers.iter().collect();
        answers.sort();
        let answers: Vec<String> = answers.iter().map(|(s, n)| format!("{n}×{s}")).collect();
        println!(
            "{:<36} {:>6.0} deliveries/s  {:.2}× baseline  peak memory {}",
            run.name,
            run.sent.rate(),
            run.sent.rate() / baseline,
            run.peak,
        );
        let mut details = vec![
            format!("answers {}", answers.join(" ")),
            format!("{} sent again after a 5xx", run.sent.retries),
        ];
        if let Some(down) = run.down {
            details.push(format!("Redis down {} ms", down.as_millis()));
        }
        if let Some((once, twice, stray, unreadable)) = run.printed {
            details.push(format!(
                "handled once (or after its order's end, never) {once}/{}, more than once {twice}, \
                 forged or oversized {stray}, unreadable or after its order's end {unreadable}",
                mix.unique
            ));
            ok &= once == mix.unique && twice == 0 && stray == 0 && unreadable == 0;
        }
        println!("    {}", details.join("; "));
        if let Some(first) = &run.sent.first_wrong {
            println!("    {} wrong or lost; first: {first}", run.sent.wrong);
        }
        ok &= run.sent.wrong == 0;
    }
    ok
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    let outcome = async {
        let args = match args()? {
            Ok(args) => args,
            Err(port) => return serve_baseline(port).await.map(|()| true),
        };
        let plan = Arc::new(plan(
            args.deliveries,
            args.seed,
            &SecretString::from(ONRAMPER_SECRET),
            &SecretString::from(KOINAL_SECRET),
        ));
        let mut runs = vec![serve_baseline_run(&args, &plan).await?];
        runs.push(serve_ramp(&args, &plan, "memory", None).await?);
        let redis = Redis::start("steady")?;
        runs.push(
            serve_ramp(
                &args,
                &plan,
                &format!("redis://127.0.0.1:{}/", redis.port),
                None,
            )
            .await?,
        );
        drop(redis);
        let redis = Arc::new(Redis::start("killed")?);
        runs.push(
            serve_ramp(
                &args,
                &plan,
                &format!("redis://127.0.0.1:{}/", redis.port),
                Some(Arc::clone(&redis)),
            )
            .await?,
        );
        Ok::<bool, String>(report(Mix::of(args.deliveries), &args, &runs))
    };
    match outcome.await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("webhook-load: {err}");
            ExitCode::FAILURE
        }
    }
}
