use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::HttpMessage;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse};
use bytes::Bytes;
use futures_core::Stream;
use http::header::CONTENT_LENGTH;
use tracing::{Instrument, Span};

use crate::actix::RefusedDelivery;
use crate::actix::http_conversion::{actix_response, request_headers, request_target};
use crate::actix::next_service::NextService;
use crate::actix::verified_body::VerifiedBody;
use crate::delivery::pipeline::Pipeline;
use crate::delivery::{DefaultResponder, Dispatch, Dispatched, Rejection, Responder, respond};
use crate::idempotency::{IdempotencyStore, MemoryStore};
use crate::verify::RequestHead;

/// The service `wrap(WebhookLayer::new(…))` puts in front of an actix-web
/// resource or scope: reads the payload (bounded), verifies it, claims the
/// delivery, calls the next service with the same bytes as its payload and
/// the [`Verified`](crate::Verified) facts in the request extensions, then
/// completes or releases the claim — the steps and answers of the Tower
/// layer, from the same framework-free code.
pub struct WebhookMiddleware<Srv, S = MemoryStore, R = DefaultResponder> {
    next: Rc<Srv>,
    pipeline: Arc<Pipeline<S>>,
    responder: R,
    /// The headers the pipeline reads: only these cross to `http` 1 (all
    /// of them for a check that cannot name them).
    read_headers: Option<Rc<[http::HeaderName]>>,
    /// Whether the method and the URI cross too.
    reads_target: bool,
}

impl<Srv, S, R> WebhookMiddleware<Srv, S, R> {
    pub(crate) fn new(next: Srv, pipeline: Arc<Pipeline<S>>, responder: R) -> Self {
        let read_headers = pipeline.verifier.header_names().map(|mut names| {
            names.push(CONTENT_LENGTH);
            if let Some(handshake) = &pipeline.handshake {
                names.extend(handshake.header_names());
            }
            for name in pipeline.source.header_names() {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            names.into()
        });
        Self {
            next: Rc::new(next),
            reads_target: pipeline.verifier.reads_request_target()
                || pipeline
                    .handshake
                    .as_deref()
                    .is_some_and(crate::handshake::Handshake::is_answered_from_the_head),
            pipeline,
            responder,
            read_headers,
        }
    }
}

impl<Srv, S: std::fmt::Debug, R: std::fmt::Debug> std::fmt::Debug for WebhookMiddleware<Srv, S, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookMiddleware")
            .field("pipeline", &self.pipeline)
            .field("responder", &self.responder)
            .finish_non_exhaustive()
    }
}

impl<Srv, B, S, R> Service<ServiceRequest> for WebhookMiddleware<Srv, S, R>
where
    Srv: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
    S: IdempotencyStore,
    R: Responder<Bytes>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    /// Always ready: the next service's readiness is awaited only once a
    /// delivery is verified and claimed, as in the Tower layer.
    fn poll_ready(&self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let span = self.pipeline.span();
        let delivery = deliver(
            request,
            NextService(self.next.clone()),
            self.read_headers.clone(),
            self.reads_target,
            self.pipeline.clone(),
            self.responder.clone(),
            span.clone(),
        );
        Box::pin(delivery.instrument(span))
    }
}

/// One delivery through the pipeline: bounded read, admit, dispatch.
async fn deliver<Srv, B, S, R>(
    mut request: ServiceRequest,
    mut next: NextService<Srv>,
    read_headers: Option<Rc<[http::HeaderName]>>,
    reads_target: bool,
    pipeline: Arc<Pipeline<S>>,
    responder: R,
    span: Span,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error>
where
    Srv: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S: IdempotencyStore,
    R: Responder<Bytes>,
{
    // No clone of the request is kept: a wrapped scope routes by changing
    // it, which actix-web allows only while it is the one reference.
    let answer = |request: ServiceRequest, rejection: &Rejection| {
        let response = actix_response(respond(&responder, rejection));
        request.into_response(response).map_into_right_body()
    };
    // Converted only for checks that read them (schemes that sign them):
    // the others never do, and their hot path keeps its one allocation.
    let target = if reads_target {
        request_target(request.method(), request.uri())
    } else {
        Ok((http::Method::default(), http::Uri::default()))
    };
    let admitted = match (
        request_headers(request.headers(), read_headers.as_deref()),
        target,
    ) {
        (Ok(headers), Ok((method, uri))) => {
            // Step 0: the connection as actix-web knows it (its TLS is the
            // server's: `bind_rustls_0_23` and the like).
            let connection = || (request.peer_addr(), request.app_config().secure());
            if let Err(refused) = pipeline.check_source(connection, &headers) {
                pipeline.record_rejection(&span, &refused);
                return Ok(answer(request, &refused));
            }
            let head = RequestHead::new(&method, &uri, &headers);
            if let Some(answered) = pipeline.answer_handshake_head(head) {
                pipeline.record_rejection(&span, &answered);
                return Ok(answer(request, &answered));
            }
            match read_verified(&pipeline, &headers, request.take_payload()).await {
                Ok(body) => pipeline
                    .admit(RequestHead::new(&method, &uri, &headers), &body, &span)
                    .map(|admitted| (body, admitted)),
                Err(rejection) => Err(rejection),
            }
        }
        (Err(rejection), _) | (_, Err(rejection)) => Err(rejection),
    };
    let (body, (verified, key)) = match admitted {
        Ok(admitted) => admitted,
        Err(rejection) => {
            pipeline.record_rejection(&span, &rejection);
            return Ok(answer(request, &rejection));
        }
    };
    request.extensions_mut().insert(verified);
    request.extensions_mut().insert(VerifiedBody(body.clone()));
    request.set_payload(Payload::from(body));

    let mut dispatch = pin!(Dispatch::new(&pipeline, key, request));
    let dispatched = poll_fn(|cx| {
        dispatch
            .as_mut()
            .poll_dispatch(cx, &pipeline, &span, &mut next)
    })
    .await?;
    match dispatched {
        Dispatched::Handled(response) => Ok(response.map_into_left_body()),
        Dispatched::Refused(rejection, request) => Ok(answer(request, &rejection)),
        Dispatched::Unrecorded(rejection, handled) => {
            let response = actix_response(respond(&responder, &rejection));
            Ok(handled.into_response(response).map_into_right_body())
        }
        // The request went with the cancelled or panicked handler: see
        // `RefusedDelivery`.
        Dispatched::Unanswered(rejection) => {
            let response = respond(&responder, &rejection);
            Err(RefusedDelivery::new(rejection, response).into())
        }
    }
}

/// Steps 1 and 2: the head (nothing read unless it can verify), then the
/// payload read chunk by chunk — refused the moment it crosses the limit
/// (never truncated) or the budget of unverified bytes, or when it has not
/// arrived whole by the body deadline.
async fn read_verified<S: IdempotencyStore>(
    pipeline: &Pipeline<S>,
    headers: &http::HeaderMap,
    mut payload: Payload,
) -> Result<Bytes, Rejection> {
    let mut reservation = pipeline.check_head(headers, 0)?;
    let mut collected = pipeline.body_buffer(headers);
    let mut deadline = pipeline.body_deadline();
    loop {
        let next = poll_fn(|cx| match Pin::new(&mut payload).poll_next(cx) {
            Poll::Pending if deadline.poll_passed(cx) => Poll::Ready(Err(Rejection::BodyTimedOut)),
            Poll::Pending => Poll::Pending,
            Poll::Ready(chunk) => Poll::Ready(Ok(chunk)),
        })
        .await?;
        let Some(chunk) = next else {
            break;
        };
        let chunk = chunk.map_err(|_| Rejection::BodyUnreadable)?;
        pipeline.collect(&mut collected, &mut reservation, chunk)?;
    }
    Ok(collected.take())
}
