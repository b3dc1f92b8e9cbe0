//! `ramp listen`: what `stripe listen` is to Stripe. Serves `POST /koinal`, `/onramper`,
//! `/transak` and `/proof` (those configured) with the one webhook endpoint of `ramp`, and
//! prints each new, verified event as one JSON object per line on standard output. Nothing
//! else goes to standard output.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use ramp::endpoint::Endpoint;
use ramp::{DedupStore, MemoryStore, OrderEvent, RedisStore};
use ramp_core::secret_from_env;

/// `ramp listen`'s flags.
#[derive(Args)]
pub(crate) struct ListenArgs {
    /// The loopback port to listen on.
    #[arg(long)]
    port: u16,
    /// Where handled events are recorded: `memory` (this process), or a Redis URL
    /// (`redis://HOST:PORT`) shared by every listener and kept across restarts.
    #[arg(
        long,
        value_name = "memory|redis://HOST:PORT",
        default_value = "memory"
    )]
    store: String,
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
}

impl ListenArgs {
    async fn store(&self) -> Result<Arc<dyn DedupStore>, String> {
        if self.store == "memory" {
            return Ok(Arc::new(MemoryStore::default()));
        }
        if !(self.store.starts_with("redis://") || self.store.starts_with("redis+unix://")) {
            // Not echoed: a URL may hold a password.
            return Err("--store takes memory or a redis:// (or redis+unix://) URL".into());
        }
        let store = RedisStore::connect(&self.store, Duration::from_secs(5))
            .await
            .map_err(|err| err.to_string())?;
        Ok(Arc::new(store))
    }

    fn endpoint(self, store: Arc<dyn DedupStore>) -> Result<(Endpoint, Vec<&'static str>), String> {
        let print = |event: OrderEvent| async move {
            // One line per new event, on standard output only.
            let line = serde_json::to_string(&event).map_err(|err| err.to_string())?;
            println!("{line}");
            Ok::<(), String>(())
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
            // Verification makes no call to Transak: the client is only the holder of the
            // token, so it is given no real API key or secret.
            let client = ramp::transak::Client::builder(
                ramp::transak::Environment::Staging,
                ramp_core::SecretString::from("listen-verifies-only"),
                ramp_core::SecretString::from("listen-verifies-only"),
            )
            .access_token(secret(name)?)
            .build()
            .map_err(|err| err.to_string())?;
            endpoint = endpoint.transak(client);
            routes.push("transak");
        }
        if let (Some(url), Some(name)) = (self.proof_base_url, &self.proof_token_env) {
            let client = ramp::proof::Client::builder(url, secret(name)?)
                .build()
                .map_err(|err| err.to_string())?;
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
}

/// Runs the listener until interrupted.
pub(crate) async fn run(args: ListenArgs) -> ExitCode {
    let port = args.port;
    let store = match args.store().await {
        Ok(store) => store,
        Err(message) => {
            eprintln!("ramp: {message}");
            return ExitCode::FAILURE;
        }
    };
    let (endpoint, routes) = match args.endpoint(store) {
        Ok(configured) => configured,
        Err(message) => {
            eprintln!("ramp: {message}");
            return ExitCode::FAILURE;
        }
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("ramp: could not listen on {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let bound = listener.local_addr().unwrap_or(addr);
    for route in &routes {
        eprintln!("ramp listen: POST http://{bound}/{route}");
    }
    let app = endpoint.router();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ramp: the listener failed: {err}");
            ExitCode::FAILURE
        }
    }
}
