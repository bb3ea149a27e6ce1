use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;
use tower_service::Service;
use tracing::Span;

use crate::delivery::pipeline::{Decision, Pipeline};
use crate::delivery::{
    ClaimGuard, Deadline, Dispatched, FinishingClaim, HandlerResponse, PendingClaim, Rejection,
};
use crate::idempotency::{IdempotencyKey, IdempotencyStore};

pin_project! {
    /// Steps 4 and 5 of the [`Pipeline`] for one admitted delivery, the
    /// same for every framework face: claim it, wait for the handler to be
    /// ready, run it under its claim's deadline, then complete or release
    /// the claim by the handler's answer.
    ///
    /// The handler is anything that is a `tower_service::Service` of the
    /// face's request type; the Tower layer passes its inner service, the
    /// actix middleware an adapter around the next actix service.
    ///
    /// It is the handler's panic boundary: a panic in the handler service's
    /// `poll_ready`, `call` or future is caught, the claim released, and
    /// only then is the delivery answered ([`Rejection::HandlerPanicked`]),
    /// so a retry sent the moment the answer arrives finds the claim free.
    ///
    /// Dropped at any point (the client went away), it leaves no claim
    /// behind: a claim still being granted is released once the store
    /// answers, a held one is released, and one whose handler already
    /// succeeded is completed.
    #[project = DispatchProj]
    pub(crate) enum Dispatch<F, Req, S>
    where
        F: Future,
        S: IdempotencyStore,
    {
        Claiming {
            claim: PendingClaim<S>,
            deadline: Deadline,
            request: Option<Req>,
        },
        /// Claimed; waiting for the handler to be ready (readiness is not
        /// held while an unverified body streams in), at most until the
        /// claim's lease is about to end.
        Readying {
            guard: Option<ClaimGuard<S>>,
            request: Option<Req>,
            deadline: Deadline,
        },
        Calling {
            #[pin]
            call: F,
            guard: Option<ClaimGuard<S>>,
            deadline: Deadline,
        },
        /// Too late to call the handler: releasing the claim before the
        /// delivery is refused, so a retry finds it free.
        Releasing {
            finish: FinishingClaim<S>,
            rejection: Option<Rejection>,
            request: Option<Req>,
        },
        Finishing {
            finish: FinishingClaim<S>,
            // The handler's output, or how to answer when it gave none (it
            // was cancelled, or it panicked).
            output: Option<Result<F::Output, Rejection>>,
        },
        Done,
    }
}

const POLLED_AFTER_COMPLETION: &str = "Dispatch polled after completion";

impl<F, Req, S> Dispatch<F, Req, S>
where
    F: Future,
    S: IdempotencyStore,
{
    /// The state that releases `guard`'s claim, then refuses the delivery
    /// as too late for its handler (logged now).
    fn releasing(
        guard: ClaimGuard<S>,
        pipeline: &Pipeline<S>,
        span: &Span,
        request: &mut Option<Req>,
    ) -> Self {
        let rejection = pipeline.handler_timed_out();
        pipeline.record_rejection(span, &rejection);
        Self::Releasing {
            finish: guard.finish(false),
            rejection: Some(rejection),
            request: request.take(),
        }
    }
}

impl<F, Req, S, Resp, E> Dispatch<F, Req, S>
where
    F: Future<Output = Result<Resp, E>>,
    S: IdempotencyStore,
    Resp: HandlerResponse,
{
    /// Starts claiming `key` for `request`, a delivery
    /// [admitted](Pipeline::admit) by `pipeline`.
    pub(crate) fn new(pipeline: &Pipeline<S>, key: IdempotencyKey, request: Req) -> Self {
        let (claim, deadline) = pipeline.claim(key);
        Self::Claiming {
            claim,
            deadline: Deadline::at(deadline),
            request: Some(request),
        }
    }

    /// Drives the delivery: `handler` is the service it runs, `pipeline`
    /// and `span` the ones it was admitted with.
    pub(crate) fn poll_dispatch<H>(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        pipeline: &Pipeline<S>,
        span: &Span,
        handler: &mut H,
    ) -> Poll<Result<Dispatched<Req, Resp>, E>>
    where
        H: Service<Req, Response = Resp, Error = E, Future = F>,
    {
        loop {
            let next = match self.as_mut().project() {
                DispatchProj::Claiming {
                    claim,
                    deadline,
                    request,
                } => {
                    let answered = match claim.poll_answer(cx) {
                        Poll::Ready(answered) => answered,
                        Poll::Pending if deadline.poll_passed(cx) => {
                            // Dropping the pending claim (with this state)
                            // releases it if the store grants it later.
                            let rejection = pipeline.store_timed_out(claim.key(), span);
                            let request = request.take().expect(POLLED_AFTER_COMPLETION);
                            return refuse(self, pipeline, span, rejection, request);
                        }
                        Poll::Pending => return Poll::Pending,
                    };
                    match pipeline.decide(claim, answered, span) {
                        Decision::Answer(rejection) => {
                            let request = request.take().expect(POLLED_AFTER_COMPLETION);
                            return refuse(self, pipeline, span, rejection, request);
                        }
                        Decision::Run(guard) => Self::Readying {
                            guard,
                            request: request.take(),
                            deadline: Deadline::at(claim.terms().act_by),
                        },
                    }
                }
                DispatchProj::Readying {
                    guard,
                    request,
                    deadline,
                } => {
                    // Only a held claim has a lease to outlive. Past the
                    // last moment to act on it (a claim answered late, a
                    // thread blocked), the handler is never called: the
                    // claim is released, then the delivery refused.
                    if let Some(held) = guard.take_if(|_| deadline.passed()) {
                        Self::releasing(held, pipeline, span, request)
                    } else {
                        match catch_unwind(AssertUnwindSafe(|| handler.poll_ready(cx))) {
                            Ok(Poll::Ready(Ok(()))) => {
                                if let Some(held) = guard.take_if(|_| deadline.passed()) {
                                    Self::releasing(held, pipeline, span, request)
                                } else {
                                    let request = request.take().expect(POLLED_AFTER_COMPLETION);
                                    match catch_unwind(AssertUnwindSafe(|| handler.call(request))) {
                                        Ok(call) => Self::Calling {
                                            call,
                                            guard: guard.take(),
                                            deadline: deadline.take(),
                                        },
                                        Err(panic) => {
                                            match after_panic(guard.take(), pipeline, span, panic) {
                                                Ok(finishing) => finishing,
                                                Err(unanswered) => return done(self, unanswered),
                                            }
                                        }
                                    }
                                }
                            }
                            Ok(Poll::Ready(Err(error))) => match guard.take() {
                                Some(guard) => Self::Finishing {
                                    finish: guard.finish(false),
                                    output: Some(Ok(Err(error))),
                                },
                                None => {
                                    pipeline.record_unclaimed_finish(span, false);
                                    self.set(Self::Done);
                                    return Poll::Ready(Err(error));
                                }
                            },
                            Ok(Poll::Pending) if guard.is_some() && deadline.poll_passed(cx) => {
                                let held = guard.take().expect("checked above");
                                Self::releasing(held, pipeline, span, request)
                            }
                            Ok(Poll::Pending) => return Poll::Pending,
                            Err(panic) => match after_panic(guard.take(), pipeline, span, panic) {
                                Ok(finishing) => finishing,
                                Err(unanswered) => return done(self, unanswered),
                            },
                        }
                    }
                }
                DispatchProj::Calling {
                    call,
                    guard,
                    deadline,
                } => match catch_unwind(AssertUnwindSafe(|| call.poll(cx))) {
                    Ok(Poll::Ready(output)) => {
                        let succeeded = matches!(&output, Ok(response) if response.succeeded());
                        match guard.take() {
                            Some(guard) => Self::Finishing {
                                finish: guard.finish(succeeded),
                                output: Some(Ok(output)),
                            },
                            None => {
                                // Failed open: there is no claim to finish.
                                pipeline.record_unclaimed_finish(span, succeeded);
                                self.set(Self::Done);
                                return Poll::Ready(output.map(Dispatched::Handled));
                            }
                        }
                    }
                    // Only a held claim has a lease to outlive.
                    Ok(Poll::Pending) if guard.is_some() && deadline.poll_passed(cx) => {
                        let rejection = pipeline.handler_timed_out();
                        pipeline.record_rejection(span, &rejection);
                        // Replacing the state drops (cancels) the handler.
                        Self::Finishing {
                            finish: guard.take().expect("checked above").finish(false),
                            output: Some(Err(rejection)),
                        }
                    }
                    Ok(Poll::Pending) => return Poll::Pending,
                    // Replacing the state drops what is left of the handler.
                    Err(panic) => match after_panic(guard.take(), pipeline, span, panic) {
                        Ok(finishing) => finishing,
                        Err(unanswered) => return done(self, unanswered),
                    },
                },
                DispatchProj::Releasing {
                    finish,
                    rejection,
                    request,
                } => {
                    let finished = ready!(Pin::new(&mut *finish).poll(cx));
                    pipeline.record_finish(span, true, &finished, finish);
                    let rejection = rejection.take().expect(POLLED_AFTER_COMPLETION);
                    let request = request.take().expect(POLLED_AFTER_COMPLETION);
                    self.set(Self::Done);
                    return Poll::Ready(Ok(Dispatched::Refused(rejection, request)));
                }
                DispatchProj::Finishing { finish, output } => {
                    let finished = ready!(Pin::new(&mut *finish).poll(cx));
                    let output = output.take().expect(POLLED_AFTER_COMPLETION);
                    pipeline.record_finish(span, output.is_err(), &finished, finish);
                    let guard = finish.guard();
                    // The store failed, or the claim's lease had ended (a
                    // handler that blocked its thread past it): the
                    // delivery is not recorded under this claim.
                    let unrecorded = guard.succeeded() && !matches!(finished, Ok(true));
                    let dispatched = match output {
                        Err(rejection) => Ok(Dispatched::Unanswered(rejection)),
                        // Never a 2xx for a delivery the store did not
                        // record: the sender retries it.
                        Ok(Ok(response)) if unrecorded => {
                            Ok(Dispatched::Unrecorded(pipeline.unrecorded(), response))
                        }
                        Ok(output) => output.map(Dispatched::Handled),
                    };
                    self.set(Self::Done);
                    return Poll::Ready(dispatched);
                }
                DispatchProj::Done => panic!("{POLLED_AFTER_COMPLETION}"),
            };
            self.set(next);
        }
    }
}

/// Where a panic of the handler leads: releasing its claim, or, failing
/// open without one, straight to the answer. The panic is logged.
fn after_panic<F, Req, S>(
    guard: Option<ClaimGuard<S>>,
    pipeline: &Pipeline<S>,
    span: &Span,
    panic: Box<dyn Any + Send>,
) -> Result<Dispatch<F, Req, S>, Rejection>
where
    F: Future,
    S: IdempotencyStore,
{
    let rejection = pipeline.handler_panicked(span, panic.as_ref(), guard.is_some());
    match guard {
        Some(guard) => Ok(Dispatch::Finishing {
            finish: guard.finish(false),
            output: Some(Err(rejection)),
        }),
        None => Err(rejection),
    }
}

/// Ends the dispatch with `rejection` (logged already) for a handler that
/// gave no answer.
fn done<F, Req, S, T, E>(
    mut dispatch: Pin<&mut Dispatch<F, Req, S>>,
    rejection: Rejection,
) -> Poll<Result<Dispatched<Req, T>, E>>
where
    F: Future,
    S: IdempotencyStore,
{
    dispatch.set(Dispatch::Done);
    Poll::Ready(Ok(Dispatched::Unanswered(rejection)))
}

/// Ends the dispatch with `rejection`, logged, before the handler got
/// `request`. Dropping the state drops any pending claim or held guard,
/// which release the claim in the background.
fn refuse<F, Req, S, T, E>(
    mut dispatch: Pin<&mut Dispatch<F, Req, S>>,
    pipeline: &Pipeline<S>,
    span: &Span,
    rejection: Rejection,
    request: Req,
) -> Poll<Result<Dispatched<Req, T>, E>>
where
    F: Future,
    S: IdempotencyStore,
{
    pipeline.record_rejection(span, &rejection);
    dispatch.set(Dispatch::Done);
    Poll::Ready(Ok(Dispatched::Refused(rejection, request)))
}
