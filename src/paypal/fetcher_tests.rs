//! The fetcher against a local HTTPS server on loopback, with a test CA
//! made here: the one place the host rule and the trust roots are
//! overridden (`CertificateFetcher::with_roots`, `PayPalCertUrl`'s test
//! rule), so no test reaches the network. Every wait is bounded.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    PKCS_RSA_SHA256,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tower::ServiceExt as _;

use crate::paypal::{
    CertificateFetcher, CertificateLayer, FetchError, LIVE_SUBJECT, PayPalCertUrl, PayPalVerifier,
};
use crate::{Signer, Verified, WebhookLayer};

const HOSTS: &[&str] = &["localhost"];
/// The message-verification key: the crate's OpenSSL-made test key
/// (`ring` makes no RSA keys).
const SIGNING_KEY: &str = include_str!("../../tests/data/rsa/signer-2048.pem");

/// A test PKI: a CA, a TLS certificate for `localhost`, and
/// message-verification certificates of every kind under test.
struct Pki {
    ca_der: Vec<u8>,
    tls_cert: Vec<u8>,
    tls_key: Vec<u8>,
    good: String,
    wrong_subject: String,
    expired: String,
    untrusted: String,
}

fn message_params(common_name: &str, not_after_year: i32) -> CertificateParams {
    let mut params = CertificateParams::new(vec![common_name.to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(not_after_year, 1, 1);
    params
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "webhook-guard test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    ca_params.not_after = rcgen::date_time_ymd(2100, 1, 1);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let ca = Issuer::new(ca_params, ca_key);

    let tls_key = KeyPair::generate().unwrap();
    let mut tls_params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    tls_params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    tls_params.not_after = rcgen::date_time_ymd(2100, 1, 1);
    let tls_cert = tls_params.signed_by(&tls_key, &ca).unwrap();

    let rsa = KeyPair::from_pkcs8_pem_and_sign_algo(SIGNING_KEY, &PKCS_RSA_SHA256).unwrap();
    let signed = |params: CertificateParams| params.signed_by(&rsa, &ca).unwrap().pem();
    let other_ca_key = KeyPair::generate().unwrap();
    let mut other_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    other_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let other_ca = Issuer::new(other_params, other_ca_key);
    Pki {
        ca_der: ca_cert.der().to_vec(),
        tls_cert: tls_cert.der().to_vec(),
        tls_key: tls_key.serialize_der(),
        good: signed(message_params(LIVE_SUBJECT, 2100)),
        wrong_subject: signed(message_params("messageverificationcerts.evil.com", 2100)),
        expired: signed(message_params(LIVE_SUBJECT, 2021)),
        untrusted: message_params(LIVE_SUBJECT, 2100)
            .signed_by(&rsa, &other_ca)
            .unwrap()
            .pem(),
    }
}

/// The server: every accepted connection counted and announced.
struct Server {
    address: SocketAddr,
    connections: Arc<AtomicUsize>,
    accepted: Arc<tokio::sync::Notify>,
    pki: Arc<Pki>,
}

async fn serve() -> Server {
    let pki = Arc::new(pki());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![pki.tls_cert.clone().into()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(pki.tls_key.clone().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(tokio::sync::Notify::new());
    let (count, announce, files) = (connections.clone(), accepted.clone(), pki.clone());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            announce.notify_one();
            let (acceptor, files) = (acceptor.clone(), files.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8192 {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split(' ').nth(1).unwrap_or("").to_owned();
                let name = path.rsplit('/').next().unwrap_or("");
                let ok = |body: &str| {
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                };
                let response = match name {
                    "GOOD" => ok(&files.good),
                    "WRONG-SUBJECT" => ok(&files.wrong_subject),
                    "EXPIRED" => ok(&files.expired),
                    "UNTRUSTED" => ok(&files.untrusted),
                    "BIG" => ok(&"A".repeat(70 * 1024)),
                    "BIG-UNDECLARED" => {
                        format!(
                            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{}",
                            "A".repeat(70 * 1024)
                        )
                    }
                    "TRICKLE" => {
                        let _ = tls
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")
                            .await;
                        // One byte every 50 ms, until the client hangs up.
                        while tls.write_all(b"-").await.is_ok() && tls.flush().await.is_ok() {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        return;
                    }
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_owned(),
                };
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    Server {
        address,
        connections,
        accepted,
        pki,
    }
}

impl Server {
    fn fetcher(&self, max_concurrent: usize) -> CertificateFetcher {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.pki.ca_der.clone().into()).unwrap();
        CertificateFetcher::for_test(roots, self.address, HOSTS, max_concurrent)
            .with_timeout(Duration::from_millis(400))
    }

    fn url(&self, name: &str) -> String {
        format!(
            "https://localhost:{}/v1/notifications/certs/{name}",
            self.address.port()
        )
    }

    fn parsed(&self, name: &str) -> PayPalCertUrl {
        PayPalCertUrl::parse_for_test(&self.url(name), HOSTS, self.address.port()).unwrap()
    }
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_798_761_600) // 2027-01-01
}

/// Every test's bound: nothing here waits longer.
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the test finished within its bound")
}

#[tokio::test]
async fn a_good_certificate_is_fetched_once_checked_and_cached_until_it_expires() {
    bounded(async {
        let server = serve().await;
        let fetcher = server.fetcher(4);
        let url = server.parsed("GOOD");
        assert!(fetcher.cached(&url, now()).is_none());
        let certificate = fetcher.resolve(&url, now()).await.unwrap();
        assert_eq!(certificate.common_name(), LIVE_SUBJECT);
        assert_eq!(server.connections.load(Ordering::SeqCst), 1);
        // Cached: no second connection.
        fetcher.resolve(&url, now()).await.unwrap();
        assert!(fetcher.cached(&url, now()).is_some());
        assert_eq!(server.connections.load(Ordering::SeqCst), 1);
        // Past its expiry the cache no longer answers, and a fetch then
        // refuses it.
        let later = certificate.not_after() + Duration::from_secs(1);
        assert!(fetcher.cached(&url, later).is_none());
        assert!(matches!(
            fetcher.resolve(&url, later).await,
            Err(FetchError::Untrusted { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn a_wrong_subject_an_expired_or_an_unchained_certificate_is_refused_and_not_cached() {
    bounded(async {
        let server = serve().await;
        let fetcher = server.fetcher(4);
        for name in ["WRONG-SUBJECT", "EXPIRED", "UNTRUSTED"] {
            let url = server.parsed(name);
            let error = fetcher.resolve(&url, now()).await.unwrap_err();
            assert!(
                matches!(error, FetchError::Untrusted { .. }),
                "{name}: {error:?}"
            );
            assert!(!error.is_transient(), "{name}");
            assert!(fetcher.cached(&url, now()).is_none(), "{name}");
        }
        // The good one is valid only within its period, checked at `now`.
        let early = UNIX_EPOCH + Duration::from_secs(1_500_000_000); // 2017
        assert!(
            fetcher
                .resolve(&server.parsed("GOOD"), early)
                .await
                .is_err()
        );
    })
    .await;
}

#[tokio::test]
async fn a_large_body_or_a_missing_file_fails_and_a_trickle_fails_within_the_bound() {
    bounded(async {
        let server = serve().await;
        let fetcher = server.fetcher(4);
        for name in ["BIG", "BIG-UNDECLARED"] {
            let error = fetcher
                .resolve(&server.parsed(name), now())
                .await
                .unwrap_err();
            assert_eq!(error, FetchError::TooLarge { limit: 64 * 1024 }, "{name}");
        }
        let error = fetcher
            .resolve(&server.parsed("NOPE"), now())
            .await
            .unwrap_err();
        assert_eq!(error, FetchError::Http { status: Some(404) });
        assert!(!error.is_transient());

        let started = Instant::now();
        let error = fetcher
            .resolve(&server.parsed("TRICKLE"), now())
            .await
            .unwrap_err();
        assert_eq!(error, FetchError::TimedOut);
        assert!(error.is_transient());
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(400) && took < Duration::from_secs(3),
            "the 400 ms bound held: {took:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn fetches_beyond_the_concurrency_bound_are_refused_at_once() {
    bounded(async {
        let server = serve().await;
        let fetcher = server.fetcher(1);
        let slow = {
            let (fetcher, url) = (fetcher.clone(), server.parsed("TRICKLE"));
            tokio::spawn(async move { fetcher.resolve(&url, now()).await })
        };
        // Once the slow fetch holds the one slot (its connection arrived):
        server.accepted.notified().await;
        let started = Instant::now();
        let refused = fetcher.resolve(&server.parsed("GOOD"), now()).await;
        assert_eq!(refused.unwrap_err(), FetchError::Busy);
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "refused, not queued"
        );
        assert_eq!(slow.await.unwrap().unwrap_err(), FetchError::TimedOut);
        // The slot is free again.
        assert!(fetcher.resolve(&server.parsed("GOOD"), now()).await.is_ok());
    })
    .await;
}

fn signed_request(
    server: &Server,
    cert_url: &str,
    transmission_id: &str,
    body: &'static [u8],
) -> Request<Full<Bytes>> {
    let scheme = crate::Scheme::paypal("WH-LAYER").unwrap();
    let signer = Signer::from_secrets(scheme, [SIGNING_KEY]).unwrap();
    let mut headers = signer
        .sign(transmission_id, SystemTime::now(), body)
        .unwrap();
    headers.insert("paypal-auth-algo", "SHA256withRSA".parse().unwrap());
    headers.insert("paypal-cert-url", cert_url.parse().unwrap());
    let _ = server;
    let mut request = Request::post("/webhooks/paypal")
        .body(Full::new(Bytes::from_static(body)))
        .unwrap();
    *request.headers_mut() = headers;
    request
}

#[tokio::test]
async fn the_layer_resolves_the_certificate_before_the_guard_and_never_connects_elsewhere() {
    bounded(async {
        let server = serve().await;
        let fetcher = server.fetcher(4);
        let verifier = PayPalVerifier::fetching("WH-LAYER", fetcher.clone()).unwrap();
        let handled = Arc::new(AtomicUsize::new(0));
        let count = handled.clone();
        let service = tower::ServiceBuilder::new()
            .layer(CertificateLayer::new(verifier.clone()))
            .layer(WebhookLayer::new(verifier))
            .service_fn(move |request: Request<Full<Bytes>>| {
                let count = count.clone();
                async move {
                    assert!(request.extensions().get::<Verified>().is_some());
                    count.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"done"))))
                }
            });
        let body: &'static [u8] = br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#;

        // An attacker's URL, in every spelling: refused before any connection.
        for evil in [
            "https://evil.example/v1/notifications/certs/GOOD".to_owned(),
            format!(
                "https://localhost:{}@evil.example/v1/notifications/certs/GOOD",
                server.address.port()
            ),
            format!(
                "https://localhost:{}/v1/notifications/certs/../GOOD",
                server.address.port()
            ),
            format!(
                "http://localhost:{}/v1/notifications/certs/GOOD",
                server.address.port()
            ),
        ] {
            let response = service
                .clone()
                .oneshot(signed_request(&server, &evil, "tx-evil", body))
                .await
                .unwrap();
            assert_eq!(response.status(), 400, "{evil}");
        }
        // A stale delivery never causes a fetch either.
        let mut stale = signed_request(&server, &server.url("GOOD"), "tx-stale", body);
        stale.headers_mut().insert(
            "paypal-transmission-time",
            "2020-01-01T00:00:00Z".parse().unwrap(),
        );
        assert_eq!(service.clone().oneshot(stale).await.unwrap().status(), 401);
        assert_eq!(
            server.connections.load(Ordering::SeqCst),
            0,
            "no connection was made"
        );

        // A genuine delivery: fetched, verified, handled once.
        let first = service
            .clone()
            .oneshot(signed_request(&server, &server.url("GOOD"), "tx-1", body))
            .await
            .unwrap();
        assert_eq!(first.status(), 200);
        let again = service
            .clone()
            .oneshot(signed_request(&server, &server.url("GOOD"), "tx-1", body))
            .await
            .unwrap();
        assert_eq!(again.headers()["webhook-duplicate"], "true");
        assert_eq!(handled.load(Ordering::SeqCst), 1);
        assert_eq!(
            server.connections.load(Ordering::SeqCst),
            1,
            "fetched once, then cached"
        );

        // A certificate that is refused: 401 from the guard; one that cannot
        // be fetched in time: 503, so PayPal retries.
        let refused = service
            .clone()
            .oneshot(signed_request(
                &server,
                &server.url("UNTRUSTED"),
                "tx-2",
                body,
            ))
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);
        let unavailable = service
            .clone()
            .oneshot(signed_request(
                &server,
                &server.url("TRICKLE"),
                "tx-3",
                body,
            ))
            .await
            .unwrap();
        assert_eq!(unavailable.status(), 503);
        assert_eq!(unavailable.headers()["retry-after"], "30");
        assert_eq!(handled.load(Ordering::SeqCst), 1);
    })
    .await;
}

#[tokio::test]
async fn without_the_layer_a_fetching_verifier_refuses_and_never_connects() {
    bounded(async {
        let server = serve().await;
        let verifier = PayPalVerifier::fetching("WH-LAYER", server.fetcher(4)).unwrap();
        let service = tower::ServiceBuilder::new()
            .layer(WebhookLayer::new(verifier))
            .service_fn(|_: Request<Full<Bytes>>| async {
                Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
            });
        let body: &'static [u8] = b"{}";
        let answer = service
            .oneshot(signed_request(&server, &server.url("GOOD"), "tx-1", body))
            .await
            .unwrap();
        assert_eq!(answer.status(), 401, "no certificate was resolved");
        assert_eq!(server.connections.load(Ordering::SeqCst), 0);
    })
    .await;
}

/// A live fetcher never trusts the sandbox (whose key signs deliveries for
/// anyone's sandbox account), and a sandbox fetcher never the live hosts:
/// decided from the URL, before any connection.
#[test]
fn a_live_fetcher_refuses_the_sandbox_and_a_sandbox_fetcher_the_live_hosts() {
    let live = CertificateFetcher::new();
    let sandbox = CertificateFetcher::sandbox();
    for host in ["api.paypal.com", "api-m.paypal.com"] {
        let url = format!("https://{host}/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270");
        assert!(live.cert_url(&url).is_ok(), "{url}");
        assert!(sandbox.cert_url(&url).is_err(), "{url}");
    }
    for host in ["api.sandbox.paypal.com", "api-m.sandbox.paypal.com"] {
        let url = format!("https://{host}/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270");
        assert!(live.cert_url(&url).is_err(), "{url}");
        assert!(sandbox.cert_url(&url).is_ok(), "{url}");
    }
    // A builder step keeps the choice.
    let bounded = CertificateFetcher::sandbox().with_timeout(Duration::from_secs(1));
    assert!(
        bounded
            .cert_url("https://api.paypal.com/v1/notifications/certs/CERT-1")
            .is_err()
    );
}
