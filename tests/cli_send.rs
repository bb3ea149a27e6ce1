//! `webhook-guard send` against a receiver guarded by the crate, over
//! loopback: accepted, then a duplicate; tampered and stale deliveries
//! refused; a storm of copies runs the handler once; `--retry` outlasts a
//! receiver that answers 503 first.
#![cfg(all(feature = "cli", feature = "axum"))]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use webhook_guard::{Scheme, Verified, Verifier, WebhookLayer};

// Not every helper of the module is used here.
#[allow(dead_code)]
#[path = "support/example_receiver.rs"]
mod example_receiver;

use example_receiver::ExampleReceiver;

const STRIPE_SECRET: &str = "whsec_cli_send_test";

/// How often the handler ran for each event; it answers 503 to the first
/// `fail_first` calls of all.
#[derive(Clone, Default)]
struct Calls {
    by_event: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
    fail_first: usize,
}

async fn handle(State(calls): State<Calls>, verified: Verified) -> StatusCode {
    let call = calls.total.fetch_add(1, Ordering::SeqCst);
    if call < calls.fail_first {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let id = verified.event_id().unwrap_or_default().to_owned();
    *calls.by_event.lock().unwrap().entry(id).or_default() += 1;
    StatusCode::OK
}

/// A Stripe receiver on a loopback port, guarded by the crate.
async fn receiver(calls: Calls) -> SocketAddr {
    let verifier = Verifier::from_secrets(Scheme::stripe(), [STRIPE_SECRET]).unwrap();
    let app = Router::new()
        .route(
            "/webhooks/stripe",
            post(handle).layer(WebhookLayer::new(verifier)),
        )
        .with_state(calls);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// Runs `webhook-guard send` with the secret in a variable, off the
/// runtime's threads.
async fn send(address: SocketAddr, body: &str, flags: &[&str]) -> Output {
    let url = format!("http://{address}/webhooks/stripe");
    let mut args = vec![
        "send".to_owned(),
        "--provider".to_owned(),
        "stripe".to_owned(),
        "--secret-env".to_owned(),
        "CLI_SEND_SECRET".to_owned(),
        "--url".to_owned(),
        url,
    ];
    args.extend(flags.iter().map(|flag| (*flag).to_owned()));
    let body = body.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_webhook-guard"))
            .args(&args)
            .env_remove("WEBHOOK_GUARD_SECRET")
            .env("CLI_SEND_SECRET", STRIPE_SECRET)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_delivery_is_processed_once_and_its_copy_is_a_duplicate() {
    let calls = Calls::default();
    let address = receiver(calls.clone()).await;
    let body = r#"{"id":"evt_send_1","type":"payment_intent.succeeded"}"#;

    let first = send(address, body, &[]).await;
    assert!(first.status.success(), "{first:?}");
    assert!(
        stdout(&first).starts_with("HTTP/1.1 200 OK\n"),
        "{}",
        stdout(&first)
    );
    let again = send(address, body, &[]).await;
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("webhook-duplicate: true"),
        "{}",
        stdout(&again)
    );
    assert_eq!(calls.by_event.lock().unwrap()["evt_send_1"], 1);

    // Changed after signing, or signed ten minutes ago: refused, exit 1.
    let other = r#"{"id":"evt_send_2","type":"payment_intent.succeeded"}"#;
    for flags in [
        &["--tamper", "body"][..],
        &["--tamper", "signature"],
        &["--tamper", "timestamp"],
        &["--timestamp", "-10m"],
    ] {
        let refused = send(address, other, flags).await;
        assert_eq!(refused.status.code(), Some(1), "{flags:?}: {refused:?}");
        assert!(
            stdout(&refused).starts_with("HTTP/1.1 401"),
            "{flags:?}: {}",
            stdout(&refused)
        );
    }
    assert!(!calls.by_event.lock().unwrap().contains_key("evt_send_2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_of_a_hundred_copies_runs_the_handler_once() {
    let calls = Calls::default();
    let address = receiver(calls.clone()).await;
    let body = r#"{"id":"evt_storm","type":"invoice.paid"}"#;
    let storm = send(address, body, &["--repeat", "100", "--concurrency", "16"]).await;
    let tally = stdout(&storm);
    assert_eq!(calls.by_event.lock().unwrap()["evt_storm"], 1, "{tally}");
    // One processed; the others duplicates, or 409 while the first was in
    // flight (not 2xx: then the exit status is 1, and a sender retries).
    let mut answered = 0;
    for line in tally.lines() {
        let (count, kind) = line.trim().split_once(" × ").unwrap();
        assert!(
            ["200 OK", "200 OK (duplicate)", "409 Conflict"].contains(&kind),
            "{tally}"
        );
        answered += count.parse::<u32>().unwrap();
    }
    assert_eq!(answered, 100, "{tally}");
    assert!(tally.contains("     1 × 200 OK\n"), "{tally}");
    assert_eq!(storm.status.success(), !tally.contains("409"), "{tally}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_resends_after_a_503_until_the_delivery_is_processed() {
    let body = r#"{"id":"evt_retry","type":"invoice.paid"}"#;
    // Without --retry, the 503 is the answer (exit 1), and the event was
    // not recorded: sent again, it is processed.
    let calls = Calls {
        fail_first: 1,
        ..Calls::default()
    };
    let address = receiver(calls.clone()).await;
    let failed = send(address, body, &[]).await;
    assert_eq!(failed.status.code(), Some(1), "a 503 is not a success");
    assert!(
        stdout(&failed).starts_with("HTTP/1.1 503"),
        "{}",
        stdout(&failed)
    );
    assert!(send(address, body, &[]).await.status.success());
    assert_eq!(calls.by_event.lock().unwrap()["evt_retry"], 1);

    // With --retry, one command outlasts the 503.
    let calls = Calls {
        fail_first: 1,
        ..Calls::default()
    };
    let address = receiver(calls.clone()).await;
    let retried = send(address, body, &["--retry"]).await;
    assert!(retried.status.success(), "{retried:?}");
    assert!(
        stdout(&retried).starts_with("HTTP/1.1 200"),
        "{}",
        stdout(&retried)
    );
    assert_eq!(
        calls.total.load(Ordering::SeqCst),
        2,
        "one failed call, one retry"
    );
    assert_eq!(calls.by_event.lock().unwrap()["evt_retry"], 1);
}

/// `webhook-guard listen` as a child process on a port of its choosing, its
/// standard output read line by line.
struct Listening {
    child: std::process::Child,
    port: u16,
    lines: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn listen(flags: &[&str]) -> Listening {
    use std::io::BufRead as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_webhook-guard"))
        .args([
            "listen",
            "--provider",
            "stripe",
            "--secret-env",
            "CLI_SEND_SECRET",
            "--port",
            "0",
        ])
        .args(flags)
        .env_remove("WEBHOOK_GUARD_SECRET")
        .env("CLI_SEND_SECRET", STRIPE_SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Its first line on stderr says where it listens: read, not waited for.
    let mut banner = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    let port = banner
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("no port in {banner:?}"));
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    Listening { child, port, lines }
}

/// The next line `listen` printed, as JSON (it prints before it answers).
fn next_json(listening: &mut Listening) -> serde_json::Value {
    let line = listening
        .lines
        .next()
        .expect("listen printed a line")
        .unwrap();
    serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_forwards_verified_deliveries_records_them_and_replay_resigns_them() {
    let calls = Calls::default();
    let app = receiver(calls.clone()).await;
    let record =
        std::env::temp_dir().join(format!("webhook-guard-record-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&record);
    let forward = format!("http://{app}/webhooks/stripe");
    let mut listening = listen(&[
        "--forward-to",
        &forward,
        "--record",
        record.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let relay = SocketAddr::from(([127, 0, 0, 1], listening.port));

    let body = r#"{"id":"evt_listen","type":"customer.created"}"#;
    let sent = send(relay, body, &[]).await;
    assert!(
        stdout(&sent).starts_with("HTTP/1.1 200"),
        "{}",
        stdout(&sent)
    );
    let line = next_json(&mut listening);
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["event_id"], "evt_listen");
    assert_eq!(line["type"], "customer.created");
    assert_eq!(line["body"]["id"], "evt_listen", "the body, parsed");
    assert_eq!(line["forwarded"]["status"], 200, "{line}");
    assert_eq!(
        calls.by_event.lock().unwrap()["evt_listen"],
        1,
        "the app ran once"
    );

    // Refused at the relay, with the reason on its output; never forwarded.
    let forged = send(relay, r#"{"id":"evt_forged"}"#, &["--tamper", "signature"]).await;
    assert!(
        stdout(&forged).starts_with("HTTP/1.1 401"),
        "{}",
        stdout(&forged)
    );
    let line = next_json(&mut listening);
    assert_eq!(line["verified"], false, "{line}");
    assert_eq!(line["reason"], "signature_mismatch", "{line}");
    assert!(!calls.by_event.lock().unwrap().contains_key("evt_forged"));
    drop(listening);

    // The recording holds the delivery; signed afresh and sent to the app,
    // it is the same event: a duplicate, the app not run again.
    let recorded = std::fs::read_to_string(&record).unwrap();
    assert_eq!(recorded.lines().count(), 1, "{recorded}");
    let file = record.to_str().unwrap().to_owned();
    let replayed = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_webhook-guard"))
            .args([
                "replay",
                &file,
                "--url",
                &forward,
                "--resign",
                "--provider",
                "stripe",
                "--secret-env",
                "CLI_SEND_SECRET",
            ])
            .env("CLI_SEND_SECRET", STRIPE_SECRET)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(replayed.status.success(), "{replayed:?}");
    assert_eq!(stdout(&replayed), "POST evt_listen: 200 OK (duplicate)\n");
    assert_eq!(calls.by_event.lock().unwrap()["evt_listen"], 1);
    std::fs::remove_file(&record).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixture_is_sent_by_name_with_the_id_given_or_a_fresh_one() {
    let calls = Calls::default();
    let address = receiver(calls.clone()).await;
    let named = send(
        address,
        "",
        &[
            "--fixture",
            "payment_intent.succeeded",
            "--id",
            "evt_fixture",
        ],
    )
    .await;
    assert!(named.status.success(), "{named:?}");
    assert_eq!(calls.by_event.lock().unwrap()["evt_fixture"], 1);
    // Without --id, each send is a new event.
    for _ in 0..2 {
        let fresh = send(address, "", &["--fixture", "payment_intent.succeeded"]).await;
        assert!(
            stdout(&fresh).starts_with("HTTP/1.1 200 OK\n"),
            "{}",
            stdout(&fresh)
        );
        assert!(
            !stdout(&fresh).contains("webhook-duplicate"),
            "{}",
            stdout(&fresh)
        );
    }
    assert_eq!(calls.total.load(Ordering::SeqCst), 3);
    let unknown = send(address, "", &["--fixture", "no.such.event"]).await;
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("payment_intent.succeeded"));

    let listed = Command::new(env!("CARGO_BIN_EXE_webhook-guard"))
        .args(["fixtures", "stripe"])
        .output()
        .unwrap();
    assert!(
        stdout(&listed).contains("payment_intent.succeeded"),
        "{}",
        stdout(&listed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_to_the_example_receiver_is_processed_then_a_duplicate_and_a_tampered_one_refused() {
    let mut example =
        ExampleReceiver::start("receiver", &[("WEBHOOK_SECRET_STRIPE", STRIPE_SECRET)]);
    let address = SocketAddr::from(([127, 0, 0, 1], example.port));
    let body = r#"{"id":"evt_example","type":"payment_intent.succeeded"}"#;
    let first = send(address, body, &[]).await;
    assert!(
        stdout(&first).starts_with("HTTP/1.1 200 OK\n"),
        "{}",
        stdout(&first)
    );
    assert_eq!(
        example.next_line_starting("processed "),
        "processed provider=stripe id=evt_example"
    );
    let again = send(address, body, &[]).await;
    assert!(
        stdout(&again).contains("webhook-duplicate: true"),
        "{}",
        stdout(&again)
    );
    let tampered = send(address, r#"{"id":"evt_example_2"}"#, &["--tamper", "body"]).await;
    assert_eq!(tampered.status.code(), Some(1));
    assert!(
        stdout(&tampered).starts_with("HTTP/1.1 401"),
        "{}",
        stdout(&tampered)
    );
    // A later event is processed, and is the next line: the duplicate and
    // the forgery printed nothing.
    let later = send(address, r#"{"id":"evt_example_3"}"#, &[]).await;
    assert!(later.status.success());
    assert_eq!(
        example.next_line_starting("processed "),
        "processed provider=stripe id=evt_example_3"
    );
}
