use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

use http::{Request, Response};
use tower_service::Service;

use crate::paypal::verifier::cert_url;
use crate::paypal::{CertificateFuture, PayPalVerifier};
use crate::verify::VerifyRequest as _;

/// The service of a [`CertificateLayer`](crate::paypal::CertificateLayer):
/// resolves a PayPal delivery's certificate, then calls the guard.
#[derive(Debug, Clone)]
pub struct CertificateService<S> {
    inner: S,
    verifier: Arc<PayPalVerifier>,
}

impl<S> CertificateService<S> {
    /// Wraps `inner` (the guard), resolving the certificates `verifier`
    /// reads.
    pub fn new(inner: S, verifier: Arc<PayPalVerifier>) -> Self {
        Self { inner, verifier }
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The inner service, unwrapped.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CertificateService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = CertificateFuture<S, ReqBody, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // The service that was polled ready is the one called.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let Some(fetcher) = self.verifier.fetcher() else {
            return CertificateFuture::calling(inner.call(request));
        };
        let now = SystemTime::now();
        // Only a request whose headers could verify may cause a fetch, and
        // only from PayPal's hosts (the checks include the URL's).
        if self
            .verifier
            .check_headers_at(request.headers(), now)
            .is_err()
        {
            return CertificateFuture::calling(inner.call(request));
        }
        let Ok(url) = cert_url(fetcher, request.headers()) else {
            return CertificateFuture::calling(inner.call(request));
        };
        if fetcher.cached(&url, now).is_some() {
            return CertificateFuture::calling(inner.call(request));
        }
        let fetcher = fetcher.clone();
        let resolving = Box::pin(async move {
            let resolved = fetcher.resolve(&url, now).await;
            if let Err(error) = &resolved {
                tracing::warn!(target: "webhook_guard::paypal", cert_url = %url, %error, "PayPal certificate not resolved");
            }
            resolved.map(|_| ())
        });
        CertificateFuture::resolving(resolving, request, inner)
    }
}
