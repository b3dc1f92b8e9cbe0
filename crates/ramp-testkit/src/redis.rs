//! A real `redis-server` for tests: started on a Unix socket of its own, stopped on drop.
//!
//! `redis-server` must be installed (`.ci/run` installs it from the distribution's packages).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A `redis-server` of this test's own, on a loopback port, without persistence.
pub struct RedisServer {
    child: Option<Child>,
    socket: PathBuf,
}

impl RedisServer {
    /// A server on a Unix socket of its own: no TCP port is picked, so none can be taken by
    /// another process between picking it and `redis-server` binding it.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// A server started with `args` besides (`["--maxmemory-policy", "allkeys-lru"]`).
    pub fn start_with(args: &[&str]) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = std::env::temp_dir().join(format!(
            "ramp-redis-{}-{}.sock",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        Self::start_at_with(socket, args)
    }

    /// A server on `socket` (again, after [`stop`](Self::stop): the same address).
    pub fn start_at(socket: PathBuf) -> Self {
        Self::start_at_with(socket, &[])
    }

    #[allow(clippy::panic)]
    fn start_at_with(socket: PathBuf, args: &[&str]) -> Self {
        let _ = std::fs::remove_file(&socket);
        let child = Command::new("redis-server")
            .args(["--port", "0", "--unixsocket"])
            .arg(&socket)
            .args(["--unixsocketperm", "700"])
            .args(["--save", "", "--appendonly", "no"])
            .args(args)
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

    /// Whether the server answers `PING`.
    pub fn answers_ping(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::os::unix::net::UnixStream::connect(&self.socket) else {
            return false;
        };
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }

    /// The Unix socket it listens on.
    pub fn socket(&self) -> &std::path::Path {
        &self.socket
    }

    /// The URL to connect to (`redis+unix://...`).
    pub fn url(&self) -> String {
        format!("redis+unix://{}", self.socket.display())
    }

    /// Stops the server (a restart with [`start_at`](Self::start_at) reuses the socket).
    pub fn stop(&mut self) {
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
