use std::sync::Arc;

use tower_layer::Layer;

use crate::paypal::{CertificateService, PayPalVerifier};

/// Resolves each PayPal delivery's certificate *before* the guard verifies
/// it (feature `paypal-fetch`): put it in front of the
/// [`WebhookLayer`](crate::WebhookLayer) of a fetching
/// [`PayPalVerifier`].
///
/// For every request, from the headers alone and before a byte of the
/// body is read:
///
/// 1. the verifier's header checks ([`check_headers_at`]: `PAYPAL-AUTH-ALGO`,
///    `PAYPAL-CERT-URL` on one of PayPal's hosts, a fresh and well-formed
///    transmission time, ID and signature). A request that fails them is
///    passed on untouched, for the guard to answer: it never causes a
///    fetch;
/// 2. the certificate of its `PAYPAL-CERT-URL`, from the fetcher's cache
///    or fetched and checked within the fetcher's bounds;
/// 3. the request passed on to the guard, whose verifier reads that cache.
///
/// A fetch that may succeed later (PayPal unreachable, too slow, the
/// fetcher busy) is answered `503` with `Retry-After`, so PayPal retries;
/// a certificate that is refused leaves the delivery to the guard, which
/// answers 401.
///
/// ```
/// # #[cfg(feature = "axum")] {
/// use axum::{Router, routing::post};
/// use webhook_guard::WebhookLayer;
/// use webhook_guard::paypal::{CertificateFetcher, CertificateLayer, PayPalVerifier};
///
/// let verifier = PayPalVerifier::fetching("8PT597110X687430LKGECATA", CertificateFetcher::new())?;
/// let app: Router = Router::new().route(
///     "/webhooks/paypal",
///     post(|| async { "ok" }).layer(
///         // Outermost first: the certificate, then the guard.
///         tower::ServiceBuilder::new()
///             .layer(CertificateLayer::new(verifier.clone()))
///             .layer(WebhookLayer::new(verifier)),
///     ),
/// );
/// # let _ = app;
/// # }
/// # Ok::<(), webhook_guard::paypal::PayPalError>(())
/// ```
///
/// [`check_headers_at`]: crate::verify::VerifyRequest::check_headers_at
#[derive(Debug, Clone)]
#[must_use]
pub struct CertificateLayer {
    verifier: Arc<PayPalVerifier>,
}

impl CertificateLayer {
    /// A layer resolving the certificates `verifier` reads. With a pinned
    /// verifier it passes every request on at once.
    pub fn new(verifier: PayPalVerifier) -> Self {
        Self {
            verifier: Arc::new(verifier),
        }
    }
}

impl<S> Layer<S> for CertificateLayer {
    type Service = CertificateService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CertificateService::new(inner, self.verifier.clone())
    }
}
