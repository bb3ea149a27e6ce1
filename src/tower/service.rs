use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use tower_service::Service;

use crate::delivery::pipeline::Pipeline;
use crate::delivery::{DefaultResponder, Responder};
use crate::idempotency::{IdempotencyStore, MemoryStore};
use crate::tower::{ResponseFuture, WebhookLayer};
use crate::verify::VerifyRequest;

/// The service [`WebhookLayer`] makes: collects the body (bounded),
/// verifies it, claims the delivery, calls the inner service with the same
/// bytes and the [`Verified`](crate::Verified) facts in the request
/// extensions, then completes or releases the claim.
///
/// The inner service gets the request body type it was given back, rebuilt
/// from the collected [`Bytes`] (for axum, `axum::body::Body: From<Bytes>`):
/// no copy.
#[derive(Debug, Clone)]
pub struct WebhookService<Inner, S = MemoryStore, R = DefaultResponder> {
    inner: Inner,
    pipeline: Arc<Pipeline<S>>,
    responder: R,
}

impl<Inner> WebhookService<Inner> {
    /// Guards `inner` with `verifier` and the [`WebhookLayer`] defaults.
    pub fn new(inner: Inner, verifier: impl VerifyRequest) -> Self {
        tower_layer::Layer::layer(&WebhookLayer::new(verifier), inner)
    }

    /// A [`WebhookLayer`] with `verifier` and the defaults.
    pub fn layer(verifier: impl VerifyRequest) -> WebhookLayer {
        WebhookLayer::new(verifier)
    }
}

impl<Inner, S, R> WebhookService<Inner, S, R> {
    pub(crate) fn from_parts(inner: Inner, pipeline: Arc<Pipeline<S>>, responder: R) -> Self {
        Self {
            inner,
            pipeline,
            responder,
        }
    }

    /// The inner service.
    pub fn get_ref(&self) -> &Inner {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut Inner {
        &mut self.inner
    }

    /// The inner service, unwrapped.
    pub fn into_inner(self) -> Inner {
        self.inner
    }
}

impl<Inner, ReqBody, ResBody, S, R> Service<Request<ReqBody>> for WebhookService<Inner, S, R>
where
    Inner: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone,
    ReqBody: http_body::Body + From<Bytes>,
    S: IdempotencyStore,
    R: Responder<ResBody>,
{
    type Response = Response<ResBody>;
    type Error = Inner::Error;
    type Future = ResponseFuture<Inner, ReqBody, S, R>;

    /// Always ready: the inner service's readiness is awaited only once a
    /// delivery is verified and claimed, so an unverified upload never holds
    /// a slot of a concurrency limit or a buffer behind this layer.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        ResponseFuture::new(
            request,
            self.inner.clone(),
            self.pipeline.clone(),
            self.responder.clone(),
        )
    }
}
