use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::request::Parts;
use http::{Request, Response};
use http_body::Body;
use pin_project_lite::pin_project;
use tower_service::Service;
use tracing::Span;

use crate::delivery::pipeline::Pipeline;
use crate::delivery::{
    CollectedBody, Deadline, Dispatch, Dispatched, Rejection, Reservation, Responder, respond,
};
use crate::idempotency::IdempotencyStore;
use crate::tower::connection_of;
use crate::verify::RequestHead;

pin_project! {
    /// The future of [`WebhookService`](crate::tower::WebhookService): a
    /// state machine, not boxed — check the head, collect the body (within
    /// its deadline and the budget of unverified bytes), claim the delivery,
    /// wait for the inner service to be ready, run it, finish the claim.
    ///
    /// Dropped at any point (the client went away, the handler panicked), it
    /// leaves no claim behind: a claim still being granted is released once
    /// the store answers, a held one is released, and one whose handler
    /// already succeeded is completed.
    pub struct ResponseFuture<Inner, ReqBody, S, R>
    where
        Inner: Service<Request<ReqBody>>,
        S: IdempotencyStore,
    {
        #[pin]
        state: State<Inner::Future, ReqBody, S>,
        inner: Inner,
        pipeline: Arc<Pipeline<S>>,
        responder: R,
        span: Span,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, ReqBody, S>
    where
        F: Future,
        S: IdempotencyStore,
    {
        /// Answered without running the handler: by the head before a byte
        /// was read, or while reading the body.
        Answered { output: Option<F::Output> },
        /// The head passed; reading the body, within its deadline and the
        /// budget of unverified bytes.
        Collecting {
            #[pin]
            body: ReqBody,
            parts: Option<Parts>,
            collected: CollectedBody,
            reservation: Reservation,
            deadline: Deadline,
        },
        /// Verified: claim, run the inner service, finish the claim.
        Dispatching {
            #[pin]
            dispatch: Dispatch<F, Request<ReqBody>, S>,
        },
        Done,
    }
}

impl<Inner, ReqBody, ResBody, S, R> ResponseFuture<Inner, ReqBody, S, R>
where
    Inner: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ReqBody: Body + From<Bytes>,
    S: IdempotencyStore,
    R: Responder<ResBody>,
{
    pub(crate) fn new(
        request: Request<ReqBody>,
        inner: Inner,
        pipeline: Arc<Pipeline<S>>,
        responder: R,
    ) -> Self {
        let span = pipeline.span();
        let (parts, body) = request.into_parts();
        let hinted = usize::try_from(body.size_hint().lower()).unwrap_or(usize::MAX);
        let head = pipeline
            .check_source(|| connection_of(&parts), &parts.headers)
            .and_then(
                |()| match pipeline.answer_handshake_head(RequestHead::from(&parts)) {
                    Some(answered) => Err(answered),
                    None => pipeline.check_head(&parts.headers, hinted),
                },
            );
        let state = match head {
            Ok(reservation) => State::Collecting {
                body,
                collected: pipeline.body_buffer(&parts.headers),
                parts: Some(parts),
                reservation,
                deadline: pipeline.body_deadline(),
            },
            Err(rejection) => answer(&pipeline, &responder, &span, rejection),
        };
        Self {
            state,
            inner,
            pipeline,
            responder,
            span,
        }
    }
}

const POLLED_AFTER_COMPLETION: &str = "ResponseFuture polled after completion";

impl<Inner, ReqBody, ResBody, S, R> Future for ResponseFuture<Inner, ReqBody, S, R>
where
    Inner: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ReqBody: Body + From<Bytes>,
    S: IdempotencyStore,
    R: Responder<ResBody>,
{
    type Output = Result<Response<ResBody>, Inner::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let _entered = this.span.enter();
        loop {
            let next = match this.state.as_mut().project() {
                StateProj::Answered { output } => {
                    let output = output.take().expect(POLLED_AFTER_COMPLETION);
                    this.state.set(State::Done);
                    return Poll::Ready(output);
                }
                StateProj::Collecting {
                    body,
                    parts,
                    collected,
                    reservation,
                    deadline,
                } => match body.poll_frame(cx) {
                    Poll::Pending if deadline.poll_passed(cx) => answer(
                        this.pipeline,
                        this.responder,
                        this.span,
                        Rejection::BodyTimedOut,
                    ),
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(frame))) => {
                        let Ok(data) = frame.into_data() else {
                            continue; // trailers: nothing in them is signed
                        };
                        match this.pipeline.collect(collected, reservation, data) {
                            Ok(()) => continue,
                            Err(rejection) => {
                                answer(this.pipeline, this.responder, this.span, rejection)
                            }
                        }
                    }
                    Poll::Ready(Some(Err(_))) => answer(
                        this.pipeline,
                        this.responder,
                        this.span,
                        Rejection::BodyUnreadable,
                    ),
                    Poll::Ready(None) => {
                        let bytes = collected.take();
                        let mut parts = parts.take().expect(POLLED_AFTER_COMPLETION);
                        let head = RequestHead::from(&parts);
                        match this.pipeline.admit(head, &bytes, this.span) {
                            Err(rejection) => {
                                answer(this.pipeline, this.responder, this.span, rejection)
                            }
                            Ok((verified, key)) => {
                                parts.extensions.insert(verified);
                                let request = Request::from_parts(parts, ReqBody::from(bytes));
                                State::Dispatching {
                                    dispatch: Dispatch::new(this.pipeline, key, request),
                                }
                            }
                        }
                    }
                },
                StateProj::Dispatching { dispatch } => {
                    let dispatched =
                        ready!(dispatch.poll_dispatch(cx, this.pipeline, this.span, this.inner));
                    this.state.set(State::Done);
                    return Poll::Ready(dispatched.map(|dispatched| match dispatched {
                        Dispatched::Handled(response) => response,
                        Dispatched::Refused(rejection, _)
                        | Dispatched::Unanswered(rejection)
                        | Dispatched::Unrecorded(rejection, _) => {
                            respond(this.responder, &rejection)
                        }
                    }));
                }
                StateProj::Done => panic!("{POLLED_AFTER_COMPLETION}"),
            };
            this.state.set(next);
        }
    }
}

/// The state that answers `rejection` without running the handler.
fn answer<F, ReqBody, S, R, ResBody, E>(
    pipeline: &Pipeline<S>,
    responder: &R,
    span: &Span,
    rejection: Rejection,
) -> State<F, ReqBody, S>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
    S: IdempotencyStore,
    R: Responder<ResBody>,
{
    pipeline.record_rejection(span, &rejection);
    State::Answered {
        output: Some(Ok(respond(responder, &rejection))),
    }
}
