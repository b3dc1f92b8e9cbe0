//! `RedisTokenStore` against a real `redis-server` that each test starts on a Unix socket of
//! its own and stops afterwards (no mock of Redis), with the Transak emulator (ramp-sandbox) or a
//! wiremock token endpoint, and separate OS processes for the replicas: this test binary runs
//! itself as a child with `RAMP_REDIS_CHILD` set.
//!
//! `redis-server` must be installed (`.ci/run` installs it from the distribution's packages).

use ramp_transak::ErrorKind;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ramp_sandbox::{Failure, Sandbox, credentials as c};
use ramp_testkit::RedisServer;
use ramp_transak::redis_store::{RedisTokenStore, WhenUnavailable};
use ramp_transak::{Client, Environment, Error, ExposeSecret, SecretString, Url, WidgetParams};

/// The end user's IP that widget URLs are made for.
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));

fn environment(api: &str, gateway: &str) -> Environment {
    Environment::Custom {
        api: Url::parse(api).unwrap(),
        gateway: Url::parse(gateway).unwrap(),
    }
}

fn store(
    redis_url: &str,
    env: &Environment,
    policy: WhenUnavailable,
    lease: Duration,
) -> RedisTokenStore {
    RedisTokenStore::builder(redis_url)
        .lease_ttl(lease)
        .timeout(Duration::from_millis(500))
        .when_unavailable(policy)
        .build(env, &SecretString::from(c::TRANSAK_API_KEY))
        .unwrap()
}

fn client_with(store: RedisTokenStore, env: Environment, clock_offset: u64) -> Client {
    Client::builder(
        env,
        SecretString::from(c::TRANSAK_API_KEY),
        SecretString::from(c::TRANSAK_API_SECRET),
    )
    .referrer_domain("yourdomain.com")
    .token_store(store)
    .clock(move || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + clock_offset
    })
    .build()
    .unwrap()
}

/// A client on `env` sharing the Redis at `redis_url`, failing closed, with a 10 s lease, its
/// clock `clock_offset` seconds ahead.
fn fail_closed_client(redis_url: &str, env: Environment, clock_offset: u64) -> Client {
    let store = store(
        redis_url,
        &env,
        WhenUnavailable::FailClosed,
        Duration::from_secs(10),
    );
    client_with(store, env, clock_offset)
}

/// In a child process: [`fail_closed_client`] on the hosts and Redis its parent passed.
fn child_client(clock_offset: u64) -> Client {
    let env = environment(&var("API"), &var("GATEWAY"));
    fail_closed_client(&var("REDIS"), env, clock_offset)
}

/// Runs this test binary's `test` as a child process with `env`.
fn child(test: &str, env: &[(&str, String)]) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env("RAMP_REDIS_CHILD", "1")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a child off the async runtime, and says how it ended.
async fn finished(child: Child) -> (bool, String) {
    tokio::task::spawn_blocking(move || {
        let output = child.wait_with_output().unwrap();
        (
            output.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    })
    .await
    .unwrap()
}

fn in_child() -> bool {
    std::env::var_os("RAMP_REDIS_CHILD").is_some()
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap()
}

// ----- 4 processes × 50 concurrent cold calls: exactly one refresh -----------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn child_fifty_cold_calls() {
    if !in_child() {
        return;
    }
    let client = child_client(0);
    let start_at = var("START_AT").parse::<u64>().unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    tokio::time::sleep(Duration::from_millis(start_at.saturating_sub(now))).await;
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        calls.spawn(async move {
            client
                .create_widget_url(&WidgetParams::default(), USER_IP)
                .await
        });
    }
    while let Some(call) = calls.join_next().await {
        call.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_processes_of_fifty_cold_calls_make_one_refresh() {
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await.unwrap();
    let start_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
        + 1500;
    let env = [
        ("REDIS", redis.url()),
        ("API", sandbox.transak_api_url()),
        ("GATEWAY", sandbox.transak_gateway_url()),
        ("START_AT", start_at.to_string()),
    ];
    let children: Vec<Child> = (0..4)
        .map(|_| child("child_fifty_cold_calls", &env))
        .collect();
    for child in children {
        let (ok, output) = finished(child).await;
        assert!(ok, "a replica failed:\n{output}");
    }
    assert_eq!(
        sandbox.transak_token_refreshes(),
        1,
        "200 cold calls in 4 processes"
    );
}

// ----- the lease holder killed mid-refresh ----------------------------------------------

#[tokio::test]
async fn child_one_call() {
    if !in_child() {
        return;
    }
    let env = environment(&var("API"), &var("API"));
    let lease = Duration::from_millis(var("LEASE_MS").parse().unwrap());
    let client = client_with(
        store(&var("REDIS"), &env, WhenUnavailable::FailClosed, lease),
        env,
        0,
    );
    let started = Instant::now();
    let token = client.access_token().await.unwrap();
    println!(
        "token {} elapsed_ms={}",
        token.secret().expose_secret(),
        started.elapsed().as_millis()
    );
}

// ----- a token rotated by another process: the 401 path takes it, no refresh -------------

// ----- Redis stopped and restarted mid-run ----------------------------------------------

/// Rotates the token at the sandbox behind the client's back (a refresh outside the store).
async fn rotate_out_of_band(sandbox: &Sandbox) {
    Client::builder(
        environment(&sandbox.transak_api_url(), &sandbox.transak_gateway_url()),
        SecretString::from(c::TRANSAK_API_KEY),
        SecretString::from(c::TRANSAK_API_SECRET),
    )
    .build()
    .unwrap()
    .access_token()
    .await
    .unwrap();
}

async fn redis_restart_under(policy: WhenUnavailable) {
    let mut redis = RedisServer::start();
    let socket = redis.socket().to_path_buf();
    let sandbox = Sandbox::start().await.unwrap();
    let env = environment(&sandbox.transak_api_url(), &sandbox.transak_gateway_url());
    let client = client_with(
        store(&redis.url(), &env, policy, Duration::from_secs(5)),
        env,
        0,
    );
    let params = WidgetParams::default();
    let widget = || client.create_widget_url(&params, USER_IP);
    widget().await.unwrap();
    assert_eq!(sandbox.transak_token_refreshes(), 1);

    redis.stop();
    // Reading needs no Redis: the valid token this replica holds keeps working.
    widget().await.unwrap();
    assert_eq!(sandbox.transak_token_refreshes(), 1);

    // Now the token is rejected and a refresh is needed while Redis is away.
    rotate_out_of_band(&sandbox).await;
    let refreshes = sandbox.transak_token_refreshes();
    let outcome = widget().await;
    match policy {
        WhenUnavailable::FailClosed => {
            let err = outcome.unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::TokenRefresh(inner) if matches!(inner.kind(), ErrorKind::TokenStore(_))),
                "{err:?}"
            );
            assert!(err.to_string().contains("fail closed"), "{err}");
            assert_eq!(
                sandbox.transak_token_refreshes(),
                refreshes,
                "nothing refreshed"
            );
        }
        _ => {
            outcome.unwrap();
            assert_eq!(
                sandbox.transak_token_refreshes(),
                refreshes + 1,
                "a local refresh"
            );
        }
    }

    // Redis comes back (empty: no persistence) and the client recovers.
    let _redis = RedisServer::start_at(socket);
    rotate_out_of_band(&sandbox).await;
    widget().await.unwrap();
    widget().await.unwrap();
}

#[path = "redis/rotation_and_outages.rs"]
mod rotation_and_outages;
