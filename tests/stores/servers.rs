//! Throwaway database servers on loopback ports, started by the tests
//! themselves: `redis-server` (Debian's `redis-server` package) and a
//! PostgreSQL cluster (`initdb` + `postgres` from the PostgreSQL server
//! binaries). `scripts/test` installs what is missing. A server that cannot
//! start fails the test with a message saying how to get it; nothing is
//! skipped.
//!
//! Each server lives in its own temporary directory and is stopped when
//! dropped. A watchdog shell also stops it when the test process exits
//! without dropping it (servers kept in a `static`), so no run leaves a
//! server behind.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const STARTUP: Duration = Duration::from_secs(30);

/// A port nothing listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().unwrap().port()
}

fn scratch_dir(kind: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "webhook-guard-{kind}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn require(program: &str, how: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "`{program}` is not on the PATH, so this test cannot start its throwaway server. {how}"
    );
}

/// A shell that waits for this test process to end, then stops `pid` with
/// `signal` and removes `dir`.
fn watchdog(pid: u32, signal: &str, dir: &Path) -> Child {
    Command::new("sh")
        .args([
            "-c",
            r#"while kill -0 "$0" 2>/dev/null; do sleep 1; done; kill -"$1" "$2" 2>/dev/null; sleep 2; rm -rf "$3""#,
        ])
        .arg(std::process::id().to_string())
        .arg(signal)
        .arg(pid.to_string())
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server watchdog")
}

fn signal(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status();
}

/// Waits until `ready` says yes, or panics with the server's log.
fn wait_until(what: &str, log: &Path, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        if start.elapsed() > STARTUP {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{what} did not become ready within {STARTUP:?}; its log:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One running server process and its watchdog.
struct Process {
    server: Child,
    watchdog: Child,
}

impl Process {
    fn stop(mut self, how: &str) {
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
        signal(self.server.id(), how);
        let _ = self.server.wait();
    }
}

/// A `redis-server` on a loopback port that persists every write before
/// answering (`appendonly yes`, `appendfsync always`), so a crash loses no
/// acknowledged record — the setting a fleet relying on Redis for
/// exactly-once delivery should run with.
pub(crate) struct RedisServer {
    port: u16,
    dir: PathBuf,
    process: Option<Process>,
}

impl RedisServer {
    pub(crate) fn start() -> Self {
        require(
            "redis-server",
            "Run `scripts/test` (it installs Debian's `redis-server` package), or `apt-get install redis-server`.",
        );
        let dir = scratch_dir("redis");
        std::fs::create_dir_all(&dir).expect("create the Redis directory");
        let mut server = Self {
            port: free_port(),
            dir,
            process: None,
        };
        server.launch();
        server
    }

    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills the server outright (`SIGKILL`): a crash, not a shutdown.
    pub(crate) fn crash(&mut self) {
        if let Some(process) = self.process.take() {
            process.stop("KILL");
        }
    }

    /// Starts the server again on the same port, from its append-only file.
    pub(crate) fn restart(&mut self) {
        self.crash();
        self.launch();
    }

    fn launch(&mut self) {
        let log = self.dir.join("redis.log");
        let server = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--protected-mode", "no"])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(&self.dir)
            .arg("--logfile")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        let watchdog = watchdog(server.id(), "KILL", &self.dir);
        self.process = Some(Process { server, watchdog });
        let port = self.port;
        wait_until("redis-server", &log, || redis_answers_ping(port));
    }
}

fn redis_answers_ping(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut reply = [0u8; 16];
    stream.write_all(b"PING\r\n").is_ok()
        && stream
            .read(&mut reply)
            .is_ok_and(|read| reply[..read].starts_with(b"+PONG"))
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.crash();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A PostgreSQL cluster of its own (`initdb`, trust authentication for the
/// `postgres` user on loopback) on a loopback port. As root — where
/// `initdb` refuses to run — the cluster belongs to the `postgres` user.
pub(crate) struct PostgresServer {
    port: u16,
    dir: PathBuf,
    process: Option<Process>,
}

impl PostgresServer {
    pub(crate) fn start() -> Self {
        let how = "Install the PostgreSQL server binaries (Debian: `apt-get install postgresql`, then put `/usr/lib/postgresql/*/bin` on the PATH).";
        require("initdb", how);
        require("postgres", how);
        require("pg_isready", how);
        let dir = scratch_dir("postgres");
        let data = dir.join("data");
        std::fs::create_dir_all(&dir).expect("create the PostgreSQL directory");
        let initdb = as_database_owner(&dir, "initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-instructions",
            ])
            .stdout(Stdio::null())
            .output()
            .expect("run initdb");
        assert!(
            initdb.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        let mut server = Self {
            port: free_port(),
            dir,
            process: None,
        };
        server.launch();
        server
    }

    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server the way a crash would (`SIGQUIT`: PostgreSQL's
    /// immediate shutdown, no checkpoint); the next start recovers from the
    /// write-ahead log.
    pub(crate) fn crash(&mut self) {
        if let Some(process) = self.process.take() {
            process.stop("QUIT");
        }
    }

    /// Starts the server again on the same port, recovering from its log.
    pub(crate) fn restart(&mut self) {
        self.crash();
        self.launch();
    }

    fn launch(&mut self) {
        let log = self.dir.join("postgres.log");
        let log_file = std::fs::File::create(&log).expect("create the PostgreSQL log");
        let server = as_database_owner(&self.dir, "postgres")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-p", &self.port.to_string()])
            .arg("-k")
            .arg(&self.dir)
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "max_connections=200"])
            // Durable against a crash of the server (what the tests do), not
            // of the machine: the OS keeps what was written.
            .args(["-c", "fsync=off"])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .expect("start postgres");
        let watchdog = watchdog(server.id(), "QUIT", &self.dir);
        self.process = Some(Process { server, watchdog });
        let port = self.port.to_string();
        wait_until("postgres", &log, || {
            Command::new("pg_isready")
                .args(["-q", "-h", "127.0.0.1", "-p", &port])
                .status()
                .is_ok_and(|status| status.success())
        });
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.crash();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `program`, run as the `postgres` user when this process is root
/// (`initdb` and `postgres` refuse root), with `dir` handed to that user.
fn as_database_owner(dir: &Path, program: &str) -> Command {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0");
    if !is_root {
        return Command::new(program);
    }
    let chown = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(dir)
        .status()
        .expect("run chown");
    assert!(
        chown.success(),
        "could not hand {} to the postgres user",
        dir.display()
    );
    // `setpriv` execs the program itself (no forked parent), so signals
    // sent to the child reach the server.
    let mut command = Command::new("setpriv");
    command.args([
        "--reuid=postgres",
        "--regid=postgres",
        "--clear-groups",
        "--",
        program,
    ]);
    command
}
