//! The processes of the webhook load run: each server in a process of its own, so its peak
//! memory is its own, and a `redis-server` that can be killed and started again.

use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

/// A free loopback port.
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Waits up to 10 s for something to accept connections on the loopback `port`.
pub fn wait_listening(port: u16, what: &str) -> Result<(), String> {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{what} did not start listening within 10 s"))
}

/// Peak resident memory of a process (`VmHWM`, Linux).
pub fn peak_memory(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unavailable".into())
}

/// A child process, killed when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `redis-server` on a loopback port, its data in a directory of its own: an append-only
/// file written through at every write, so that a kill loses nothing acknowledged.
pub struct Redis {
    /// Its loopback port.
    pub port: u16,
    dir: std::path::PathBuf,
    process: Mutex<Option<Killed>>,
}

impl Redis {
    /// Started, its data in a directory named after `name` (removed when dropped).
    pub fn start(name: &str) -> Result<Self, String> {
        let dir =
            std::env::temp_dir().join(format!("ramp-webhook-load-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let redis = Self {
            port: free_port()?,
            dir,
            process: Mutex::new(None),
        };
        redis.spawn()?;
        Ok(redis)
    }

    fn spawn(&self) -> Result<(), String> {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
            ])
            .args(["--appendonly", "yes", "--appendfsync", "always"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "could not start redis-server ({e}); install it (apt-get install redis-server)"
                )
            })?;
        *self.process.lock().map_err(|_| "poisoned")? = Some(Killed(child));
        wait_listening(self.port, "redis-server")
    }

    /// SIGKILL, then started again on the same port and data.
    pub fn kill_and_restart(&self) -> Result<(), String> {
        drop(self.process.lock().map_err(|_| "poisoned")?.take());
        std::thread::sleep(Duration::from_millis(1000));
        self.spawn()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        if let Ok(mut process) = self.process.lock() {
            drop(process.take());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
