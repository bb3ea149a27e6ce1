use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::delivery::{ClaimGuard, Deadline, Started};
use crate::idempotency::{IdempotencyStore, StoreError};

/// The first pause between two attempts at completing a claim; it doubles
/// up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Completing or releasing a claim: one store command, each bounded by the
/// store timeout. A completion the store failed (unreachable, timed out) is
/// retried with backoff until shortly before the claim's lease ends, so a
/// store that restarts or fails over within the lease still records the
/// delivery and no retry runs the handler again.
///
/// Dropped before it is done, its [`ClaimGuard`] finishes the claim in the
/// background.
pub(crate) struct FinishingClaim<S: IdempotencyStore> {
    guard: ClaimGuard<S>,
    attempt: Option<S::FinishFuture>,
    attempt_deadline: Deadline,
    pause: Option<Deadline>,
    backoff: Duration,
    /// When finishing started: the handler's answer, the store command's
    /// start.
    started: Started,
}

impl<S: IdempotencyStore> FinishingClaim<S> {
    pub(crate) fn new(guard: ClaimGuard<S>) -> Self {
        let (attempt, attempt_deadline) = start(&guard);
        Self {
            guard,
            attempt: Some(attempt),
            attempt_deadline,
            pause: None,
            backoff: FIRST_BACKOFF,
            started: Started::now(),
        }
    }

    pub(crate) fn guard(&self) -> &ClaimGuard<S> {
        &self.guard
    }

    /// When finishing started.
    pub(crate) fn started(&self) -> Started {
        self.started
    }
}

/// Nothing in it is pinned: the store's futures are `Unpin`, timers are boxed.
impl<S: IdempotencyStore> Unpin for FinishingClaim<S> {}

fn start<S: IdempotencyStore>(guard: &ClaimGuard<S>) -> (S::FinishFuture, Deadline) {
    // From the first poll that finds the store still working: a store that
    // answers at once reads no clock.
    let deadline = Deadline::after_first_wait(guard.store_timeout());
    (guard.attempt(), deadline)
}

impl<S: IdempotencyStore> Future for FinishingClaim<S> {
    /// `Ok(true)`: finished; `Ok(false)`: the claim was no longer held;
    /// `Err`: the store failed every attempt.
    type Output = Result<bool, StoreError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            if let Some(pause) = this.pause.as_mut() {
                if !pause.poll_passed(cx) {
                    return Poll::Pending;
                }
                this.pause = None;
                let (attempt, deadline) = start(&this.guard);
                this.attempt = Some(attempt);
                this.attempt_deadline = deadline;
            }
            let Some(attempt) = this.attempt.as_mut() else {
                return Poll::Pending; // answered already
            };
            let answer = match Pin::new(attempt).poll(cx) {
                Poll::Ready(answer) => answer,
                Poll::Pending if this.attempt_deadline.poll_passed(cx) => {
                    Err(StoreError::Timeout {
                        millis: this.guard.store_timeout().as_millis() as u64,
                    })
                }
                Poll::Pending => return Poll::Pending,
            };
            this.attempt = None;
            let retry_at = Instant::now() + this.backoff;
            match answer {
                Err(error) if retry_at < this.guard.retry_until() => {
                    tracing::warn!(key = %this.guard.key(), %error, retry_in_ms = this.backoff.as_millis() as u64, "could not complete the claim; retrying while its lease holds");
                    this.pause = Some(Deadline::at(retry_at));
                    this.backoff = (this.backoff * 2).min(MAX_BACKOFF);
                }
                answer => {
                    this.guard.settled();
                    return Poll::Ready(answer);
                }
            }
        }
    }
}
