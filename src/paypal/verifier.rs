use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName};

use crate::Verifier;
use crate::paypal::{PayPalCertUrl, PayPalCertificate, PayPalError};
use crate::providers::paypal::{TRANSMISSION_ID, TRANSMISSION_SIG, TRANSMISSION_TIME};
use crate::scheme::Scheme;
use crate::secret::KeyRing;
use crate::verify::header_reader::required_header;
use crate::verify::{RequestHead, Verified, VerifyError, VerifyRequest};

/// `PAYPAL-AUTH-ALGO`: the algorithm PayPal names; only `SHA256withRSA` is
/// accepted.
pub const AUTH_ALGO: HeaderName = HeaderName::from_static("paypal-auth-algo");
/// `PAYPAL-CERT-URL`: where the certificate that checks the signature is.
pub const CERT_URL: HeaderName = HeaderName::from_static("paypal-cert-url");
/// The one `PAYPAL-AUTH-ALGO` accepted.
pub const SHA256_WITH_RSA: &str = "SHA256withRSA";

/// A public key that checks no signature: the header checks of a verifier
/// whose certificate is resolved per request run before there is one, and
/// [`Verifier::check_headers_at`] computes nothing with its key. (Made with
/// OpenSSL for this purpose; its private half was discarded.)
const HEADER_CHECK_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsnbq+gR9tBmCXbqj0Nf2
+eJuI1M2RmV5xXHKK/CsW0hos5F3p4OxBu2OUbiVvmGHELPYuMfO6uhONd6H3246
10tlZOz/I7rRbHX/l9f8INBKN+n4dT+u3dhHM6ke4FAcUwOy97TPtq2tEAoOMZ1t
9qDpY0ffuT/E5u9sh4bQZJBT9LTXfodMC5s9P1apCRnz0nWCQ6CGgq7YrtaQjszk
90ym0/3Vb/7OUzCa9Pb5o/7NiV4DOQHbZ8d36WSQviWILH1iQCJxfBKIQF029+lG
Ybuj/0eqdgyKltgzISZFCz6Add9p0j8OvtCGg9ZEfMIdu6c20H2lVItcW8DeQDUX
NwIDAQAB
-----END PUBLIC KEY-----";

/// Verifies PayPal webhooks for one webhook ID: the signature
/// ([`Scheme::paypal`]), `PAYPAL-AUTH-ALGO` (`SHA256withRSA`, anything
/// else refused), and the certificate, whose validity period must hold the
/// verification's `now`. Pure and synchronous, like [`Verifier`]: it never
/// connects anywhere.
///
/// The certificate comes from a key source chosen at construction:
///
/// * **pinned** ([`pinned`](Self::pinned)): a certificate you downloaded
///   and configured. Offline; when PayPal rotates its certificate,
///   deliveries fail (401) until you pin the new one.
/// * **fetched** (`fetching`, feature `paypal-fetch`): the certificate
///   at each delivery's `PAYPAL-CERT-URL`, fetched *before* verification
///   by a `CertificateFetcher` that
///   checks the URL against [`PayPalCertUrl`]'s rule, the chain, the
///   subject and the validity, and caches it; the verifier only reads
///   that cache.
///
/// It is a [`VerifyRequest`], so a guard keeps its whole contract around
/// it. The event ID, and so the idempotency key, is the transmission ID:
/// the one thing besides the time that the signature covers, since the
/// body is covered only by its CRC-32 (see [`Scheme::paypal`]).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use webhook_guard::paypal::{PayPalSigner, PayPalVerifier};
///
/// // The crate's test key and its self-signed certificate.
/// let certificate = std::fs::read_to_string("tests/data/rsa/certificate-2048.pem")?;
/// let private_key = std::fs::read_to_string("tests/data/rsa/signer-2048.pem")?;
/// let cert_url = "https://api-m.paypal.com/v1/notifications/certs/CERT-test";
///
/// let signer = PayPalSigner::new("8PT597110X687430LKGECATA", &private_key, cert_url)?;
/// let verifier = PayPalVerifier::pinned("8PT597110X687430LKGECATA", &certificate)?;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_798_761_600); // 2027-01-01, within the test certificate's validity
/// let body = br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#;
/// let headers = signer.sign("b2384410-f8d2-11e8-a3b7-4f7d2c4f2e1c", now, body)?;
/// let verified = verifier.verify_at(&headers, body, now)?;
/// assert_eq!(verified.event_id(), Some("b2384410-f8d2-11e8-a3b7-4f7d2c4f2e1c"));
///
/// let mut other_algo = headers.clone();
/// other_algo.insert("paypal-auth-algo", "SHA1withRSA".parse()?);
/// assert!(verifier.verify_at(&other_algo, body, now).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PayPalVerifier {
    scheme: Scheme,
    tolerance: Duration,
    source: KeySource,
    /// Checks what the headers alone decide, before any certificate.
    header_check: Verifier,
    namespace_key: [u8; 8],
}

#[derive(Clone)]
enum KeySource {
    Pinned {
        /// The pinned certificates, first pinned first; the verifier's
        /// ring holds their keys in the same order.
        certificates: Arc<[PayPalCertificate]>,
        verifier: Box<Verifier>,
    },
    #[cfg(feature = "paypal-fetch")]
    Fetched(crate::paypal::CertificateFetcher),
}

impl PayPalVerifier {
    /// A verifier of the webhook `webhook_id` that trusts the certificate
    /// `certificate_pem` (PEM; the first certificate of the file is used),
    /// whatever `PAYPAL-CERT-URL` says. Its validity period is checked at
    /// each verification; its subject and chain are yours to vouch for.
    pub fn pinned(webhook_id: &str, certificate_pem: &str) -> Result<Self, PayPalError> {
        let certificate = PayPalCertificate::from_pem(certificate_pem)?;
        let scheme = Scheme::paypal(webhook_id)?;
        let source = Self::pinning(&scheme, vec![certificate]);
        Ok(Self::with_source(scheme, webhook_id, source))
    }

    /// Pins one more certificate, for PayPal's rotation: a delivery
    /// verifies under any pinned certificate valid at the verification's
    /// `now` (the old one until it expires or you drop it, the new one from
    /// when it is valid). Refused for a fetching verifier, whose
    /// certificates come from the deliveries.
    ///
    /// ```
    /// use webhook_guard::paypal::PayPalVerifier;
    ///
    /// let old = std::fs::read_to_string("tests/data/paypal/sandbox-2017.pem")?;
    /// let new = std::fs::read_to_string("tests/data/rsa/certificate-2048.pem")?;
    /// let verifier = PayPalVerifier::pinned("96605875FF6516633", &old)?.with_pinned(&new)?;
    /// # let _ = verifier;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_pinned(mut self, certificate_pem: &str) -> Result<Self, PayPalError> {
        let certificate = PayPalCertificate::from_pem(certificate_pem)?;
        let mut all = match &self.source {
            KeySource::Pinned { certificates, .. } => certificates.to_vec(),
            #[cfg(feature = "paypal-fetch")]
            KeySource::Fetched(_) => {
                return Err(PayPalError::Certificate {
                    reason: "a fetching verifier pins no certificate",
                });
            }
        };
        all.push(certificate);
        self.source = Self::pinning(&self.scheme, all);
        let tolerance = self.tolerance;
        Ok(self.with_tolerance(tolerance))
    }

    /// A pinned source: the certificates, and a verifier holding their keys.
    fn pinning(scheme: &Scheme, certificates: Vec<PayPalCertificate>) -> KeySource {
        let mut keys = certificates
            .iter()
            .map(|certificate| certificate.public_key().clone());
        let mut ring = KeyRing::new(keys.next().expect("one certificate at least"));
        for key in keys {
            ring = ring.with_key(key);
        }
        KeySource::Pinned {
            certificates: certificates.into(),
            verifier: Box::new(Verifier::new(scheme.clone(), ring)),
        }
    }

    /// A verifier of the webhook `webhook_id` that trusts the certificate
    /// each delivery names in `PAYPAL-CERT-URL`, as `fetcher` resolved it
    /// before verification (see
    /// [`CertificateLayer`](crate::paypal::CertificateLayer)). A delivery
    /// whose certificate the fetcher has not resolved is refused (401).
    #[cfg(feature = "paypal-fetch")]
    pub fn fetching(
        webhook_id: &str,
        fetcher: crate::paypal::CertificateFetcher,
    ) -> Result<Self, PayPalError> {
        let scheme = Scheme::paypal(webhook_id)?;
        Ok(Self::with_source(
            scheme,
            webhook_id,
            KeySource::Fetched(fetcher),
        ))
    }

    fn with_source(scheme: Scheme, webhook_id: &str, source: KeySource) -> Self {
        use sha2::Digest as _;
        let key = crate::secret::PublicKey::rsa_pem(HEADER_CHECK_KEY)
            .expect("the header-check key is a valid RSA public key");
        let header_check = Verifier::new(scheme.clone(), KeyRing::new(key));
        let digest = sha2::Sha256::new()
            .chain_update(b"webhook-guard paypal namespace owner\0")
            .chain_update(webhook_id.as_bytes())
            .finalize();
        let mut namespace_key = [0; 8];
        namespace_key.copy_from_slice(&digest[..8]);
        Self {
            tolerance: header_check.tolerance(),
            scheme,
            source,
            header_check,
            namespace_key,
        }
    }

    /// Sets how far `PAYPAL-TRANSMISSION-TIME` may lie from the clock,
    /// either way (default [`Verifier::DEFAULT_TOLERANCE`], 300 s).
    #[must_use]
    #[cfg_attr(not(feature = "paypal-fetch"), allow(irrefutable_let_patterns))]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self.header_check = self.header_check.with_tolerance(tolerance);
        if let KeySource::Pinned { verifier, .. } = &mut self.source {
            **verifier = verifier.as_ref().clone().with_tolerance(tolerance);
        }
        self
    }

    /// The scheme it checks: [`Scheme::paypal`] of its webhook ID.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The freshness tolerance.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// The fetcher that resolves its certificates, when it has one.
    #[cfg(feature = "paypal-fetch")]
    pub fn fetcher(&self) -> Option<&crate::paypal::CertificateFetcher> {
        match &self.source {
            KeySource::Fetched(fetcher) => Some(fetcher),
            KeySource::Pinned { .. } => None,
        }
    }

    /// Verifies a delivery as if the clock read `now`.
    pub fn verify_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        let method = http::Method::POST;
        let uri = http::Uri::from_static("/");
        self.verify_request_at(RequestHead::new(&method, &uri, headers), body, now)
    }

    /// `PAYPAL-AUTH-ALGO`, and for a fetching verifier `PAYPAL-CERT-URL`
    /// (the URL it would read the certificate of).
    fn check_paypal_headers(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<PayPalCertUrl>, VerifyError> {
        let algo = required_header(headers, &AUTH_ALGO, 64)?;
        // Public values: no constant-time comparison needed.
        if algo.as_bytes() != SHA256_WITH_RSA.as_bytes() {
            return Err(VerifyError::MalformedHeader {
                name: AUTH_ALGO,
                reason: "not SHA256withRSA",
            });
        }
        match &self.source {
            KeySource::Pinned { .. } => Ok(None),
            #[cfg(feature = "paypal-fetch")]
            KeySource::Fetched(fetcher) => cert_url(fetcher, headers).map(Some),
        }
    }
}

/// `PAYPAL-CERT-URL`, checked against the rule of the URLs `fetcher`
/// connects to ([`PayPalCertUrl`]'s).
#[cfg(feature = "paypal-fetch")]
pub(crate) fn cert_url(
    fetcher: &crate::paypal::CertificateFetcher,
    headers: &HeaderMap,
) -> Result<PayPalCertUrl, VerifyError> {
    let value = required_header(headers, &CERT_URL, 512)?;
    let refused = VerifyError::MalformedHeader {
        name: CERT_URL,
        reason: "not one of PayPal's certificate URLs",
    };
    let text = value.to_str().map_err(|_| refused.clone())?;
    fetcher.cert_url(text).map_err(|_| refused)
}

impl VerifyRequest for PayPalVerifier {
    fn name(&self) -> &str {
        self.scheme.provider().name()
    }

    fn check_headers_at(&self, headers: &HeaderMap, now: SystemTime) -> Result<(), VerifyError> {
        self.check_paypal_headers(headers)?;
        self.header_check.check_headers_at(headers, now)
    }

    fn verify_request_at(
        &self,
        head: RequestHead<'_>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        #[cfg_attr(not(feature = "paypal-fetch"), allow(unused_variables))]
        let url = self.check_paypal_headers(head.headers())?;
        // Freshness and the header shapes before any certificate.
        self.header_check.check_headers_at(head.headers(), now)?;
        let untrusted = |reason| VerifyError::UntrustedKey { reason };
        match &self.source {
            KeySource::Pinned {
                certificates,
                verifier,
            } => {
                // Pinned certificates are trusted whatever PAYPAL-CERT-URL says.
                if !certificates.iter().any(|pinned| pinned.is_valid_at(now)) {
                    return Err(untrusted("no pinned certificate is valid now"));
                }
                let verified = verifier.verify_request_at(head, body, now)?;
                // The key that matched must be one of a certificate valid
                // now (a renewed certificate may repeat an expired one's).
                let matched = certificates
                    .get(verified.key_index())
                    .map(PayPalCertificate::public_key);
                let valid = certificates
                    .iter()
                    .any(|pinned| Some(pinned.public_key()) == matched && pinned.is_valid_at(now));
                if !valid {
                    return Err(untrusted(
                        "the pinned certificate that matched is not valid now",
                    ));
                }
                Ok(verified)
            }
            #[cfg(feature = "paypal-fetch")]
            KeySource::Fetched(fetcher) => {
                let url = url.ok_or(untrusted("no certificate URL"))?;
                let certificate = fetcher.cached(&url, now).ok_or(untrusted(
                    "no trusted certificate resolved for PAYPAL-CERT-URL (is CertificateLayer installed?)",
                ))?;
                let verifier = Verifier::new(
                    self.scheme.clone(),
                    KeyRing::new(certificate.public_key().clone()),
                )
                .with_tolerance(self.tolerance);
                verifier.verify_request_at(head, body, now)
            }
        }
    }

    fn replay_window(&self) -> Option<Duration> {
        Some(self.tolerance)
    }

    fn retry_window(&self) -> Option<Duration> {
        self.scheme.retry_window()
    }

    fn header_names(&self) -> Option<Vec<HeaderName>> {
        Some(vec![
            TRANSMISSION_ID,
            TRANSMISSION_TIME,
            TRANSMISSION_SIG,
            AUTH_ALGO,
            CERT_URL,
        ])
    }

    fn reads_request_target(&self) -> bool {
        false
    }

    fn key_fingerprints(&self) -> Option<Vec<[u8; 8]>> {
        // PayPal's certificate is every merchant's: the webhook ID is what
        // sets one receiver's deliveries apart.
        Some(vec![self.namespace_key])
    }
}

impl fmt::Debug for PayPalVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            KeySource::Pinned { certificates, .. } => format!(
                "pinned({})",
                certificates
                    .iter()
                    .map(PayPalCertificate::common_name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            #[cfg(feature = "paypal-fetch")]
            KeySource::Fetched(_) => "fetched".to_owned(),
        };
        f.debug_struct("PayPalVerifier")
            .field("tolerance", &self.tolerance)
            .field("certificate", &source)
            .finish_non_exhaustive()
    }
}
