//! `RedisTokenStore` against a real `redis-server` that each test starts on a Unix socket of
//! its own and stops afterwards (no mock of Redis), with the Transak emulator (ramp-sandbox) or a
//! wiremock token endpoint, and separate OS processes for the replicas: this test binary runs
//! itself as a child with `RAMP_REDIS_CHILD` set.
//!
//! `redis-server` must be installed (`.ci/run` installs it from the distribution's packages).

use ramp_transak::ErrorKind;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ramp_sandbox::{Failure, Sandbox, credentials as c};
use ramp_transak::redis_store::{RedisTokenStore, WhenUnavailable};
use ramp_transak::{Client, Environment, Error, ExposeSecret, SecretString, Url, WidgetParams};

/// The end user's IP that widget URLs are made for.
const USER_IP: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 9));

/// A `redis-server` of this test's own, on a loopback port, without persistence.
struct RedisServer {
    child: Option<Child>,
    socket: PathBuf,
}

impl RedisServer {
    /// A server on a Unix socket of its own: no TCP port is picked, so none can be taken by
    /// another process between picking it and `redis-server` binding it.
    fn start() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = std::env::temp_dir().join(format!(
            "ramp-transak-redis-{}-{}.sock",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        Self::start_at(socket)
    }

    /// A server on `socket` (again, after [`stop`](Self::stop): the same address).
    fn start_at(socket: PathBuf) -> Self {
        let _ = std::fs::remove_file(&socket);
        let child = Command::new("redis-server")
            .args(["--port", "0", "--unixsocket"])
            .arg(&socket)
            .args(["--unixsocketperm", "700"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot start redis-server ({err}); install it (apt-get install redis-server, as .ci/run does)")
            });
        let mut server = Self {
            child: Some(child),
            socket,
        };
        let started = Instant::now();
        while !server.answers_ping() {
            let exited = server
                .child
                .as_mut()
                .is_some_and(|child| matches!(child.try_wait(), Ok(Some(_))));
            assert!(!exited, "redis-server exited at start");
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn answers_ping(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::os::unix::net::UnixStream::connect(&self.socket) else {
            return false;
        };
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }

    fn url(&self) -> String {
        format!("redis+unix://{}", self.socket.display())
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_file(&self.socket);
    }
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_lease_holder_dies_exactly_one_other_process_refreshes() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let tokens = MockServer::start().await;
    let body = |token: &str| {
        format!(
            r#"{{"data": {{"accessToken": "{token}", "expiresAt": {}}}}}"#,
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs()
                + 7 * 24 * 3600
        )
    };
    // The first refresh hangs (its process is killed meanwhile); later ones answer at once.
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(body("tok_hung"))
                .set_delay(Duration::from_secs(20)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&tokens)
        .await;
    Mock::given(method("POST"))
        .and(path("/partners/api/v2/refresh-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body("tok_after")))
        .mount(&tokens)
        .await;
    let lease_ms = 1500u64;
    let env = [
        ("REDIS", redis.url()),
        ("API", format!("{}/", tokens.uri())),
        ("LEASE_MS", lease_ms.to_string()),
    ];
    let mut holder = child("child_one_call", &env);
    let started = Instant::now();
    while tokens.received_requests().await.unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the first replica never asked"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Two more replicas find the lease taken and wait; then the holder dies.
    let waiters: Vec<Child> = (0..2).map(|_| child("child_one_call", &env)).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    holder.kill().unwrap();
    let _ = holder.wait();
    for waiter in waiters {
        let (ok, output) = finished(waiter).await;
        assert!(ok, "a waiting replica failed:\n{output}");
        assert!(output.contains("token tok_after"), "{output}");
        let ms: u64 = output
            .split("elapsed_ms=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no elapsed time in:\n{output}"));
        assert!(
            ms < lease_ms + 2000,
            "waited {ms} ms for a lease of {lease_ms} ms"
        );
    }
    let refreshes = tokens.received_requests().await.unwrap().len();
    assert_eq!(
        refreshes, 2,
        "the dead holder's refresh and exactly one other"
    );
}

// ----- a token rotated by another process: the 401 path takes it, no refresh -------------

#[tokio::test]
async fn child_rotate() {
    if !in_child() {
        return;
    }
    // Eight days ahead: the stored token looks expired to this replica, which refreshes.
    let client = child_client(8 * 24 * 3600);
    client.access_token().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_rotated_by_another_process_is_taken_on_401_without_a_refresh() {
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await.unwrap();
    let env = environment(&sandbox.transak_api_url(), &sandbox.transak_gateway_url());
    let client = fail_closed_client(&redis.url(), env, 0);
    let first = client.access_token().await.unwrap();
    assert_eq!(sandbox.transak_token_refreshes(), 1);
    // This client's next call is held 1.5 s before the gateway reads it; meanwhile another
    // process rotates the token, which invalidates the one the call carries.
    sandbox.fail_next(1, Failure::Slow(Duration::from_millis(1500)));
    let call = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .create_widget_url(&WidgetParams::default(), USER_IP)
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let env = [
        ("REDIS", redis.url()),
        ("API", sandbox.transak_api_url()),
        ("GATEWAY", sandbox.transak_gateway_url()),
    ];
    let (ok, output) = finished(child("child_rotate", &env)).await;
    assert!(ok, "{output}");
    assert_eq!(
        sandbox.transak_token_refreshes(),
        2,
        "the other process's refresh"
    );
    call.await.unwrap().unwrap();
    assert_eq!(
        sandbox.transak_token_refreshes(),
        2,
        "the 401 took the stored token: no refresh of its own"
    );
    let now = client.access_token().await.unwrap();
    assert!(!now.secret().expose_secret().is_empty());
    assert_ne!(now.secret().expose_secret(), first.secret().expose_secret());
}

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
    let socket = redis.socket.clone();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_mid_run_fail_closed() {
    if in_child() {
        return;
    }
    redis_restart_under(WhenUnavailable::FailClosed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_mid_run_refresh_locally() {
    if in_child() {
        return;
    }
    redis_restart_under(WhenUnavailable::RefreshLocally).await;
}

#[test]
fn the_store_names_no_secret() {
    let env = Environment::Staging;
    let store = RedisTokenStore::builder("redis://:hunter2@127.0.0.1:1/")
        .build(&env, &SecretString::from(c::TRANSAK_API_KEY))
        .unwrap();
    let printed = format!("{store:?}");
    assert!(
        !printed.contains("hunter2") && !printed.contains(c::TRANSAK_API_KEY),
        "{printed}"
    );
    assert!(
        store.namespace().starts_with("ramp:transak:staging:"),
        "{}",
        store.namespace()
    );
    assert_eq!(
        store.namespace().len(),
        "ramp:transak:staging:".len() + 32 + 1
    );
    let blank =
        RedisTokenStore::builder("redis://127.0.0.1:1/").build(&env, &SecretString::from(" "));
    assert!(matches!(
        blank.map_err(Error::into_kind),
        Err(ErrorKind::EmptySecret(_))
    ));
}

#[tokio::test]
async fn nothing_prints_the_token_or_the_api_key() {
    use ramp_transak::TokenStore as _;
    if in_child() {
        return;
    }
    let redis = RedisServer::start();
    let sandbox = Sandbox::start().await.unwrap();
    let env = environment(&sandbox.transak_api_url(), &sandbox.transak_gateway_url());
    let client = fail_closed_client(&redis.url(), env.clone(), 0);
    let token = client.access_token().await.unwrap();
    let token = token.secret().expose_secret().to_owned();

    // Another replica's store loads that token from Redis; neither prints it.
    let other = store(
        &redis.url(),
        &env,
        WhenUnavailable::FailClosed,
        Duration::from_secs(10),
    );
    let loaded = other.load().await.unwrap().unwrap();
    assert_eq!(loaded.secret().expose_secret(), token);
    for printed in [
        format!("{other:?}"),
        format!("{loaded:?}"),
        format!("{client:?}"),
    ] {
        assert!(!printed.contains(&token), "{printed}");
        assert!(!printed.contains(c::TRANSAK_API_KEY), "{printed}");
    }

    // The keys name the environment and a fingerprint, never the API key.
    let connection = redis::Client::open(redis.url()).unwrap();
    let mut connection = connection.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!(!keys.is_empty());
    for key in &keys {
        assert!(key.starts_with(other.namespace()), "{key}");
        assert!(!key.contains(c::TRANSAK_API_KEY), "{key}");
        assert!(!key.contains(&token), "{key}");
    }
}
