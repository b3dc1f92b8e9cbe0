//! `ramp listen`: what `stripe listen` is to Stripe. Serves `POST /koinal`, `/onramper`,
//! `/transak` and `/proof` (those configured) with the one webhook endpoint of `ramp`, and
//! prints each new, verified event as one JSON object per line on standard output, also those
//! the tracker reads (`--track`). Nothing else goes to standard output; when it closes, the
//! listener stops with a non-zero status, having acknowledged nothing it could not print.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use ramp::endpoint::Endpoint;
use ramp::store::DedupStore;
use ramp::track::{MemoryBook, OrderBook, RedisBook};
use ramp::{MemoryStore, RedisStore};
use ramp_core::secret_from_env;

mod follow;
mod print;

use follow::ReadFlags;
use print::Printer;

/// `ramp listen`'s flags.
#[derive(Args)]
pub(crate) struct ListenArgs {
    /// The loopback port to listen on.
    #[arg(long)]
    port: u16,
    /// Where handled events are recorded: `memory` (this process), or a Redis or Postgres
    /// URL, shared by every listener and kept across restarts.
    #[arg(
        long,
        value_name = "memory|redis://HOST:PORT|postgres://USER@HOST:PORT/DB",
        default_value = "memory"
    )]
    store: String,
    /// How long a handled event that is not final is remembered (`2s`, `15m`, `12h`, `30d`);
    /// an order that ended is remembered for good.
    #[arg(long, value_name = "DURATION", default_value = "30d", value_parser = duration)]
    keep: Duration,
    /// Serve `POST /koinal`, verified with the callback secret in this variable (HMAC reading).
    #[arg(long, value_name = "NAME")]
    koinal_callback_secret_env: Option<String>,
    /// Serve `POST /onramper`, verified with the webhook secret in this variable.
    #[arg(long, value_name = "NAME")]
    onramper_webhook_secret_env: Option<String>,
    /// Serve `POST /transak`, verified with the partner access token in this variable (never
    /// refreshed: a refresh would invalidate the token deliveries are signed with).
    #[arg(long, value_name = "NAME")]
    transak_access_token_env: Option<String>,
    /// Serve `POST /proof`: each delivery is confirmed by reading the transaction here.
    #[arg(long, value_name = "URL", requires = "proof_token_env")]
    proof_base_url: Option<url::Url>,
    /// Proof's client token, for the reads that confirm a delivery.
    #[arg(long, value_name = "NAME", requires = "proof_base_url")]
    proof_token_env: Option<String>,
    /// Follow every order heard of by reading it until its end, for the providers it can
    /// read (Proof; Transak and Koinal with their read flags); says at start which.
    #[arg(long)]
    track: bool,
    /// The tracker's first read after N ms, doubling while nothing changes (up to 60 times
    /// as much).
    #[arg(long, value_name = "N", default_value_t = 5000, requires = "track")]
    track_interval_ms: u64,
    /// Serve Prometheus text at `http://HOST:PORT/metrics`: every delivery counted once by
    /// provider and outcome (`ramp_webhook_deliveries_total`), handler time, followed orders
    /// and status reads.
    #[arg(long, value_name = "HOST:PORT")]
    metrics_addr: Option<SocketAddr>,
    #[command(flatten)]
    reads: ReadFlags,
}

/// `2s`, `15m`, `12h`, `30d`, `500ms`.
fn duration(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or("give a unit: ms, s, m, h or d (as 30d)")?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| "a whole number, then a unit (as 30d)".to_owned())?;
    let unit = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err("the unit is one of ms, s, m, h, d (as 30d)".into()),
    };
    Ok(Duration::from_millis(number.saturating_mul(unit)))
}

/// The store and, for `--track`, the book beside it.
struct Stores {
    store: Arc<dyn DedupStore>,
    book: Arc<dyn OrderBook>,
}

impl ListenArgs {
    async fn stores(&self) -> Result<Stores, String> {
        if self.store == "memory" {
            return Ok(Stores {
                store: Arc::new(MemoryStore::new(100_000, self.keep)),
                book: Arc::new(MemoryBook::new()),
            });
        }
        if self.store.starts_with("redis://") || self.store.starts_with("redis+unix://") {
            let store = RedisStore::connect(&self.store, Duration::from_secs(5))
                .await
                .map_err(|err| err.to_string())?
                .keep(self.keep);
            return Ok(Stores {
                book: Arc::new(RedisBook::new(&store)),
                store: Arc::new(store),
            });
        }
        if self.store.starts_with("postgres://") || self.store.starts_with("postgresql://") {
            let store = ramp::postgres::PgStore::connect(&self.store)
                .await
                .map_err(|err| err.to_string())?
                .keep(self.keep);
            store.migrate().await.map_err(|err| err.to_string())?;
            return Ok(Stores {
                book: Arc::new(ramp::postgres::PgBook::new(&store)),
                store: Arc::new(store),
            });
        }
        // Not echoed: a URL may hold a password.
        Err(
            "--store takes memory, a redis:// (or redis+unix://) URL, or a postgres:// \
             (or postgresql://) URL"
                .into(),
        )
    }

    fn endpoint(
        &self,
        store: Arc<dyn DedupStore>,
        printer: &Printer,
    ) -> Result<(Endpoint, Vec<&'static str>), String> {
        let printer = printer.clone();
        let print = move |event| {
            let printer = printer.clone();
            async move { printer.print(event).await }
        };
        let mut endpoint = Endpoint::new(store, print);
        let mut routes = Vec::new();
        let secret = |name: &str| secret_from_env(name).map_err(|err| err.to_string());
        if let Some(name) = &self.koinal_callback_secret_env {
            let verifier = ramp::koinal::WebhookVerifier::new(
                secret(name)?,
                ramp::koinal::CallbackScheme::HmacBodyPlusSecret,
            )
            .map_err(|err| err.to_string())?;
            endpoint = endpoint.koinal(verifier);
            routes.push("koinal");
        }
        if let Some(name) = &self.onramper_webhook_secret_env {
            let verifier = ramp::onramper_sign::WebhookVerifier::new(secret(name)?)
                .map_err(|err| err.to_string())?;
            endpoint = endpoint.onramper(verifier);
            routes.push("onramper");
        }
        if let Some(name) = &self.transak_access_token_env {
            endpoint = endpoint.transak(self.reads.transak(secret(name)?, false)?);
            routes.push("transak");
        }
        if let Some(client) = self.proof()? {
            endpoint = endpoint.proof(client);
            routes.push("proof");
        }
        if routes.is_empty() {
            return Err(
                "configure at least one provider (--koinal-callback-secret-env, \
                        --onramper-webhook-secret-env, --transak-access-token-env, or \
                        --proof-base-url with --proof-token-env)"
                    .into(),
            );
        }
        Ok((endpoint, routes))
    }

    fn proof(&self) -> Result<Option<ramp::proof::Client>, String> {
        let (Some(url), Some(name)) = (&self.proof_base_url, &self.proof_token_env) else {
            return Ok(None);
        };
        let token = secret_from_env(name).map_err(|err| err.to_string())?;
        ramp::proof::Client::builder(url.clone(), token)
            .build()
            .map(Some)
            .map_err(|err| err.to_string())
    }
}

/// Runs the listener until interrupted, or until standard output closes.
pub(crate) async fn run(args: ListenArgs) -> ExitCode {
    match serve(args).await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("ramp: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ListenArgs) -> Result<ExitCode, String> {
    // Refused deliveries (with the provider and the cause), reads that fail, and what the
    // endpoint could not do go to standard error; standard output is for events only.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing_subscriber::filter::LevelFilter::WARN)
        .with_target(false)
        .try_init();
    if let Some(addr) = args.metrics_addr {
        serve_metrics(addr).await?;
    }
    let stores = args.stores().await?;
    let printer = Printer::start();
    let (mut endpoint, routes) = args.endpoint(Arc::clone(&stores.store), &printer)?;
    let tracker = if args.track {
        let tracker = Arc::new(follow::tracker(&args, &stores, &printer)?);
        endpoint = endpoint.tracker(Arc::clone(&tracker));
        Some(tracker)
    } else {
        None
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|err| format!("could not listen on {addr}: {err}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    for route in &routes {
        eprintln!("ramp listen: POST http://{bound}/{route}");
    }
    if let Some(tracker) = &tracker {
        eprintln!("{}", follow::describe(tracker, args.track_interval_ms));
        let tracker = Arc::clone(tracker);
        tokio::spawn(async move { tracker.run().await });
    }
    let closed = Arc::clone(&printer.closed);
    let stdout_closed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let shutdown = {
        let stdout_closed = Arc::clone(&stdout_closed);
        async move {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = closed.notified() => {
                    stdout_closed.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
    };
    axum::serve(listener, endpoint.router())
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|err| format!("the listener failed: {err}"))?;
    if stdout_closed.load(std::sync::atomic::Ordering::SeqCst) {
        return Err("standard output closed: stopped, acknowledging nothing unprinted".into());
    }
    Ok(ExitCode::SUCCESS)
}

/// Installs the Prometheus recorder and serves its text at `addr`'s `/metrics`.
async fn serve_metrics(addr: SocketAddr) -> Result<(), String> {
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|err| format!("could not install the metrics recorder: {err}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|err| format!("could not serve metrics on {addr}: {err}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    eprintln!("ramp listen: metrics at http://{bound}/metrics");
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let text = handle.render();
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    text,
                )
            }
        }),
    );
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("ramp listen: the metrics server failed: {err}");
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::duration;
    use std::time::Duration;

    #[test]
    fn durations_read_with_their_unit() {
        assert_eq!(duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(duration("30d"), Ok(Duration::from_secs(30 * 86_400)));
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(duration("30").is_err());
        assert!(duration("d").is_err());
        assert!(duration("3w").is_err());
        assert!(duration("-3s").is_err());
    }
}
