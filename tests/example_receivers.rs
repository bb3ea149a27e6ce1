//! The example receivers (`examples/receiver.rs` on axum,
//! `examples/actix_receiver.rs` on actix-web) as a sender meets them: over
//! HTTPS with `TLS_CERT` and `TLS_KEY` (a delivery processed, its copy a
//! duplicate, plain HTTP to the port unanswered), refusing to start with
//! one of the two, and logging JSON lines with `LOG_FORMAT=json`.
#![cfg(any(feature = "axum", feature = "actix"))]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::{HeaderMap, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use webhook_guard::Signer;

#[path = "support/example_receiver.rs"]
mod example_receiver;

use example_receiver::ExampleReceiver;

/// The Standard Webhooks route's development secret in both examples.
const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// How long one request may take at most.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A self-signed certificate for `localhost` and `127.0.0.1`, its PEM
/// files in a directory of their own, removed on drop.
struct SelfSigned {
    directory: PathBuf,
    certificate: rustls::pki_types::CertificateDer<'static>,
}

impl SelfSigned {
    fn new() -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let generated =
            rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
                .unwrap();
        let directory = std::env::temp_dir().join(format!(
            "webhook-guard-example-tls-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&directory).unwrap();
        let this = Self {
            directory,
            certificate: generated.cert.der().clone(),
        };
        std::fs::write(this.cert_file(), generated.cert.pem()).unwrap();
        std::fs::write(this.key_file(), generated.signing_key.serialize_pem()).unwrap();
        this
    }

    fn cert_file(&self) -> String {
        self.directory.join("cert.pem").display().to_string()
    }

    fn key_file(&self) -> String {
        self.directory.join("key.pem").display().to_string()
    }

    /// A TLS client trusting this certificate only.
    fn connector(&self) -> TlsConnector {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.certificate.clone()).unwrap();
        let config = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        TlsConnector::from(Arc::new(config))
    }
}

impl Drop for SelfSigned {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// A Standard Webhooks delivery `id`, signed now with the route's secret.
fn signed_delivery(id: &str) -> Request<Full<Bytes>> {
    let body = format!(r#"{{"type":"test.ping","id":"{id}"}}"#);
    let headers = Signer::standard_webhooks(STANDARD_SECRET)
        .unwrap()
        .sign(id, SystemTime::now(), body.as_bytes())
        .unwrap();
    let mut request = Request::post("/webhooks/standard")
        .header("host", "localhost")
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    request.headers_mut().extend(headers);
    request
}

/// Sends `request` over `io` (HTTP/1.1), 10 s at most: the status and
/// headers of the answer, and its body, read to the end.
async fn send(
    io: impl AsyncRead + AsyncWrite + Unpin + Send + 'static,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, HeaderMap, Bytes), hyper::Error> {
    let exchange = async {
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(io)).await?;
        tokio::spawn(connection);
        let response = sender.send_request(request).await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok((parts.status, parts.headers, body))
    };
    tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .expect("no answer within 10 s")
}

/// Over HTTPS to `example`: a delivery is processed (and printed), its copy
/// is a duplicate; plain HTTP to the same port gets no HTTP answer.
async fn serves_https(example: &str) {
    let certificate = SelfSigned::new();
    // HTTPS required: the guard sees for itself that the connection is
    // TLS (actix-web's server config; the axum example's `Peer`).
    let mut receiver = ExampleReceiver::start(
        example,
        &[
            ("TLS_CERT", &certificate.cert_file()),
            ("TLS_KEY", &certificate.key_file()),
            ("WEBHOOK_GUARD_REQUIRE_HTTPS", "1"),
        ],
    );
    assert_eq!(receiver.scheme, "https");
    let address = format!("127.0.0.1:{}", receiver.port);
    let connector = certificate.connector();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let id = format!("msg_tls_{example}");

    for copy in 0..2 {
        let tcp = TcpStream::connect(&address).await.unwrap();
        let tls = tokio::time::timeout(REQUEST_TIMEOUT, connector.connect(name.clone(), tcp))
            .await
            .expect("no TLS handshake within 10 s")
            .unwrap();
        let (status, headers, _) = send(tls, signed_delivery(&id)).await.unwrap();
        assert_eq!(status, StatusCode::OK, "copy {copy}: {headers:?}");
        let duplicate = headers
            .get("webhook-duplicate")
            .map(|value| value.as_bytes());
        if copy == 0 {
            assert_eq!(duplicate, None);
            assert_eq!(
                receiver.next_line_starting("processed "),
                format!("processed provider=standard id={id}")
            );
        } else {
            assert_eq!(duplicate, Some(&b"true"[..]));
        }
    }

    let tcp = TcpStream::connect(&address).await.unwrap();
    let plain = send(tcp, signed_delivery("msg_tls_plain")).await;
    assert!(plain.is_err(), "plain HTTP answered: {plain:?}");
}

/// `example` with only one of `TLS_CERT` and `TLS_KEY` exits at once,
/// failing, and says what is missing.
fn refuses_half_a_tls_configuration(example: &str) {
    let certificate = SelfSigned::new();
    for (set, missing) in [
        (("TLS_CERT", certificate.cert_file()), "TLS_KEY"),
        (("TLS_KEY", certificate.key_file()), "TLS_CERT"),
    ] {
        let child = std::process::Command::new(ExampleReceiver::binary(example))
            .env("PORT", "0")
            .env_remove("TLS_CERT")
            .env_remove("TLS_KEY")
            .env_remove("WEBHOOK_GUARD_REDIS_URL")
            .env_remove("WEBHOOK_GUARD_DATABASE_URL")
            .env(set.0, &set.1)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let id = child.id();
        let (sender, exited) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(child.wait_with_output());
        });
        let output = exited
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("{example} (pid {id}) still running with only {}", set.0))
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{example}: {output:?}");
        assert!(
            stderr.contains(&format!("{missing} is not")),
            "{example}: {stderr}"
        );
        assert!(
            !String::from_utf8_lossy(&output.stdout).contains("listening"),
            "{example}: {output:?}"
        );
    }
}

/// With `LOG_FORMAT=json`, every line `example` logs is a JSON object, and
/// a processed delivery is one of them, at info, with its outcome.
async fn logs_json_lines(example: &str) {
    let mut receiver = ExampleReceiver::start(example, &[("LOG_FORMAT", "json")]);
    let id = format!("msg_json_{example}");
    let tcp = TcpStream::connect(("127.0.0.1", receiver.port))
        .await
        .unwrap();
    let (status, _, _) = send(tcp, signed_delivery(&id)).await.unwrap();
    assert_eq!(status, StatusCode::OK);
    let is_the_outcome = |line: &str| {
        serde_json::from_str::<serde_json::Value>(line)
            .is_ok_and(|log| log["span"]["event_id"] == id.as_str())
    };
    let mut lines = receiver.log_lines_until(is_the_outcome);
    lines.extend(receiver.stop());
    let logs: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line:?}")))
        .collect();
    assert!(logs.iter().all(serde_json::Value::is_object), "{lines:#?}");
    let delivery: Vec<_> = logs
        .iter()
        .filter(|log| log["span"]["event_id"] == id.as_str())
        .collect();
    assert_eq!(delivery.len(), 1, "one line per delivery: {lines:#?}");
    let line = delivery[0];
    assert_eq!(line["level"], "INFO", "{line}");
    assert_eq!(line["span"]["outcome"], "accepted", "{line}");
    assert_eq!(line["span"]["provider"], "standard", "{line}");
}

/// Posts `request` to `example` over plain HTTP on a fresh connection.
async fn post_plain(
    receiver: &ExampleReceiver,
    request: Request<Full<Bytes>>,
) -> (StatusCode, HeaderMap, Bytes) {
    let tcp = TcpStream::connect(("127.0.0.1", receiver.port))
        .await
        .unwrap();
    send(tcp, request).await.unwrap()
}

/// `example` with `WEBHOOK_GUARD_ALLOWED_SOURCES` refuses the loopback
/// peer (403) whatever `X-Forwarded-For` it claims; with the loopback as a
/// trusted proxy, the hop it forwards decides; with HTTPS required, plain
/// HTTP is refused.
async fn applies_source_rules(example: &str) {
    let outside = ExampleReceiver::start(
        example,
        &[("WEBHOOK_GUARD_ALLOWED_SOURCES", "192.0.2.0/24")],
    );
    let mut spoofed = signed_delivery(&format!("msg_src_spoofed_{example}"));
    spoofed
        .headers_mut()
        .insert("x-forwarded-for", "192.0.2.9".parse().unwrap());
    assert_eq!(post_plain(&outside, spoofed).await.0, StatusCode::FORBIDDEN);

    let behind_proxy = ExampleReceiver::start(
        example,
        &[
            ("WEBHOOK_GUARD_ALLOWED_SOURCES", "192.0.2.0/24"),
            ("WEBHOOK_GUARD_TRUSTED_PROXIES", "127.0.0.1"),
        ],
    );
    let mut forwarded = signed_delivery(&format!("msg_src_forwarded_{example}"));
    forwarded
        .headers_mut()
        .insert("x-forwarded-for", "203.0.113.1, 192.0.2.9".parse().unwrap());
    assert_eq!(post_plain(&behind_proxy, forwarded).await.0, StatusCode::OK);
    let mut forged_left = signed_delivery(&format!("msg_src_forged_{example}"));
    forged_left
        .headers_mut()
        .insert("x-forwarded-for", "192.0.2.9, 203.0.113.1".parse().unwrap());
    assert_eq!(
        post_plain(&behind_proxy, forged_left).await.0,
        StatusCode::FORBIDDEN
    );

    let https_only = ExampleReceiver::start(example, &[("WEBHOOK_GUARD_REQUIRE_HTTPS", "1")]);
    let plain = signed_delivery(&format!("msg_src_plain_{example}"));
    assert_eq!(
        post_plain(&https_only, plain).await.0,
        StatusCode::FORBIDDEN
    );
}

/// `example` built with `metrics` serves them at `GET /metrics`: a
/// processed delivery and a refused one are counted there.
#[cfg(feature = "metrics")]
async fn serves_metrics(example: &str) {
    let receiver = ExampleReceiver::start(example, &[]);
    let id = format!("msg_metrics_{example}");
    assert_eq!(
        post_plain(&receiver, signed_delivery(&id)).await.0,
        StatusCode::OK
    );
    let mut forged = signed_delivery(&id);
    *forged.body_mut() = Full::new(Bytes::from_static(b"{\"forged\":true}"));
    forged.headers_mut().remove("content-length");
    assert_eq!(
        post_plain(&receiver, forged).await.0,
        StatusCode::UNAUTHORIZED
    );
    let scrape = Request::get("/metrics")
        .header("host", "localhost")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (status, headers, body) = post_plain(&receiver, scrape).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
        "{headers:?}"
    );
    let text = String::from_utf8(body.to_vec()).unwrap();
    let sample = |name: &str, labels: &[&str]| {
        text.lines()
            .find(|line| line.starts_with(name) && labels.iter().all(|label| line.contains(label)))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no {name} {labels:?} in:\n{text}"))
    };
    let standard = r#"provider="standard""#;
    assert_eq!(
        sample(
            "webhook_guard_deliveries_total",
            &[standard, r#"outcome="accepted""#]
        ),
        1.0
    );
    assert_eq!(
        sample(
            "webhook_guard_rejections_total",
            &[standard, r#"reason="signature_mismatch""#]
        ),
        1.0
    );
    assert!(
        text.contains("webhook_guard_verification_seconds"),
        "{text}"
    );
    assert!(!text.contains(&id), "an event ID in a label:\n{text}");
}

#[cfg(feature = "axum")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_axum_receiver_applies_allowed_sources_and_trusted_proxies() {
    applies_source_rules("receiver").await;
}

#[cfg(feature = "actix")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actix_receiver_applies_allowed_sources_and_trusted_proxies() {
    applies_source_rules("actix_receiver").await;
}

#[cfg(all(feature = "axum", feature = "metrics"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_axum_receiver_serves_its_metrics_for_prometheus() {
    serves_metrics("receiver").await;
}

#[cfg(all(feature = "actix", feature = "metrics"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actix_receiver_serves_its_metrics_for_prometheus() {
    serves_metrics("actix_receiver").await;
}

#[cfg(feature = "axum")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_axum_receiver_serves_https_with_tls_cert_and_tls_key() {
    serves_https("receiver").await;
}

#[cfg(feature = "actix")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actix_receiver_serves_https_with_tls_cert_and_tls_key() {
    serves_https("actix_receiver").await;
}

#[cfg(feature = "axum")]
#[test]
fn the_axum_receiver_refuses_to_start_with_only_one_of_tls_cert_and_tls_key() {
    refuses_half_a_tls_configuration("receiver");
}

#[cfg(feature = "actix")]
#[test]
fn the_actix_receiver_refuses_to_start_with_only_one_of_tls_cert_and_tls_key() {
    refuses_half_a_tls_configuration("actix_receiver");
}

#[cfg(feature = "axum")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_axum_receiver_logs_one_json_object_per_line_and_one_per_delivery() {
    logs_json_lines("receiver").await;
}

#[cfg(feature = "actix")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actix_receiver_logs_one_json_object_per_line_and_one_per_delivery() {
    logs_json_lines("actix_receiver").await;
}
