//! One replica of the endpoint (`fault-load replica`), how the driver starts it, Proof's
//! transactions advancing, and the handlers' ledger.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ramp::endpoint::Endpoint;
use ramp::track::{RedisBook, Schedule, Tracker};
use ramp::{OrderEvent, RedisStore};
use ramp_bench::faults::{
    Delivered, KOINAL_SECRET, ONRAMPER_SECRET, ProofMock, ProofScript, deliver,
};
use ramp_bench::processes::{Killed, free_port, wait_listening};
use ramp_core::SecretString;
use ramp_core::webhook::Delivery;

/// The tracker's schedule in the run: the first read after 300 ms, at most every 2 s, and a
/// lease of 5 s (a killed replica's orders are taken over after it).
fn tracking(tracker: Tracker, proof: ramp::proof::Client) -> Tracker {
    tracker
        .proof(proof)
        .schedule(Schedule {
            first: Duration::from_millis(300),
            max: Duration::from_secs(2),
        })
        .lease(Duration::from_secs(5))
}

/// `replica --store URL --port P --proof URL [--ledger FILE]`: serves `/onramper`,
/// `/koinal` and `/proof` on the loopback port, with a tracker, until killed. It prints its
/// clock (ms since the epoch) first, so the driver can tell how far off it is.
pub(crate) async fn serve(args: &[String]) -> Result<(), String> {
    let value = |flag: &str| {
        args.iter()
            .position(|arg| arg == flag)
            .and_then(|at| args.get(at + 1))
            .cloned()
            .ok_or(format!("{flag} is missing"))
    };
    let (store, port, proof) = (value("--store")?, value("--port")?, value("--proof")?);
    let proof = ramp::proof::Client::builder(
        url::Url::parse(&proof).map_err(|e| e.to_string())?,
        SecretString::from("fault-token"),
    )
    .build()
    .map_err(|e| e.to_string())?;
    let onramper = ramp::onramper_sign::WebhookVerifier::new(SecretString::from(ONRAMPER_SECRET))
        .map_err(|e| e.to_string())?;
    let koinal = ramp::koinal::WebhookVerifier::new(
        SecretString::from(KOINAL_SECRET),
        ramp::koinal::CallbackScheme::HmacBodyPlusSecret,
    )
    .map_err(|e| e.to_string())?;
    let (endpoint, tracker) = if store.starts_with("redis://") {
        let redis = RedisStore::connect(&store, Duration::from_secs(5))
            .await
            .map_err(|e| e.to_string())?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(value("--ledger")?)
            .map_err(|e| e.to_string())?;
        let ledger = Arc::new(Mutex::new(file));
        // The ledger line, then (in the endpoint) the record: a replica killed in between
        // runs the handler again on the redelivery. That is what the run counts.
        let handler = move |event: OrderEvent| {
            let ledger = Arc::clone(&ledger);
            async move {
                let mut file = ledger
                    .lock()
                    .map_err(|_| ramp::HandlerError::retry("poisoned"))?;
                file.write_all(format!("{}\n", event.dedup_key()).as_bytes())?;
                Ok::<(), ramp::HandlerError>(())
            }
        };
        let tracker = tracking(
            Tracker::new(
                Arc::new(RedisBook::new(&redis)),
                Arc::new(redis.clone()),
                handler.clone(),
            ),
            proof.clone(),
        );
        let tracker = Arc::new(tracker);
        let endpoint = Endpoint::new(Arc::new(redis), handler).tracker(Arc::clone(&tracker));
        (endpoint, tracker)
    } else {
        let store = ramp::postgres::PgStore::connect(&store)
            .await
            .map_err(|e| e.to_string())?;
        let book = Arc::new(ramp::postgres::PgBook::new(&store));
        let tracker = Arc::new(tracking(
            Tracker::transactional(book, store.clone(), |event: OrderEvent, tx| {
                Box::pin(async move { write_ledger(&event, tx).await })
            }),
            proof.clone(),
        ));
        let endpoint = Endpoint::transactional(store, |event: OrderEvent, tx| {
            Box::pin(async move { write_ledger(&event, tx).await })
        })
        .tracker(Arc::clone(&tracker));
        (endpoint, tracker)
    };
    let router = endpoint
        .onramper(onramper)
        .koinal(koinal)
        .proof(proof)
        .router();
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .map_err(|e| e.to_string())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?;
    println!("clock {}", now.as_millis());
    tokio::spawn(async move { tracker.run().await });
    axum::serve(listener, router)
        .await
        .map_err(|e| e.to_string())
}

/// The Postgres handler: one ledger row, in the store's transaction.
async fn write_ledger(event: &OrderEvent, tx: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO ledger (event_key) VALUES ($1)")
        .bind(event.dedup_key())
        .execute(tx)
        .await
        .map(|_| ())
}

/// Starts a replica on `port` (a free one when `None`): its process, its port and its clock.
/// `faketime`: the libfaketime library to run it 10 s ahead with.
pub(crate) fn spawn(
    store: &str,
    proof: &str,
    ledger: &std::path::Path,
    faketime: Option<&str>,
    port: Option<u16>,
) -> Result<(Killed, u16, i64), String> {
    let port = match port {
        Some(port) => port,
        None => free_port()?,
    };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new(exe);
    command
        .args(["replica", "--store", store, "--proof", proof])
        .args(["--port", &port.to_string()])
        .arg("--ledger")
        .arg(ledger)
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("FAULT_LOAD_STDERR").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        });
    if let Some(library) = faketime {
        command
            .env("LD_PRELOAD", library)
            .env("FAKETIME", "+10s")
            .env("FAKETIME_DONT_RESET", "1");
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start a replica: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let child = Killed(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let clock = line
        .trim()
        .strip_prefix("clock ")
        .and_then(|ms| ms.parse().ok())
        .ok_or(format!("a replica did not start: {line:?}"))?;
    wait_listening(port, "a replica")?;
    Ok((child, port, clock))
}

/// libfaketime, where the distribution put it (Debian's `libfaketime`).
pub(crate) fn faketime() -> Option<String> {
    std::fs::read_dir("/usr/lib")
        .ok()?
        .flatten()
        .map(|dir| dir.path().join("faketime/libfaketime.so.1"))
        .find(|path| path.exists())
        .map(|path| path.display().to_string())
}

/// The ledger table, made by the driver before any replica starts.
pub(crate) async fn ledger_table(url: &str) -> Result<sqlx::PgPool, String> {
    let store = ramp::postgres::PgStore::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    sqlx::raw_sql("CREATE TABLE ledger (id bigserial PRIMARY KEY, event_key text NOT NULL)")
        .execute(store.pool())
        .await
        .map_err(|e| e.to_string())?;
    Ok(store.pool().clone())
}

/// Every ledger row: the table's in handling order, or every replica's file.
pub(crate) async fn read_ledger(
    table: Option<&sqlx::PgPool>,
    replicas: &[(Mutex<Option<Killed>>, u16, std::path::PathBuf)],
) -> Result<Vec<String>, String> {
    if let Some(pool) = table {
        return sqlx::query_scalar("SELECT event_key FROM ledger ORDER BY id")
            .fetch_all(pool)
            .await
            .map_err(|e| e.to_string());
    }
    let mut rows = Vec::new();
    for (_, _, ledger) in replicas {
        let text = std::fs::read_to_string(ledger).unwrap_or_default();
        rows.extend(text.lines().map(str::to_owned));
    }
    Ok(rows)
}

/// One Proof transaction: pending, processing, completed, each set in Proof's reads, then
/// pushed twice (the final push withheld for some), and a late `processing` push after the
/// end (older than the read).
pub(crate) async fn advance_proof(
    http: &ramp_core::http::reqwest::Client,
    bases: &[String],
    mock: &ProofMock,
    script: &ProofScript,
    first: usize,
    delivered: &Delivered,
) {
    let hint = |status: &str| Delivery {
        body: format!(
            r#"{{"merchant_transaction_id":"{}","status":"{status}"}}"#,
            script.tx
        )
        .into_bytes(),
        ..Delivery::default()
    };
    for status in ["pending", "processing", "completed"] {
        mock.set(&script.tx, status);
        if status == "completed" && script.withhold_final {
            continue;
        }
        for push in 0..2 {
            deliver(
                http,
                bases,
                first + push,
                "proof",
                &hint(status),
                None,
                delivered,
            )
            .await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    deliver(
        http,
        bases,
        first,
        "proof",
        &hint("processing"),
        None,
        delivered,
    )
    .await;
}
