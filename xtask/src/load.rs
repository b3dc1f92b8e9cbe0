//! `cargo xtask load`: the load run against a sandbox process.

use super::*;

/// `cargo xtask load`: builds the `ramp` binary and the `load` binary of `ramp-bench` in release
/// mode, starts `ramp sandbox` as its own process (so its memory is its own), runs `load` against
/// it (`--instances N` of them at once, as separate processes; `--store redis` gives them a
/// `redis-server` of their own on a free loopback port for the Transak token), and reports
/// the Transak token refreshes the sandbox saw and its peak resident memory (`VmHWM`, Linux).
/// Then the webhook run (`webhook-load`, `--deliveries N`): deliveries to `ramp listen` and
/// to a bare axum HMAC handler, each in a process of its own. Then the fault run
/// (`fault-load`, `--orders N`): three replicas on Redis, then on Postgres, through killed
/// processes, a restarted store, failing reads and a skewed clock. `--run
/// sessions|webhooks|faults` runs one of them only.
pub(crate) fn load(args: &[String]) -> Result {
    let mut instances = 1usize;
    let mut store = "memory".to_owned();
    let mut passed = Vec::new();
    let mut which = "all".to_owned();
    let mut deliveries = None;
    let mut orders = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--run" => {
                which = it.next().cloned().unwrap_or_default();
                if !["sessions", "webhooks", "faults", "all"].contains(&which.as_str()) {
                    return Err("--run takes sessions, webhooks, faults or all".into());
                }
            }
            "--deliveries" => {
                deliveries = Some(
                    it.next()
                        .filter(|v| v.parse::<usize>().is_ok())
                        .cloned()
                        .ok_or("--deliveries needs a number")?,
                );
            }
            "--orders" => {
                orders = Some(
                    it.next()
                        .filter(|v| v.parse::<usize>().is_ok())
                        .cloned()
                        .ok_or("--orders needs a number")?,
                );
            }
            "--instances" => {
                instances = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n >= 1)
                    .ok_or("--instances needs a number of at least 1")?;
            }
            "--store" => {
                store = it.next().cloned().ok_or("--store needs memory or redis")?;
                if store != "memory" && store != "redis" {
                    return Err(format!("unknown store {store} (memory or redis)"));
                }
            }
            _ => passed.push(flag.clone()),
        }
    }

    ensure_load_tools()?;
    let mut build = cargo();
    build.args(["build", "--locked", "--release", "-p", "ramp-cli"]);
    run(build)?;
    let mut build = cargo();
    build.args(["build", "--locked", "--release", "-p", "ramp-bench"]);
    build.args([
        "--bin",
        "load",
        "--bin",
        "webhook-load",
        "--bin",
        "fault-load",
    ]);
    run(build)?;
    let release = target_dir()?.join("release");
    let runs = |name: &str| which == "all" || which == name;
    if runs("sessions") {
        sessions(&release, instances, &store, &passed)?;
    }
    if runs("webhooks") {
        println!();
        let mut webhooks = Command::new(release.join("webhook-load"));
        webhooks.arg("--ramp").arg(release.join("ramp"));
        if let Some(n) = &deliveries {
            webhooks.args(["--deliveries", n]);
        }
        let status = webhooks
            .status()
            .map_err(|e| format!("could not start the webhook load run: {e}"))?;
        if !status.success() {
            return Err("the webhook load run failed its checks".into());
        }
    }
    if runs("faults") {
        println!();
        let mut faults = Command::new(release.join("fault-load"));
        if let Some(n) = &orders {
            faults.args(["--orders", n]);
        }
        let status = faults
            .status()
            .map_err(|e| format!("could not start the fault run: {e}"))?;
        if !status.success() {
            return Err("the fault run failed its checks".into());
        }
    }
    Ok(())
}

/// The sessions run: the `load` binary against a sandbox process.
fn sessions(release: &std::path::Path, instances: usize, store: &str, passed: &[String]) -> Result {
    let mut children = Children::default();
    let port = free_port()?;
    children.0.push(
        Command::new(release.join("ramp"))
            .args(["sandbox", "--port", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start the sandbox: {e}"))?,
    );
    let sandbox_pid = children.0[0].id();
    if !listening(port) {
        return Err("the sandbox did not start listening within 10 s".into());
    }
    let mut store_args = vec!["--store".to_owned(), store.to_owned()];
    if store == "redis" {
        let redis_port = free_port()?;
        children.0.push(
            Command::new("redis-server")
                .args(["--port", &redis_port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .map_err(|e| {
                    format!("could not start redis-server ({e}); install it (apt-get install redis-server)")
                })?,
        );
        if !listening(redis_port) {
            return Err("redis-server did not start listening within 10 s".into());
        }
        store_args.extend([
            "--redis".to_owned(),
            format!("redis://127.0.0.1:{redis_port}/"),
        ]);
    }

    println!("instances           {instances} ({store} token store)");
    let base = format!("http://127.0.0.1:{port}");
    let runs = (1..=instances)
        .map(|i| {
            let mut load = Command::new(release.join("load"));
            load.args(["--base", &base]).args(&store_args).args(passed);
            if instances > 1 {
                load.args(["--instance", &i.to_string()]);
            }
            load.spawn()
                .map_err(|e| format!("could not start the load example: {e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut failed = 0;
    for mut child in runs {
        if !child.wait().is_ok_and(|status| status.success()) {
            failed += 1;
        }
    }

    match sandbox_stats(port) {
        Some(stats) => println!("token refreshes     {stats}"),
        None => println!("token refreshes     unavailable"),
    }
    let peak = std::fs::read_to_string(format!("/proc/{sandbox_pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unavailable (no /proc)".to_owned());
    println!("sandbox peak memory {peak}");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} of {instances} load instances had errors"))
    }
}

pub(crate) fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Whether something accepts connections on the loopback `port` within 10 s.
pub(crate) fn listening(port: u16) -> bool {
    (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    })
}

/// `transak_token_refreshes` from the sandbox's `GET /_sandbox/stats` (a one-off HTTP/1.0
/// request on the loopback: xtask has no HTTP client and needs none for this).
pub(crate) fn sandbox_stats(port: u16) -> Option<u64> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    stream
        .write_all(b"GET /_sandbox/stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let field = "\"transak_token_refreshes\":";
    let at = response.find(field)? + field.len();
    let digits: String = response[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Child processes killed when dropped, whatever way `load` returns.
#[derive(Default)]
pub(crate) struct Children(Vec<std::process::Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
