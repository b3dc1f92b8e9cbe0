//! A real PostgreSQL server for tests: a cluster of its own in a temporary directory, on a
//! free loopback port, stopped and removed on drop.
//!
//! The server binaries come from `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql`
//! package; `cargo xtask test` installs it when missing) or `PATH`. As root, the cluster is
//! made and run as the `postgres` user, as PostgreSQL requires.
#![allow(clippy::panic, clippy::expect_used)] // a test helper: failing loudly is its job

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A PostgreSQL server of this test's own, with trust authentication for user `postgres`
/// on 127.0.0.1 only.
pub struct PostgresServer {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    /// The `postgres` user's uid and gid, when the server runs as that user (we are root).
    owner: Option<(u32, u32)>,
    running: bool,
    /// Whether writes are flushed to disk (PostgreSQL's default), or not (faster tests).
    durable: bool,
}

impl PostgresServer {
    /// Makes a cluster in a new temporary directory and starts it, without flushing writes
    /// to disk (`fsync=off`: a killed server loses nothing it committed; a crashed machine
    /// would).
    pub fn start() -> Self {
        Self::make(false)
    }

    /// The same with PostgreSQL's defaults for durability (`fsync=on`).
    pub fn start_durable() -> Self {
        Self::make(true)
    }

    fn make(durable: bool) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let bin = server_bin();
        let dir = std::env::temp_dir().join(format!(
            "ramp-pg-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let owner = if is_root() {
            Some(postgres_user())
        } else {
            None
        };
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).expect("chown the cluster");
        }
        let mut server = Self {
            bin,
            dir,
            port: 0,
            owner,
            running: false,
            durable,
        };
        let data = server.data();
        let made = server
            .command("initdb")
            .args([
                "--auth=trust",
                "--username=postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "-D",
            ])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run initdb");
        assert!(
            made.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        server.start_again();
        server
    }

    /// Starts the server again after [`kill`](Self::kill) or [`stop`](Self::stop), on the
    /// same port when it can (a new one otherwise).
    pub fn start_again(&mut self) {
        for attempt in 0..5 {
            if self.port == 0 || attempt > 0 {
                self.port = free_port();
            }
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200{}",
                self.port,
                self.dir.display(),
                if self.durable { "" } else { " -c fsync=off" }
            );
            let started = self
                .command("pg_ctl")
                .arg("start")
                .arg("-D")
                .arg(self.data())
                .arg("-w")
                .args(["-t", "30"])
                .arg("-l")
                .arg(self.dir.join("log"))
                .arg("-o")
                .arg(options)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run pg_ctl start");
            if started.success() {
                self.running = true;
                return;
            }
        }
        match std::fs::read_to_string(self.dir.join("log")) {
            Ok(log) => panic!("the PostgreSQL server did not start:\n{log}"),
            Err(err) => panic!("the PostgreSQL server did not start (and left no log: {err})"),
        }
    }

    /// The URL to connect to: `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Kills the server as a crash would (SIGKILL to the postmaster; its backends follow).
    pub fn kill(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.data().join("postmaster.pid"))
            && let Some(pid) = pid.lines().next()
        {
            let _ = Command::new("kill").args(["-KILL", pid.trim()]).status();
            let started = Instant::now();
            while Path::new(&format!("/proc/{}", pid.trim())).exists()
                && started.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        self.running = false;
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`).
    pub fn stop(&mut self) {
        if self.running {
            let _ = self
                .command("pg_ctl")
                .arg("stop")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "immediate", "-w"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            self.running = false;
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// `name` from the server binaries, run as the cluster's owner.
    fn command(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        match self.owner {
            Some(_) => {
                let mut command = Command::new("runuser");
                command.args(["-u", "postgres", "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The directory of `initdb`, `pg_ctl` and `postgres`: Debian's newest, else `PATH`'s.
fn server_bin() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
        .unwrap_or_else(|| {
            panic!(
                "cannot find PostgreSQL's server binaries (initdb, pg_ctl); install them \
                 (apt-get install postgresql, as cargo xtask test does)"
            )
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// The `postgres` user's uid and gid, from /etc/passwd.
fn postgres_user() -> (u32, u32) {
    let Ok(passwd) = std::fs::read_to_string("/etc/passwd") else {
        panic!(
            "running as root, the server must run as the postgres user: /etc/passwd is unreadable"
        );
    };
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&"postgres"))
                .then(|| Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?)))
                .flatten()
        })
        .unwrap_or_else(|| {
            panic!("running as root, the server must run as the postgres user, and there is none (apt-get install postgresql makes it)")
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}
