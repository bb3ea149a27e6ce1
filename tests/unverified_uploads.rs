//! Unauthenticated uploads cannot hold the server's memory or connections,
//! over real loopback HTTP, on axum and on actix-web:
//!
//! * 100 connections each declaring 1 MiB − 1 byte without a signature
//!   header are answered 400 without sending a byte of their bodies;
//! * 100 connections with valid-looking fresh headers and a forged
//!   signature, each sending 1 MiB − 1 byte of a 1 MiB body and then
//!   waiting, hold at most the unverified-bytes budget (the others are
//!   answered 503 before their body is read), the server's resident memory
//!   grows by less than that budget plus a small constant, and every body
//!   left waiting is cut at the body deadline (408).
//!
//! Its own test binary, so that no other test's allocations move the
//! resident-memory figures.
#![cfg(all(feature = "axum", feature = "actix"))]

#[path = "support/actix_server.rs"]
mod actix_server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use webhook_guard::{Signer, Verifier, WebhookLayer};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const CONNECTIONS: usize = 100;
const BODY: usize = 1024 * 1024;
const BUDGET: usize = 16 * BODY;
const BODY_TIMEOUT: Duration = Duration::from_secs(3);
/// What the server may hold beyond the budget: connection state, the
/// frameworks' own buffers, allocator slack.
const SLACK: usize = 24 * 1024 * 1024;
/// How long any one answer may take to come, at the most.
const ANSWER_LIMIT: Duration = Duration::from_secs(30);

fn layer() -> WebhookLayer {
    WebhookLayer::new(Verifier::standard_webhooks(SECRET).unwrap())
        .with_unverified_bytes_limit(BUDGET)
        .with_body_timeout(BODY_TIMEOUT)
        .unwrap()
}

/// Serves `POST /hook` on axum, guarded; counts handler runs.
async fn serve_axum(runs: Arc<AtomicUsize>) -> SocketAddr {
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/hook",
        post(move || {
            runs.fetch_add(1, Ordering::SeqCst);
            async { "ran" }
        })
        .layer(layer()),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// Serves `POST /hook` on actix-web (two workers), guarded; counts handler
/// runs.
fn serve_actix(runs: Arc<AtomicUsize>) -> actix_server::ActixServer {
    use actix_web::{App, HttpResponse, HttpServer, web};
    let guard = layer();
    actix_server::ActixServer::start(move |listener| {
        HttpServer::new(move || {
            let runs = runs.clone();
            App::new().service(
                web::resource("/hook")
                    .wrap(guard.clone())
                    .route(web::post().to(move || {
                        runs.fetch_add(1, Ordering::SeqCst);
                        async { HttpResponse::Ok().finish() }
                    })),
            )
        })
        .workers(2)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run()
    })
}

/// The process's resident memory, in bytes.
fn resident_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .expect("VmRSS in /proc/self/status");
    let kib: usize = line
        .split_whitespace()
        .nth(1)
        .and_then(|kib| kib.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

/// A request head declaring `length` body bytes, with `headers`.
fn head(length: usize, headers: &http::HeaderMap) -> Vec<u8> {
    let mut head = format!(
        "POST /hook HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n"
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// The status code of the response read from `stream`, or 0 if the
/// connection closed without one.
async fn status_of(stream: &mut (impl AsyncReadExt + Unpin)) -> u16 {
    let mut response = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        let read = stream.read(&mut buffer).await.unwrap_or(0);
        if read == 0 {
            break;
        }
        response.extend_from_slice(&buffer[..read]);
        if response.windows(4).any(|window| window == b"\r\n\r\n") {
            break;
        }
    }
    std::str::from_utf8(&response)
        .ok()
        .and_then(|text| text.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// Phase 1: heads without a signature header, declaring 1 MiB − 1 byte and
/// sending none of it.
async fn unsigned_heads(address: SocketAddr) {
    let mut connections = Vec::new();
    for _ in 0..CONNECTIONS {
        connections.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.unwrap();
            stream
                .write_all(&head(BODY - 1, &http::HeaderMap::new()))
                .await
                .unwrap();
            tokio::time::timeout(ANSWER_LIMIT, status_of(&mut stream))
                .await
                .expect("answered without its body")
        }));
    }
    for connection in connections {
        assert_eq!(connection.await.unwrap(), 400);
    }
}

/// Phase 2: fresh headers with a forged signature, 1 MiB − 1 byte of a
/// 1 MiB body sent, then waiting. Returns the answers' statuses and the
/// most the resident memory grew while they waited.
async fn forged_uploads(address: SocketAddr) -> (Vec<u16>, usize) {
    let baseline = resident_bytes();
    let body = Bytes::from(vec![b'x'; BODY - 1]);
    let signer = Signer::standard_webhooks(SECRET).unwrap();
    let mut connections = Vec::new();
    for n in 0..CONNECTIONS {
        // Signed for another body: the signature cannot match this one.
        let headers = signer
            .sign(&format!("evt_upload_{n}"), SystemTime::now(), b"{}")
            .unwrap();
        let body = body.clone();
        connections.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.unwrap();
            stream.write_all(&head(BODY, &headers)).await.unwrap();
            // A refused upload's server may stop reading, or close: the
            // answer is what counts.
            let (mut reader, mut writer) = stream.into_split();
            let upload = tokio::spawn(async move {
                let _ = writer.write_all(&body).await;
                writer // kept open: the last byte never comes
            });
            let answer = tokio::time::timeout(ANSWER_LIMIT, status_of(&mut reader))
                .await
                .expect("every upload is answered");
            upload.abort();
            answer
        }));
    }
    // Sample the resident memory while the uploads wait, until all are
    // answered (the held ones at the body deadline).
    let mut peak = baseline;
    let started = Instant::now();
    while connections
        .iter()
        .any(|connection| !connection.is_finished())
    {
        peak = peak.max(resident_bytes());
        assert!(
            started.elapsed() < ANSWER_LIMIT * 2,
            "uploads still unanswered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut statuses = Vec::new();
    for connection in connections {
        statuses.push(connection.await.unwrap());
    }
    (statuses, peak.saturating_sub(baseline))
}

fn check(face: &str, runs: &AtomicUsize, statuses: &[u16], grew: usize) {
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    let (timed_out, refused) = (count(408), count(503));
    eprintln!(
        "{face}: {timed_out} cut at the body deadline (408), {refused} refused before reading (503); resident memory grew {:.1} MiB (budget {} MiB)",
        grew as f64 / (1024.0 * 1024.0),
        BUDGET / BODY
    );
    assert_eq!(timed_out + refused, CONNECTIONS, "{face}: {statuses:?}");
    assert!(
        (1..=BUDGET / BODY).contains(&timed_out),
        "{face}: at most the budget's worth of bodies is read: {timed_out}"
    );
    assert!(
        grew < BUDGET + SLACK,
        "{face}: resident memory grew {grew} bytes, over the budget plus {SLACK}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0, "{face}: no handler ran");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_uploads_hold_no_more_than_the_budget_and_not_for_long() {
    let runs = Arc::new(AtomicUsize::new(0));
    let address = serve_axum(runs.clone()).await;
    unsigned_heads(address).await;
    let (statuses, grew) = forged_uploads(address).await;
    check("axum", &runs, &statuses, grew);

    let runs = Arc::new(AtomicUsize::new(0));
    let server = serve_actix(runs.clone());
    unsigned_heads(server.address).await;
    let (statuses, grew) = forged_uploads(server.address).await;
    check("actix-web", &runs, &statuses, grew);
}
