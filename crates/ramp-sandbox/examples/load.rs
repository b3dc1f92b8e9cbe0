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

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ramp_core::SecretString;
use ramp_sandbox::credentials as c;
use tokio::sync::Semaphore;
use url::Url;

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

/// Runs `count` calls of `call(i)`, at most `concurrency` at once; (elapsed, errors).
async fn drive<F, Fut>(count: usize, concurrency: usize, call: F) -> (Duration, usize)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let permits = Arc::new(Semaphore::new(concurrency));
    let errors = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for i in 0..count {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        let (call, errors, first_error) = (
            Arc::clone(&call),
            Arc::clone(&errors),
            Arc::clone(&first_error),
        );
        tasks.push(tokio::spawn(async move {
            if let Err(err) = call(i).await {
                errors.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut first) = first_error.lock() {
                    first.get_or_insert(err);
                }
            }
            drop(permit);
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    if let Ok(first) = first_error.lock()
        && let Some(err) = first.as_ref()
    {
        eprintln!("  first error: {err}");
    }
    (started.elapsed(), errors.load(Ordering::Relaxed))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(err) => {
            eprintln!("load: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let secret = |s: &str| SecretString::from(s);
    let url = |path: &str| Url::parse(&format!("{}/{path}", args.base)).expect("--base is a URL");
    let (n, concurrency) = (args.sessions, args.concurrency);

    // Baseline: the same number of plain requests, no SDK, no signing on the client.
    let http = ramp_core::http::reqwest::Client::new();
    let onramper = format!(
        "{}/onramper/?apiKey={}&wallets=eth:0xabc",
        args.base,
        c::ONRAMPER_API_KEY
    );
    let (baseline, baseline_errors) = drive(n, concurrency, move |_| {
        let (http, onramper) = (http.clone(), onramper.clone());
        async move {
            // Unsigned, so the sandbox answers 400 with the reason: a full round trip.
            http.get(&onramper)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    })
    .await;

    let kryptonim = ramp_kryptonim::Client::builder(
        url("kryptonim/"),
        secret(c::KRYPTONIM_API_KEY),
        secret(c::KRYPTONIM_SIGNATURE_SECRET),
    )
    .build()
    .map_err(|e| e.to_string());
    let proof = ramp_proof::Client::builder(url("proof/"), secret(c::PROOF_CLIENT_TOKEN))
        .origin(c::PROOF_ORIGIN)
        .build()
        .map_err(|e| e.to_string());
    let koinal = ramp_koinal::Client::builder(
        url("koinal/"),
        c::KOINAL_MERCHANT_CODE,
        secret(c::KOINAL_SECRET),
    )
    .build()
    .map_err(|e| e.to_string());
    let environment = ramp_transak::Environment::Custom {
        api: url("transak/api/"),
        gateway: url("transak/gateway/"),
    };
    let mut transak = ramp_transak::Client::builder(
        environment.clone(),
        secret(c::TRANSAK_API_KEY),
        secret(c::TRANSAK_API_SECRET),
    )
    .referrer_domain("load.example");
    if let Some(redis) = &args.redis {
        match ramp_transak::redis_store::RedisTokenStore::builder(redis.as_str())
            .build(&environment, &secret(c::TRANSAK_API_KEY))
        {
            Ok(store) => transak = transak.token_store(store),
            Err(err) => {
                eprintln!("load: {err}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let transak = transak.build().map_err(|e| e.to_string());
    let (Ok(kryptonim), Ok(proof), Ok(koinal), Ok(transak)) = (kryptonim, proof, koinal, transak)
    else {
        eprintln!("load: could not build the clients");
        return std::process::ExitCode::FAILURE;
    };

    let (elapsed, errors) = drive(n, concurrency, move |i| {
        let (kryptonim, proof, koinal, transak) = (
            kryptonim.clone(),
            proof.clone(),
            koinal.clone(),
            transak.clone(),
        );
        async move {
            match i % 4 {
                0 => {
                    let request = ramp_kryptonim::WidgetSessionRequest::builder()
                        .fiat_amount(ramp_kryptonim::Decimal::new(1550 + i as i64, 2))
                        .fiat_currency("EUR")
                        .crypto_currency("USDC")
                        .network("polygon")
                        .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
                        .build()
                        .map_err(|e| e.to_string())?;
                    kryptonim
                        .create_widget_session(&request)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                }
                1 => {
                    let request = ramp_proof::SessionRequest::builder()
                        .partner_user_id(format!("user-{i}"))
                        .user_email("user@example.com")
                        .network("TRC20")
                        .currency("USDT")
                        .amount(ramp_proof::Decimal::from(100))
                        .build()
                        .map_err(|e| e.to_string())?;
                    proof
                        .create_session(&request)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                }
                2 => {
                    let request = ramp_koinal::QuoteRequest::builder()
                        .cryptocurrency("BTC")
                        .currency("USD")
                        .currency_amount(ramp_koinal::Decimal::from(1000))
                        .build()
                        .map_err(|e| e.to_string())?;
                    koinal
                        .quote(&format!("user-{i}"), &request)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                }
                _ => transak
                    .create_widget_url(&ramp_transak::WidgetParams::default())
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            }
        }
    })
    .await;

    let rate = |count: usize, d: Duration| count as f64 / d.as_secs_f64().max(1e-9);
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
        "{me}baseline            {:.0} plain requests/s ({baseline_errors} transport errors)",
        rate(n, baseline)
    );
    println!(
        "{me}SDK flows           {:.0} sessions/s in {:.2?}",
        rate(n, elapsed),
        elapsed
    );
    println!(
        "{me}ratio to baseline   {:.2}",
        rate(n, elapsed) / rate(n, baseline)
    );
    println!("{me}errors              {errors}");
    if errors == 0 && baseline_errors == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
