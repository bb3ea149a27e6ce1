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

use crate::delivery::pipeline::{Decision, Pipeline};
use crate::delivery::{ClaimGuard, Deadline, FinishingClaim, PendingClaim, Rejection, Responder};
use crate::idempotency::IdempotencyStore;
use crate::tower::collected_body::CollectedBody;

pin_project! {
    /// The future of [`WebhookService`](crate::tower::WebhookService): a
    /// state machine, not boxed — collect the body, claim the delivery, wait
    /// for the inner service to be ready, run it, finish the claim.
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
        /// Decided before reading a byte (a declared length over the limit).
        Answered { output: Option<F::Output> },
        Collecting {
            #[pin]
            body: ReqBody,
            parts: Option<Parts>,
            collected: CollectedBody,
        },
        Claiming {
            claim: PendingClaim<S>,
            deadline: Deadline,
            request: Option<Request<ReqBody>>,
        },
        /// Claimed; waiting for the inner service to be ready (readiness is
        /// not held while an unverified body streams in).
        Readying {
            guard: Option<ClaimGuard<S>>,
            request: Option<Request<ReqBody>>,
        },
        Calling {
            #[pin]
            call: F,
            guard: Option<ClaimGuard<S>>,
            deadline: Deadline,
        },
        Finishing {
            finish: FinishingClaim<S>,
            output: Option<F::Output>,
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
        let declared = pipeline
            .check_declared_length(&parts.headers)
            .and_then(|()| {
                let hinted = usize::try_from(body.size_hint().lower()).unwrap_or(usize::MAX);
                pipeline.check_read_length(hinted)
            });
        let state = match declared {
            Ok(()) => State::Collecting {
                body,
                parts: Some(parts),
                collected: CollectedBody::default(),
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
                } => match ready!(body.poll_frame(cx)) {
                    Some(Ok(frame)) => {
                        let Ok(data) = frame.into_data() else {
                            continue; // trailers: nothing in them is signed
                        };
                        match this.pipeline.check_read_length(collected.push(data)) {
                            Ok(()) => continue,
                            Err(rejection) => {
                                answer(this.pipeline, this.responder, this.span, rejection)
                            }
                        }
                    }
                    Some(Err(_)) => answer(
                        this.pipeline,
                        this.responder,
                        this.span,
                        Rejection::BodyUnreadable,
                    ),
                    None => {
                        let bytes = collected.take();
                        let mut parts = parts.take().expect(POLLED_AFTER_COMPLETION);
                        match this.pipeline.admit(&parts.headers, &bytes, this.span) {
                            Err(rejection) => {
                                answer(this.pipeline, this.responder, this.span, rejection)
                            }
                            Ok((verified, key)) => {
                                parts.extensions.insert(verified);
                                let (claim, deadline) = this.pipeline.claim(key);
                                State::Claiming {
                                    claim,
                                    deadline: Deadline::at(deadline),
                                    request: Some(Request::from_parts(parts, ReqBody::from(bytes))),
                                }
                            }
                        }
                    }
                },
                StateProj::Claiming {
                    claim,
                    deadline,
                    request,
                } => {
                    let answered = match claim.poll_answer(cx) {
                        Poll::Ready(answered) => answered,
                        Poll::Pending if deadline.poll_passed(cx) => {
                            // Dropping the pending claim (with this state)
                            // releases it if the store grants it later.
                            let rejection = this.pipeline.store_timed_out(claim.key(), this.span);
                            this.state.set(answer(
                                this.pipeline,
                                this.responder,
                                this.span,
                                rejection,
                            ));
                            continue;
                        }
                        Poll::Pending => return Poll::Pending,
                    };
                    match this
                        .pipeline
                        .decide(claim.key().clone(), answered, this.span)
                    {
                        Decision::Answer(rejection) => {
                            answer(this.pipeline, this.responder, this.span, rejection)
                        }
                        Decision::Run(guard) => State::Readying {
                            guard,
                            request: request.take(),
                        },
                    }
                }
                StateProj::Readying { guard, request } => match ready!(this.inner.poll_ready(cx)) {
                    Ok(()) => {
                        let request = request.take().expect(POLLED_AFTER_COMPLETION);
                        State::Calling {
                            call: this.inner.call(request),
                            guard: guard.take(),
                            deadline: Deadline::at(this.pipeline.handler_deadline()),
                        }
                    }
                    Err(error) => finishing(guard.take(), false, Err(error)),
                },
                StateProj::Calling {
                    call,
                    guard,
                    deadline,
                } => match call.poll(cx) {
                    Poll::Ready(output) => {
                        let succeeded =
                            matches!(&output, Ok(response) if response.status().is_success());
                        match guard.take() {
                            Some(guard) => finishing(Some(guard), succeeded, output),
                            None => {
                                // Failed open: there is no claim to finish.
                                this.span.record(
                                    "outcome",
                                    if succeeded {
                                        "accepted_without_claim"
                                    } else {
                                        "handler_failed"
                                    },
                                );
                                this.state.set(State::Done);
                                return Poll::Ready(output);
                            }
                        }
                    }
                    // Only a held claim has a lease to outlive.
                    Poll::Pending if guard.is_some() && deadline.poll_passed(cx) => {
                        let rejection = this.pipeline.handler_timed_out();
                        this.pipeline.record_rejection(this.span, &rejection);
                        let response = respond(this.responder, &rejection);
                        // Replacing the state drops (cancels) the handler.
                        finishing(guard.take(), false, Ok(response))
                    }
                    Poll::Pending => return Poll::Pending,
                },
                StateProj::Finishing { finish, output } => {
                    let finished = ready!(Pin::new(&mut *finish).poll(cx));
                    let guard = finish.guard();
                    this.pipeline.record_finish(
                        this.span,
                        guard.succeeded(),
                        &finished,
                        guard.key(),
                    );
                    let mut output = output.take().expect(POLLED_AFTER_COMPLETION);
                    if guard.succeeded() && finished.is_err() {
                        // Never a 2xx for a delivery the store did not record:
                        // the sender retries it.
                        output = Ok(respond(this.responder, &this.pipeline.unrecorded()));
                    }
                    this.state.set(State::Done);
                    return Poll::Ready(output);
                }
                StateProj::Done => panic!("{POLLED_AFTER_COMPLETION}"),
            };
            this.state.set(next);
        }
    }
}

/// The response for `rejection`, with the contract's headers added where a
/// custom responder left them out.
fn respond<R: Responder<B>, B>(responder: &R, rejection: &Rejection) -> Response<B> {
    let mut response = responder.respond(rejection);
    for (name, value) in rejection.contract_headers() {
        response.headers_mut().entry(name).or_insert(value);
    }
    response
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

/// The state that completes (after success) or releases the claim, then
/// returns `output`; without a claim (failed open), returns it at once.
fn finishing<F, ReqBody, S>(
    guard: Option<ClaimGuard<S>>,
    succeeded: bool,
    output: F::Output,
) -> State<F, ReqBody, S>
where
    F: Future,
    S: IdempotencyStore,
{
    match guard {
        Some(guard) => State::Finishing {
            finish: guard.finish(succeeded),
            output: Some(output),
        },
        None => State::Answered {
            output: Some(output),
        },
    }
}
