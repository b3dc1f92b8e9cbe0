//! Load test: thousands of concurrent sessions through the SDK clients against a running
//! sandbox. Run by `cargo xtask load`, which starts the sandbox in its own process (so its
//! memory can be measured) and passes its address.
//!
//! ```text
//! load --base http://127.0.0.1:PORT [--sessions N] [--concurrency C]
//!      [--store memory|redis] [--redis redis://127.0.0.1:PORT/] [--instance NAME]
//! ```
//!
//! With `--store redis` the Transak client keeps its access token in a `RedisTokenStore`, so
//! that several load processes (`cargo xtask load --instances N --store redis`) share one
//! token and one refresh.
//!
//! It first runs a baseline in the same process (plain GETs of the Onramper widget host,
//! no SDK), then the SDK flows, and reports the SDK throughput as a ratio to the baseline.
//! It exits non-zero if any call failed.

use ramp_bench::load::{Clients, plain_requests};

struct Args {
    base: String,
    sessions: usize,
    concurrency: usize,
    redis: Option<String>,
    instance: String,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        base: String::new(),
        sessions: 4000,
        concurrency: 400,
        redis: None,
        instance: String::new(),
    };
    let mut store = String::from("memory");
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base" => args.base = value.trim_end_matches('/').to_owned(),
            "--sessions" => args.sessions = value.parse().map_err(|e| format!("{e}"))?,
            "--concurrency" => args.concurrency = value.parse().map_err(|e| format!("{e}"))?,
            "--store" => store = value,
            "--redis" => args.redis = Some(value),
            "--instance" => args.instance = format!("[{value}] "),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.base.is_empty() {
        return Err("--base http://127.0.0.1:PORT is required".into());
    }
    match (store.as_str(), &args.redis) {
        ("memory", None) | ("redis", Some(_)) => {}
        ("memory", Some(_)) => return Err("--redis goes with --store redis".into()),
        ("redis", None) => return Err("--store redis needs --redis URL".into()),
        (other, _) => return Err(format!("unknown store {other} (memory or redis)")),
    }
    if args.concurrency == 0 {
        return Err("--concurrency must be at least 1".into());
    }
    Ok(args)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::process::ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(err) => {
            eprintln!("load: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let (n, concurrency) = (args.sessions, args.concurrency);

    // Baseline: the same number of plain requests, no SDK, no signing on the client.
    let http = ramp_core::http::reqwest::Client::new();
    let baseline = plain_requests(&http, &args.base, n, concurrency).await;
    let clients = match Clients::build(&args.base, args.redis.as_deref()) {
        Ok(clients) => clients,
        Err(err) => {
            eprintln!("load: could not build the clients: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let sdk = clients.sessions(n, concurrency).await;
    for first in [&baseline.first_error, &sdk.first_error]
        .into_iter()
        .flatten()
    {
        eprintln!("  first error: {first}");
    }

    let me = &args.instance;
    let store = if args.redis.is_some() {
        "Redis"
    } else {
        "in-memory"
    };
    println!(
        "{me}sessions            {n} (Kryptonim, Proof, Koinal quotes, Transak widget URLs; {concurrency} at once; {store} token store)"
    );
    println!(
        "{me}baseline            {:.0} plain requests/s ({} transport errors)",
        baseline.rate(),
        baseline.errors
    );
    println!(
        "{me}SDK flows           {:.0} sessions/s in {:.2?}",
        sdk.rate(),
        sdk.elapsed
    );
    println!(
        "{me}ratio to baseline   {:.2}",
        sdk.rate() / baseline.rate()
    );
    println!("{me}errors              {}", sdk.errors);
    if sdk.errors == 0 && baseline.errors == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
