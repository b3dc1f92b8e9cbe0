//! The fault run: three replicas of the endpoint (each a process of its own, with a tracker)
//! on one shared store, every event delivered two or three times and out of order, 32 at
//! once, while replica 2 is killed (SIGKILL) and started again, the store is killed and
//! started again, Proof's reads fail for a while, its pushes come out of order or never, and
//! replica 3's clock runs 10 s ahead (libfaketime). The handlers keep a ledger: in the
//! store's transaction for Postgres, in a file per replica for Redis. Run by
//! `cargo xtask load --run faults`.
//!
//! ```text
//! fault-load [--store redis|postgres|both] [--orders N (1000)] [--concurrency C (32)] [--seed S]
//! fault-load replica --store URL --port P --proof URL [--ledger FILE]
//! ```
//!
//! It exits non-zero when an event is lost, when Postgres doubles one, when an order is
//! handled after its end, or when a delivery is never answered 200.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use ramp_bench::faults::{Answers, Delivered, Plan, ProofMock, deliver, judge, plan};
use ramp_bench::processes::{Killed, Redis, free_port};
use tokio::sync::Semaphore;

mod replica;

const REPLICAS: usize = 3;

struct Args {
    stores: Vec<String>,
    orders: usize,
    concurrency: usize,
    seed: u64,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        stores: vec!["redis".into(), "postgres".into()],
        orders: 1000,
        concurrency: 32,
        seed: 7,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse().map_err(|_| format!("{flag} needs a number"));
        match flag.as_str() {
            "--store" if value == "both" => {}
            "--store" if value == "redis" || value == "postgres" => {
                parsed.stores = vec![value.clone()];
            }
            "--orders" => parsed.orders = number()?,
            "--concurrency" => parsed.concurrency = number()?,
            "--seed" => parsed.seed = number()? as u64,
            _ => return Err(format!("unknown flag {flag} {value}")),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("fault-load: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args.first().map(String::as_str) {
        Some("replica") => runtime.block_on(replica::serve(&args[1..])),
        _ => runtime.block_on(drive(&args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fault-load: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn drive(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let mut failed = Vec::new();
    for store in &args.stores {
        if let Err(err) = run(store, &args).await {
            println!("  FAILED          {err}");
            failed.push(store.clone());
        }
        println!();
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("the fault run failed on {}", failed.join(", ")))
    }
}

/// The store a run uses, killed and started again half-way.
enum Store {
    Redis(Arc<Redis>),
    Postgres(Arc<std::sync::Mutex<ramp_testkit::PostgresServer>>),
}

impl Store {
    fn url(&self) -> String {
        match self {
            Self::Redis(redis) => format!("redis://127.0.0.1:{}/", redis.port),
            Self::Postgres(server) => server.lock().map(|s| s.url()).unwrap_or_default(),
        }
    }

    fn restart(&self) -> Result<(), String> {
        match self {
            Self::Redis(redis) => redis.kill_and_restart(),
            Self::Postgres(server) => {
                let mut server = server.lock().map_err(|_| "poisoned")?;
                server.kill();
                std::thread::sleep(Duration::from_millis(1000));
                server.start_again();
                Ok(())
            }
        }
    }
}

async fn run(kind: &str, args: &Args) -> Result<(), String> {
    let store = match kind {
        "redis" => Store::Redis(Arc::new(Redis::start("faults")?)),
        _ => Store::Postgres(Arc::new(std::sync::Mutex::new(
            ramp_testkit::PostgresServer::start_durable(),
        ))),
    };
    let ledgers = std::env::temp_dir().join(format!("ramp-fault-load-{}", std::process::id()));
    std::fs::create_dir_all(&ledgers).map_err(|e| e.to_string())?;
    let ledger_table = match &store {
        Store::Postgres(_) => Some(replica::ledger_table(&store.url()).await?),
        Store::Redis(_) => None,
    };
    let mock = Arc::new(ProofMock::default());
    let proof_port = free_port()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", proof_port))
        .await
        .map_err(|e| e.to_string())?;
    let router = mock.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let proof = format!("http://127.0.0.1:{proof_port}/");
    let faketime = replica::faketime();
    let mut replicas = Vec::new();
    let mut clocks = Vec::new();
    for i in 0..REPLICAS {
        let ledger = ledgers.join(format!("replica-{i}"));
        let skewed = (i == 2).then_some(faketime.as_deref()).flatten();
        let (process, port, clock) = replica::spawn(&store.url(), &proof, &ledger, skewed, None)?;
        clocks.push(clock);
        replicas.push((std::sync::Mutex::new(Some(process)), port, ledger));
    }
    let bases: Arc<Vec<String>> = Arc::new(
        replicas
            .iter()
            .map(|(_, port, _)| format!("http://127.0.0.1:{port}"))
            .collect(),
    );
    let plan = Arc::new(plan(args.orders, args.seed));
    let pushes = plan.proof.len() * 7 - plan.proof.iter().filter(|p| p.withhold_final).count() * 2;
    let total = plan.signed.len() + pushes;
    println!(
        "fault run: {kind}, {REPLICAS} replicas, {} orders ({} events), {total} deliveries, {} at once",
        plan.finals.len(),
        count_events(&plan),
        args.concurrency
    );
    let delivered = Arc::new(Delivered::default());
    let http = ramp_core::http::reqwest::Client::new();
    let started = Instant::now();
    let sending = send(&http, &bases, &plan, &mock, args.concurrency, &delivered);
    let faults = faults(&replicas, &store, &mock, &delivered, total, &proof, &clocks);
    let (_, faults) = tokio::join!(sending, faults);
    let faults = faults?;
    let sent_in = started.elapsed();
    // The ends whose push never came are read by a tracker.
    let waited = Instant::now();
    while waited.elapsed() < Duration::from_secs(120) {
        let ledger = replica::read_ledger(ledger_table.as_ref(), &replicas).await?;
        let rows: std::collections::HashSet<&String> = ledger.iter().collect();
        if plan.finals.values().all(|key| rows.contains(key)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let ended_in = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (process, _, _) in &replicas {
        drop(process.lock().map_err(|_| "poisoned")?.take());
    }
    let ledger = replica::read_ledger(ledger_table.as_ref(), &replicas).await?;
    let _ = std::fs::remove_dir_all(&ledgers);
    let answers = Answers {
        finals: &plan.finals,
        signed: plan.signed.iter().map(|s| s.key.as_str()).collect(),
        acknowledged: delivered
            .acknowledged
            .lock()
            .map_err(|_| "poisoned")?
            .clone(),
        ended: delivered.ended.lock().map_err(|_| "poisoned")?.clone(),
    };
    let verdict = judge(&ledger, ledger_table.is_some(), &answers);
    println!("  faults          {faults}");
    println!(
        "  deliveries      {} retried, {} refused, {} unanswered; sent in {:.1} s, every order at its end after {:.1} s; {} Proof reads",
        delivered.retries.load(Ordering::Relaxed),
        delivered.refused.load(Ordering::Relaxed),
        delivered.unanswered.load(Ordering::Relaxed),
        sent_in.as_secs_f64(),
        ended_in.as_secs_f64(),
        mock.reads.load(Ordering::Relaxed),
    );
    println!(
        "  ledger          {} rows: {} lost, {} doubled, {} never handled as their order had ended, {}",
        verdict.rows,
        verdict.lost.len(),
        verdict.doubled.len(),
        verdict.after_their_end,
        if ledger_table.is_some() {
            format!("{} after their order's end", verdict.after_end)
        } else {
            "order across replicas not kept (files)".into()
        }
    );
    if let Some(lost) = verdict.lost.first() {
        println!("  first lost      {lost}");
    }
    if let Some((key, n)) = verdict.doubled.first() {
        println!("  first doubled   {key} ({n} times)");
    }
    let bad = !verdict.lost.is_empty()
        || verdict.after_end > 0
        || (ledger_table.is_some() && !verdict.doubled.is_empty())
        || delivered.unanswered.load(Ordering::Relaxed) > 0
        || delivered.refused.load(Ordering::Relaxed) > 0;
    if bad {
        return Err("an event was lost, doubled or handled after its end".into());
    }
    Ok(())
}

fn count_events(plan: &Plan) -> usize {
    let signed: std::collections::HashSet<&str> =
        plan.signed.iter().map(|s| s.key.as_str()).collect();
    signed.len() + plan.proof.len() * 3
}

/// Every signed delivery and every Proof transaction's pushes, at once.
async fn send(
    http: &ramp_core::http::reqwest::Client,
    bases: &Arc<Vec<String>>,
    plan: &Arc<Plan>,
    mock: &Arc<ProofMock>,
    concurrency: usize,
    delivered: &Arc<Delivered>,
) {
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..plan.signed.len() {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        let (client, replicas, planned, tally) = (
            http.clone(),
            Arc::clone(bases),
            Arc::clone(plan),
            Arc::clone(delivered),
        );
        tasks.spawn(async move {
            let signed = &planned.signed[i];
            deliver(
                &client,
                &replicas,
                i,
                signed.route,
                &signed.delivery,
                Some(&signed.key),
                &tally,
            )
            .await;
            drop(permit);
        });
        // Proof's transactions advance beside the signed deliveries.
        if let Some(script) = (i % 8 == 0).then(|| plan.proof.get(i / 8)).flatten() {
            let (http, bases, mock, delivered) = (
                http.clone(),
                Arc::clone(bases),
                Arc::clone(mock),
                Arc::clone(delivered),
            );
            let script = script.clone();
            tasks.spawn(async move {
                replica::advance_proof(&http, &bases, &mock, &script, i, &delivered).await;
            });
        }
    }
    tasks.join_all().await;
}

/// The faults, by progress: replica 2 killed at 25% (started again a second later), Proof's
/// reads failing from 30% to 60%, the store killed at 50% (started again a second later).
async fn faults(
    replicas: &[(std::sync::Mutex<Option<Killed>>, u16, std::path::PathBuf)],
    store: &Store,
    mock: &ProofMock,
    delivered: &Delivered,
    total: usize,
    proof: &str,
    clocks: &[i64],
) -> Result<String, String> {
    let at = |share: usize| async move {
        while delivered.done.load(Ordering::Relaxed) * 100 < total * share {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    at(25).await;
    let killed = Instant::now();
    let (process, port, ledger) = &replicas[1];
    drop(process.lock().map_err(|_| "poisoned")?.take());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let (again, _, _) = replica::spawn(&store.url(), proof, ledger, None, Some(*port))?;
    *process.lock().map_err(|_| "poisoned")? = Some(again);
    let replica_down = killed.elapsed();
    at(30).await;
    mock.failing.store(true, Ordering::Relaxed);
    let failing = Instant::now();
    at(50).await;
    let restarting = Instant::now();
    let url = store.url();
    tokio::task::spawn_blocking({
        let store = match store {
            Store::Redis(redis) => Store::Redis(Arc::clone(redis)),
            Store::Postgres(server) => Store::Postgres(Arc::clone(server)),
        };
        move || store.restart()
    })
    .await
    .map_err(|_| "the store's restart panicked")??;
    if url != store.url() {
        return Err("the store came back on another port".into());
    }
    let store_down = restarting.elapsed();
    at(60).await;
    mock.failing.store(false, Ordering::Relaxed);
    let skew = clocks
        .get(2)
        .zip(clocks.first())
        .map(|(skewed, other)| (skewed - other) as f64 / 1000.0);
    Ok(format!(
        "replica 2 killed at 25% (down {:.1} s); store killed at 50% (down {:.1} s); Proof reads failing for {:.1} s; replica 3's clock {}",
        replica_down.as_secs_f64(),
        store_down.as_secs_f64(),
        failing.elapsed().as_secs_f64(),
        skew.map_or("not skewed (libfaketime missing)".into(), |s| format!(
            "{s:+.1} s"
        ))
    ))
}
