use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::BodyExt as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio::sync::Semaphore;

use crate::paypal::certificate::MAX_PEM_LEN;
use crate::paypal::{FetchError, LIVE_SUBJECT, PayPalCertUrl, PayPalCertificate, SANDBOX_SUBJECT};

/// Fetches PayPal's message-verification certificates over HTTPS, checks
/// them and caches them: the I/O half of a fetching
/// [`PayPalVerifier`](crate::paypal::PayPalVerifier), run by a
/// [`CertificateLayer`](crate::paypal::CertificateLayer) *before*
/// verification (feature `paypal-fetch`).
///
/// * **Where.** Only a [`PayPalCertUrl`]: `https://` on one of PayPal's
///   four hosts, under `/v1/notifications/certs/`. Anything else is
///   refused before a connection is made (the type cannot be built).
/// * **Bounds.** The whole fetch — DNS, connect, TLS, request, body — has
///   [`with_timeout`](Self::with_timeout) (5 s); the body at most 64 KiB;
///   at most [`with_max_concurrent_fetches`](Self::with_max_concurrent_fetches)
///   (4) run at once, and one more is refused at once ([`FetchError::Busy`]),
///   never queued: unauthenticated requests cannot hold tasks waiting on
///   PayPal.
/// * **Trust.** TLS to PayPal against the Mozilla roots
///   (`webpki-roots`); the certificate fetched must chain to those roots
///   (rustls' WebPKI checks: signatures, validity of every certificate,
///   server-authentication usage, its names covering its subject), be
///   valid at the verification's `now`, and name PayPal in its subject's
///   CN: `messageverificationcerts.paypal.com` from the live hosts,
///   `messageverificationcerts.sandbox.paypal.com` from the sandbox ones.
/// * **Cache.** By URL, until the certificate (or an intermediate)
///   expires; at most [`with_max_cached`](Self::with_max_cached) (16)
///   entries. Only certificates that passed every check enter it — a
///   handful, as PayPal has — so a flood of other URLs cannot evict them;
///   when full, the entry that expires first makes room.
///
/// What an attacker can still do: send requests whose headers pass (a
/// fresh time, any signature bytes) naming other certificates under
/// PayPal's path, each costing one bounded request to PayPal (which
/// answers 404). While they hold every fetch slot, a genuine delivery
/// whose certificate is not yet cached is answered 503 and PayPal retries
/// it; deliveries under a cached certificate are not affected.
#[derive(Clone)]
pub struct CertificateFetcher {
    inner: Arc<Inner>,
}

struct Inner {
    timeout: Duration,
    max_bytes: usize,
    max_cached: usize,
    fetches: Semaphore,
    tls: tokio_rustls::TlsConnector,
    /// Checks a fetched certificate's chain, as a TLS client checks a
    /// server's.
    chain: Arc<rustls::client::WebPkiServerVerifier>,
    cache: Mutex<HashMap<Box<str>, Arc<PayPalCertificate>>>,
    /// Where to connect instead of the URL's host: for the tests, which
    /// serve on loopback. Never set outside them.
    connect_to: Option<std::net::SocketAddr>,
    /// The hosts and port the tests' URLs name instead of PayPal's.
    #[cfg(test)]
    test_rule: Option<(&'static [&'static str], u16)>,
    /// Whether it trusts the sandbox's hosts (and only them) instead of
    /// the live ones: PayPal's sandbox key signs deliveries for anyone's
    /// sandbox account, so a live receiver must never accept them.
    sandbox: bool,
}

/// The default bound on a whole fetch.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_MAX_CACHED: usize = 16;
const DEFAULT_MAX_CONCURRENT: usize = 4;

impl CertificateFetcher {
    /// A fetcher for live deliveries: it connects only to
    /// `api.paypal.com` and `api-m.paypal.com` and refuses the sandbox's
    /// URLs, trusting the Mozilla root certificates (`webpki-roots`), with
    /// the default bounds.
    pub fn new() -> Self {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        Self::with_roots(roots, None, DEFAULT_MAX_CONCURRENT)
    }

    /// A fetcher for sandbox deliveries: the sandbox's two hosts only
    /// (a receiver of your sandbox account, for testing).
    pub fn sandbox() -> Self {
        Self::new().rebuilt(|inner| inner.sandbox = true)
    }

    /// A fetcher for the tests: their CA as the only root, their loopback
    /// server in place of PayPal's hosts.
    #[cfg(test)]
    pub(crate) fn for_test(
        roots: rustls::RootCertStore,
        server: std::net::SocketAddr,
        hosts: &'static [&'static str],
        max_concurrent: usize,
    ) -> Self {
        let mut fetcher = Self::with_roots(roots, Some(server), max_concurrent);
        if let Some(inner) = Arc::get_mut(&mut fetcher.inner) {
            inner.test_rule = Some((hosts, server.port()));
        }
        fetcher
    }

    fn with_roots(
        roots: rustls::RootCertStore,
        connect_to: Option<std::net::SocketAddr>,
        max_concurrent: usize,
    ) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = Arc::new(roots);
        let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let chain = rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider)
            .build()
            .expect("the root store is not empty");
        Self {
            inner: Arc::new(Inner {
                timeout: DEFAULT_TIMEOUT,
                max_bytes: MAX_PEM_LEN,
                max_cached: DEFAULT_MAX_CACHED,
                fetches: Semaphore::new(max_concurrent),
                tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
                chain,
                cache: Mutex::new(HashMap::new()),
                connect_to,
                #[cfg(test)]
                test_rule: None,
                sandbox: false,
            }),
        }
    }

    /// Bounds each whole fetch (default 5 s).
    #[must_use]
    pub fn with_timeout(self, timeout: Duration) -> Self {
        self.rebuilt(|inner| inner.timeout = timeout)
    }

    /// Bounds the number of certificates kept (default 16).
    #[must_use]
    pub fn with_max_cached(self, entries: usize) -> Self {
        self.rebuilt(|inner| inner.max_cached = entries.max(1))
    }

    /// Bounds the fetches running at once (default 4); one more is refused
    /// at once.
    #[must_use]
    pub fn with_max_concurrent_fetches(self, fetches: usize) -> Self {
        self.rebuilt(|inner| inner.fetches = Semaphore::new(fetches.max(1)))
    }

    /// Bounds the certificate file's size (default 64 KiB, also the most a
    /// certificate file may be).
    #[must_use]
    pub fn with_max_bytes(self, bytes: usize) -> Self {
        self.rebuilt(|inner| inner.max_bytes = bytes.min(MAX_PEM_LEN))
    }

    /// Applies `change` to this fetcher's settings (a builder step, before
    /// the fetcher is shared: a clone already shared keeps its own).
    fn rebuilt(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = match Arc::try_unwrap(self.inner) {
            Ok(inner) => inner,
            Err(shared) => Inner {
                timeout: shared.timeout,
                max_bytes: shared.max_bytes,
                max_cached: shared.max_cached,
                fetches: Semaphore::new(shared.fetches.available_permits()),
                tls: shared.tls.clone(),
                chain: shared.chain.clone(),
                cache: Mutex::new(HashMap::new()),
                connect_to: shared.connect_to,
                #[cfg(test)]
                test_rule: shared.test_rule,
                sandbox: shared.sandbox,
            },
        };
        change(&mut inner);
        Self {
            inner: Arc::new(inner),
        }
    }

    /// `PAYPAL-CERT-URL`'s value checked against the rule of the URLs this
    /// fetcher connects to: [`PayPalCertUrl::parse`] (the tests' fetchers
    /// have a loopback rule of their own).
    pub fn cert_url(&self, url: &str) -> Result<PayPalCertUrl, crate::paypal::PayPalError> {
        #[cfg(test)]
        if let Some((hosts, port)) = self.inner.test_rule {
            return PayPalCertUrl::parse_for_test(url, hosts, port);
        }
        let parsed = PayPalCertUrl::parse(url)?;
        if parsed.is_sandbox() != self.inner.sandbox {
            return Err(crate::paypal::PayPalError::CertUrl {
                reason: "a live fetcher refuses the sandbox's hosts, a sandbox fetcher the live ones",
            });
        }
        Ok(parsed)
    }

    /// The certificate of `url`, if one was resolved and is valid at
    /// `now`: what a fetching verifier reads. No I/O.
    pub fn cached(&self, url: &PayPalCertUrl, now: SystemTime) -> Option<Arc<PayPalCertificate>> {
        let cache = self.inner.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .get(url.as_str())
            .filter(|certificate| certificate.is_valid_at(now))
            .cloned()
    }

    /// The certificate of `url`, from the cache or fetched and checked at
    /// `now` (then cached), within the fetcher's bounds.
    pub async fn resolve(
        &self,
        url: &PayPalCertUrl,
        now: SystemTime,
    ) -> Result<Arc<PayPalCertificate>, FetchError> {
        if let Some(certificate) = self.cached(url, now) {
            return Ok(certificate);
        }
        let _permit = self
            .inner
            .fetches
            .try_acquire()
            .map_err(|_| FetchError::Busy)?;
        // Another fetch may have resolved it meanwhile.
        if let Some(certificate) = self.cached(url, now) {
            return Ok(certificate);
        }
        let pem = tokio::time::timeout(self.inner.timeout, self.download(url))
            .await
            .map_err(|_| FetchError::TimedOut)??;
        let certificate = PayPalCertificate::from_pem_bytes(&pem)?;
        self.check(&certificate, url, now)?;
        let certificate = Arc::new(certificate);
        self.remember(url, certificate.clone(), now);
        Ok(certificate)
    }

    /// The subject, the validity at `now` and the chain.
    fn check(
        &self,
        certificate: &PayPalCertificate,
        url: &PayPalCertUrl,
        now: SystemTime,
    ) -> Result<(), FetchError> {
        let untrusted = |reason: &str| FetchError::Untrusted {
            reason: reason.to_owned(),
        };
        let subject = if url.is_sandbox() {
            SANDBOX_SUBJECT
        } else {
            LIVE_SUBJECT
        };
        if certificate.common_name() != subject {
            return Err(untrusted(
                "its subject is not PayPal's message-verification name",
            ));
        }
        if !certificate.is_valid_at(now) {
            return Err(untrusted("it is not valid now"));
        }
        let chain = certificate.chain_der();
        let leaf = CertificateDer::from(chain[0].as_slice());
        let intermediates: Vec<CertificateDer<'_>> = chain[1..]
            .iter()
            .map(|der| CertificateDer::from(der.as_slice()))
            .collect();
        let name = ServerName::try_from(subject).map_err(|_| untrusted("no DNS name"))?;
        let seconds = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        use rustls::client::danger::ServerCertVerifier as _;
        self.inner
            .chain
            .verify_server_cert(
                &leaf,
                &intermediates,
                &name,
                &[],
                UnixTime::since_unix_epoch(seconds),
            )
            .map_err(|error| FetchError::Untrusted {
                reason: error.to_string(),
            })?;
        Ok(())
    }

    /// Keeps a checked certificate: expired entries go first, then, when
    /// full, the one that expires first.
    fn remember(&self, url: &PayPalCertUrl, certificate: Arc<PayPalCertificate>, now: SystemTime) {
        let mut cache = self.inner.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|_, kept| kept.is_valid_at(now));
        while cache.len() >= self.inner.max_cached {
            let first = cache
                .iter()
                .min_by_key(|(_, kept)| kept.valid_until())
                .map(|(key, _)| key.clone());
            match first {
                Some(key) => cache.remove(&key),
                None => break,
            };
        }
        cache.insert(url.as_str().into(), certificate);
    }

    /// The file at `url`: one HTTP/1.1 GET over TLS, its body bounded.
    async fn download(&self, url: &PayPalCertUrl) -> Result<Bytes, FetchError> {
        let connect = |error: std::io::Error| FetchError::Connect {
            reason: error.to_string(),
        };
        let tcp = match self.inner.connect_to {
            Some(address) => tokio::net::TcpStream::connect(address).await,
            None => tokio::net::TcpStream::connect((url.host(), url.port())).await,
        }
        .map_err(connect)?;
        let name =
            ServerName::try_from(url.host().to_owned()).map_err(|_| FetchError::Connect {
                reason: "the host is no DNS name".to_owned(),
            })?;
        let tls = self.inner.tls.connect(name, tcp).await.map_err(connect)?;
        let http_error = |_| FetchError::Http { status: None };
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls))
                .await
                .map_err(http_error)?;
        let request = http::Request::get(url.path())
            .header(http::header::HOST, url.host())
            .header(http::header::USER_AGENT, "webhook-guard")
            .header(http::header::CONNECTION, "close")
            .body(http_body_util::Empty::<Bytes>::new())
            .map_err(|_| FetchError::Http { status: None })?;
        let max_bytes = self.inner.max_bytes;
        let exchange = async move {
            let response = sender.send_request(request).await.map_err(http_error)?;
            if response.status() != http::StatusCode::OK {
                return Err(FetchError::Http {
                    status: Some(response.status().as_u16()),
                });
            }
            let too_large = FetchError::TooLarge { limit: max_bytes };
            let declared = response
                .headers()
                .get(http::header::CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
            if declared.is_some_and(|length| length > max_bytes as u64) {
                return Err(too_large);
            }
            let mut body = response.into_body();
            let mut collected = Vec::new();
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(http_error)?;
                if let Ok(data) = frame.into_data() {
                    if collected.len() + data.len() > max_bytes {
                        return Err(too_large);
                    }
                    collected.extend_from_slice(&data);
                }
            }
            Ok(Bytes::from(collected))
        };
        // The connection is driven here, not spawned: when the fetch ends
        // (or its timeout drops it), the connection goes with it.
        drive(connection, exchange).await
    }
}

/// Runs `exchange` while driving `connection`, until `exchange` ends.
async fn drive<C, E, T>(connection: C, exchange: E) -> Result<T, FetchError>
where
    C: Future<Output = Result<(), hyper::Error>>,
    E: Future<Output = Result<T, FetchError>>,
{
    let mut connection = pin!(connection);
    let mut exchange = pin!(exchange);
    let mut connection_done = false;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(result) = exchange.as_mut().poll(cx) {
            return Poll::Ready(result);
        }
        if !connection_done {
            match connection.as_mut().poll(cx) {
                Poll::Ready(Err(_)) => return Poll::Ready(Err(FetchError::Http { status: None })),
                // Closed cleanly: the exchange ends too.
                Poll::Ready(Ok(())) => connection_done = true,
                Poll::Pending => {}
            }
        }
        Poll::Pending
    })
    .await
}

impl Default for CertificateFetcher {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for CertificateFetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.inner.cache.lock().map_or(0, |cache| cache.len());
        f.debug_struct("CertificateFetcher")
            .field("timeout", &self.inner.timeout)
            .field("max_bytes", &self.inner.max_bytes)
            .field("max_cached", &self.inner.max_cached)
            .field("cached", &cached)
            .finish_non_exhaustive()
    }
}
