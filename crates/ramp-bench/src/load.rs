//! The sandbox load run: thousands of concurrent sessions through the SDK clients against a
//! running sandbox, and its baseline, plain requests that use no SDK. `cargo xtask load` runs
//! it against a sandbox process (the `load` binary); `cargo xtask bench` against a sandbox on
//! its own runtime, in interleaved rounds.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ramp_core::SecretString;
use ramp_sandbox::credentials as c;
use tokio::sync::Semaphore;
use url::Url;

/// How a load phase went.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Calls made.
    pub calls: usize,
    /// From the first call to the last answer.
    pub elapsed: Duration,
    /// Calls that failed.
    pub errors: usize,
    /// The first failure, if any.
    pub first_error: Option<String>,
}

impl Outcome {
    /// Calls per second.
    pub fn rate(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs `count` calls of `call(i)`, at most `concurrency` at once (tasks on the current
/// runtime).
pub async fn drive<F, Fut>(count: usize, concurrency: usize, call: F) -> Outcome
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
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
    let first_error = first_error.lock().ok().and_then(|first| first.clone());
    Outcome {
        calls: count,
        elapsed: started.elapsed(),
        errors: errors.load(Ordering::Relaxed),
        first_error,
    }
}

/// The baseline: `count` plain GETs of the sandbox's Onramper widget host (unsigned, so the
/// sandbox answers 400 with the reason; a full round trip), no SDK, through `http` (a plain
/// `reqwest::Client::new()`).
pub async fn plain_requests(
    http: &ramp_core::http::reqwest::Client,
    base: &str,
    count: usize,
    concurrency: usize,
) -> Outcome {
    let http = http.clone();
    let onramper = format!(
        "{base}/onramper/?apiKey={}&wallets=eth:0xabc",
        c::ONRAMPER_API_KEY
    );
    drive(count, concurrency, move |_| {
        let (http, onramper) = (http.clone(), onramper.clone());
        async move {
            http.get(&onramper)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    })
    .await
}

/// The four SDK clients, built for a sandbox at `base`.
#[derive(Clone)]
pub struct Clients {
    kryptonim: ramp_kryptonim::Client,
    proof: ramp_proof::Client,
    koinal: ramp_koinal::Client,
    transak: ramp_transak::Client,
}

impl Clients {
    /// Clients of the sandbox at `base` (`http://127.0.0.1:PORT`), with its public test
    /// credentials; with `redis`, the Transak client keeps its access token in a
    /// `RedisTokenStore` there, shared by every process that uses the same Redis.
    pub fn build(base: &str, redis: Option<&str>) -> Result<Self, String> {
        let secret = |s: &str| SecretString::from(s);
        let url = |path: &str| Url::parse(&format!("{base}/{path}")).map_err(|e| e.to_string());
        let kryptonim = ramp_kryptonim::Client::builder(
            url("kryptonim/")?,
            secret(c::KRYPTONIM_API_KEY),
            secret(c::KRYPTONIM_SIGNATURE_SECRET),
        )
        .build()
        .map_err(|e| e.to_string())?;
        let proof = ramp_proof::Client::builder(url("proof/")?, secret(c::PROOF_CLIENT_TOKEN))
            .origin(c::PROOF_ORIGIN)
            .build()
            .map_err(|e| e.to_string())?;
        let koinal = ramp_koinal::Client::builder(
            url("koinal/")?,
            c::KOINAL_MERCHANT_CODE,
            secret(c::KOINAL_SECRET),
        )
        .build()
        .map_err(|e| e.to_string())?;
        let environment = ramp_transak::Environment::Custom {
            api: url("transak/api/")?,
            gateway: url("transak/gateway/")?,
        };
        let mut transak = ramp_transak::Client::builder(
            environment.clone(),
            secret(c::TRANSAK_API_KEY),
            secret(c::TRANSAK_API_SECRET),
        )
        .referrer_domain("load.example");
        if let Some(redis) = redis {
            let store = ramp_transak::redis_store::RedisTokenStore::builder(redis)
                .build(&environment, &secret(c::TRANSAK_API_KEY))
                .map_err(|e| e.to_string())?;
            transak = transak.token_store(store);
        }
        let transak = transak.build().map_err(|e| e.to_string())?;
        Ok(Self {
            kryptonim,
            proof,
            koinal,
            transak,
        })
    }

    /// `count` sessions, at most `concurrency` at once, taking turns: a Kryptonim widget
    /// session, a Proof session, a Koinal quote, a Transak widget URL.
    pub async fn sessions(&self, count: usize, concurrency: usize) -> Outcome {
        let clients = self.clone();
        drive(count, concurrency, move |i| {
            let clients = clients.clone();
            async move { clients.session(i).await }
        })
        .await
    }

    async fn session(&self, i: usize) -> Result<(), String> {
        let e = |e: &dyn std::fmt::Display| e.to_string();
        match i % 4 {
            0 => {
                let request = ramp_kryptonim::WidgetSessionRequest::builder()
                    .fiat_amount(ramp_kryptonim::Decimal::new(1550 + i as i64, 2))
                    .fiat_currency("EUR")
                    .crypto_currency("USDC")
                    .network("polygon")
                    .destination_address("0x977BC1915dA4f7edA9D2e49BC08356db37478538")
                    .build()
                    .map_err(|err| e(&err))?;
                self.kryptonim
                    .create_widget_session(&request)
                    .await
                    .map(|_| ())
                    .map_err(|err| e(&err))
            }
            1 => {
                let request = ramp_proof::SessionRequest::builder()
                    .partner_user_id(format!("user-{i}"))
                    .user_email("user@example.com")
                    .network("TRC20")
                    .currency("USDT")
                    .amount(ramp_proof::Decimal::from(100))
                    .build()
                    .map_err(|err| e(&err))?;
                self.proof
                    .create_session(&request)
                    .await
                    .map(|_| ())
                    .map_err(|err| e(&err))
            }
            2 => {
                let request = ramp_koinal::QuoteRequest::builder()
                    .cryptocurrency("BTC")
                    .currency("USD")
                    .currency_amount(ramp_koinal::Decimal::from(1000))
                    .build()
                    .map_err(|err| e(&err))?;
                self.koinal
                    .quote(&format!("user-{i}"), &request)
                    .await
                    .map(|_| ())
                    .map_err(|err| e(&err))
            }
            _ => self
                .transak
                .create_widget_url(
                    &ramp_transak::WidgetParams::default(),
                    std::net::IpAddr::from([203, 0, 113, 9]),
                )
                .await
                .map(|_| ())
                .map_err(|err| e(&err)),
        }
    }
}
