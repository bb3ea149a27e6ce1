use std::future::{Ready, ready};
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use bytes::Bytes;

use crate::WebhookLayer;
use crate::actix::WebhookMiddleware;
use crate::delivery::Responder;
use crate::idempotency::IdempotencyStore;

/// `WebhookLayer` is actix-web middleware too: `wrap` it around a resource
/// or a scope, and only authentic, fresh, first-time deliveries reach the
/// handlers inside — once each, under the same contract as the Tower layer.
///
/// Rejections are answered by the layer's
/// [`Responder`](crate::delivery::Responder), which for actix-web must
/// answer with `http::Response<Bytes>` ([`DefaultResponder`](crate::delivery::DefaultResponder) does).
impl<Srv, B, S, R> Transform<Srv, ServiceRequest> for WebhookLayer<S, R>
where
    Srv: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
    S: IdempotencyStore,
    R: Responder<Bytes>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = WebhookMiddleware<Srv, S, R>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, next: Srv) -> Self::Future {
        self.pipeline().register_namespace();
        ready(Ok(WebhookMiddleware::new(
            next,
            Arc::new(self.pipeline().clone()),
            self.responder().clone(),
        )))
    }
}
