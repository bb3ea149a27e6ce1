//! Throwaway database servers on loopback ports, started by the tests
//! themselves: `redis-server` (Debian's `redis-server` package) and a
//! PostgreSQL cluster (`initdb` + `postgres` from the PostgreSQL server
//! binaries, found on the PATH or in Debian's `/usr/lib/postgresql/*/bin`).
//! `scripts/install-servers` installs what is missing. A server that cannot
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

/// Where `program` is: on the PATH, or else (`extra_dirs` names them, the
/// newest version first) in a directory a package puts off the PATH.
/// Panics with `how` to get it when it is in neither.
fn require(program: &str, extra_dirs: &[PathBuf], how: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .iter()
        .chain(extra_dirs)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
        .unwrap_or_else(|| {
            panic!(
                "`{program}` is neither on the PATH nor in {extra_dirs:?}, so this test cannot start its throwaway server. {how}"
            )
        })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// Debian's PostgreSQL server binaries, `/usr/lib/postgresql/<version>/bin`,
/// the newest version first.
fn debian_postgres_dirs() -> Vec<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    versions.into_iter().map(|(_, dir)| dir).collect()
}

/// The PostgreSQL programs the tests run.
struct PostgresPrograms {
    initdb: PathBuf,
    postgres: PathBuf,
    pg_isready: PathBuf,
}

impl PostgresPrograms {
    fn find() -> Self {
        let how = "Run `scripts/install-servers` (it installs Debian's `postgresql` package), or `apt-get install postgresql`.";
        let dirs = debian_postgres_dirs();
        Self {
            initdb: require("initdb", &dirs, how),
            postgres: require("postgres", &dirs, how),
            pg_isready: require("pg_isready", &dirs, how),
        }
    }

    /// Found once per process.
    fn get() -> &'static Self {
        static PROGRAMS: std::sync::OnceLock<PostgresPrograms> = std::sync::OnceLock::new();
        PROGRAMS.get_or_init(Self::find)
    }
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

/// A throwaway server on a loopback port, in a directory of its own that
/// outlives a crash (so a restart recovers from it) and is removed on drop.
pub(crate) struct Server {
    name: &'static str,
    port: u16,
    dir: PathBuf,
    url: String,
    /// How [`crash`](Self::crash) stops it.
    crash_signal: &'static str,
    /// Starts the server process; returns it and the path of its log.
    spawn: fn(&Path, u16) -> (Child, PathBuf),
    /// Whether it answers on its port yet.
    ready: fn(u16) -> bool,
    process: Option<Process>,
}

impl Server {
    /// A `redis-server` that persists every write before answering
    /// (`appendonly yes`, `appendfsync always`), so a crash loses no
    /// acknowledged record — the setting a fleet relying on Redis for
    /// exactly-once delivery should run with.
    pub(crate) fn redis() -> Self {
        require(
            "redis-server",
            &[],
            "Run `scripts/install-servers` (it installs Debian's `redis-server` package), or `apt-get install redis-server`.",
        );
        let port = free_port();
        Self::start(Self {
            name: "redis-server",
            port,
            dir: scratch_dir("redis"),
            url: format!("redis://127.0.0.1:{port}/"),
            crash_signal: "KILL",
            spawn: spawn_redis,
            ready: redis_answers_ping,
            process: None,
        })
    }

    /// A PostgreSQL cluster of its own (`initdb`, trust authentication for
    /// the `postgres` user on loopback). As root — where `initdb` refuses to
    /// run — the cluster belongs to the `postgres` user. A crash is
    /// `SIGQUIT` (PostgreSQL's immediate shutdown, no checkpoint); the next
    /// start recovers from the write-ahead log.
    pub(crate) fn postgres() -> Self {
        let programs = PostgresPrograms::get();
        let port = free_port();
        let server = Self {
            name: "postgres",
            port,
            dir: scratch_dir("postgres"),
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            crash_signal: "QUIT",
            spawn: spawn_postgres,
            ready: postgres_is_ready,
            process: None,
        };
        std::fs::create_dir_all(&server.dir).expect("create the PostgreSQL directory");
        let initdb = as_database_owner(&server.dir, &programs.initdb)
            .arg("-D")
            .arg(server.dir.join("data"))
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
        Self::start(server)
    }

    fn start(mut self) -> Self {
        std::fs::create_dir_all(&self.dir).expect("create the server's directory");
        self.launch();
        self
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Stops the server the way a crash would: Redis is killed outright,
    /// PostgreSQL shut down immediately.
    pub(crate) fn crash(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.watchdog.kill();
            let _ = process.watchdog.wait();
            signal(process.server.id(), self.crash_signal);
            let _ = process.server.wait();
        }
    }

    /// Starts the server again on the same port, from what it left on disk.
    pub(crate) fn restart(&mut self) {
        self.crash();
        self.launch();
    }

    fn launch(&mut self) {
        let (server, log) = (self.spawn)(&self.dir, self.port);
        let watchdog = watchdog(server.id(), self.crash_signal, &self.dir);
        self.process = Some(Process { server, watchdog });
        let (ready, port) = (self.ready, self.port);
        wait_until(self.name, &log, || ready(port));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.crash();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn spawn_redis(dir: &Path, port: u16) -> (Child, PathBuf) {
    let log = dir.join("redis.log");
    let server = Command::new("redis-server")
        .args(["--port", &port.to_string()])
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
        .arg(dir)
        .arg("--logfile")
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start redis-server");
    (server, log)
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

fn spawn_postgres(dir: &Path, port: u16) -> (Child, PathBuf) {
    let log = dir.join("postgres.log");
    let log_file = std::fs::File::create(&log).expect("create the PostgreSQL log");
    let server = as_database_owner(dir, &PostgresPrograms::get().postgres)
        .arg("-D")
        .arg(dir.join("data"))
        .args(["-p", &port.to_string()])
        .arg("-k")
        .arg(dir)
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
    (server, log)
}

fn postgres_is_ready(port: u16) -> bool {
    Command::new(&PostgresPrograms::get().pg_isready)
        .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
        .status()
        .is_ok_and(|status| status.success())
}

/// `program`, run as the `postgres` user when this process is root
/// (`initdb` and `postgres` refuse root), with `dir` handed to that user.
fn as_database_owner(dir: &Path, program: &Path) -> Command {
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
    command
        .args([
            "--reuid=postgres",
            "--regid=postgres",
            "--clear-groups",
            "--",
        ])
        .arg(program);
    command
}
