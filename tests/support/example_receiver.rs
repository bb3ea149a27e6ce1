//! An example receiver binary (`examples/receiver.rs`, axum, or
//! `examples/actix_receiver.rs`) run as a child process on a port of its
//! choosing, its standard output and error read by threads into channels.
//! `cargo test --all-features` builds the examples beside the test
//! binaries. Shared by `tests/cli_send.rs` and `tests/example_receivers.rs`
//! through `#[path]`.

use std::io::BufRead as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long any wait for the child's output lasts at most.
const WAIT: Duration = Duration::from_secs(30);

/// A running example receiver; dropping it kills it.
pub(crate) struct ExampleReceiver {
    child: Child,
    /// The port it listens on, from its banner.
    pub(crate) port: u16,
    /// `http` or `https`, from its banner.
    pub(crate) scheme: String,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Drop for ExampleReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ExampleReceiver {
    /// The built example `name` (`receiver` or `actix_receiver`), its path
    /// beside this test binary (`target/debug/deps/…`).
    pub(crate) fn binary(name: &str) -> PathBuf {
        let test_binary = std::env::current_exe().unwrap();
        let binary = test_binary
            .parent()
            .and_then(|deps| deps.parent())
            .unwrap()
            .join("examples")
            .join(name);
        assert!(
            binary.exists(),
            "{} is missing: `cargo test --all-features` builds it (or `cargo build --examples --features axum,actix`)",
            binary.display()
        );
        binary
    }

    /// Starts the example `name` on `PORT=0`, with the in-memory store, the
    /// default logs, and `env` on top; waits for its banner.
    pub(crate) fn start(name: &str, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(Self::binary(name));
        command
            .env("PORT", "0")
            .env_remove("WEBHOOK_GUARD_REDIS_URL")
            .env_remove("WEBHOOK_GUARD_DATABASE_URL")
            .env_remove("TLS_CERT")
            .env_remove("TLS_KEY")
            .env_remove("LOG_FORMAT")
            .env_remove("RUST_LOG")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap();
        let stdout = lines_of(child.stdout.take().unwrap());
        let stderr = lines_of(child.stderr.take().unwrap());
        let mut receiver = Self {
            child,
            port: 0,
            scheme: String::new(),
            stdout,
            stderr,
        };
        let banner = receiver.next_line_starting("webhook-guard receiver listening on ");
        let url = banner["webhook-guard receiver listening on ".len()..]
            .split(' ')
            .next()
            .unwrap_or_default();
        let (scheme, rest) = url
            .split_once("://127.0.0.1:")
            .unwrap_or_else(|| panic!("no address in {banner:?}"));
        receiver.scheme = scheme.to_owned();
        receiver.port = rest
            .parse()
            .unwrap_or_else(|_| panic!("no port in {banner:?}"));
        receiver
    }

    /// The next line of standard output that starts with `prefix`, waited
    /// for 30 s at most.
    pub(crate) fn next_line_starting(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => continue,
                Err(error) => panic!(
                    "no line starting {prefix:?}: {error}; standard error:\n{}",
                    self.stderr.try_iter().collect::<Vec<_>>().join("\n")
                ),
            }
        }
    }

    /// The next line of standard error that `matches`, waited for 30 s at
    /// most, with every line read before it.
    pub(crate) fn log_lines_until(&mut self, matches: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        let mut lines = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    let found = matches(&line);
                    lines.push(line);
                    if found {
                        return lines;
                    }
                }
                Err(error) => panic!("no such line: {error}; standard error:\n{lines:#?}"),
            }
        }
    }

    /// Stops the receiver and returns what is left of its standard error,
    /// read to its end (30 s at most).
    pub(crate) fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let deadline = Instant::now() + WAIT;
        let mut lines = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(RecvTimeoutError::Disconnected) => return lines,
                Err(RecvTimeoutError::Timeout) => panic!("standard error never ended"),
            }
        }
    }
}

/// The lines of `output`, sent by a thread of their own as they come.
fn lines_of(output: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}
