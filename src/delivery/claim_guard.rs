use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};
use std::time::{Duration, Instant};

use crate::delivery::{ClaimTerms, FinishingClaim, Started};
use crate::idempotency::{ClaimToken, IdempotencyKey, IdempotencyStore};

/// A held claim that is always finished: completed after a successful
/// handler, released otherwise — also when the response future is dropped
/// (the client went away) or unwinds (the handler panicked).
pub(crate) struct ClaimGuard<S: IdempotencyStore> {
    store: S,
    key: IdempotencyKey,
    token: ClaimToken,
    /// A completion the store failed is retried until `act_by`, never
    /// after.
    terms: ClaimTerms,
    succeeded: bool,
    settled: bool,
    /// Already finishing in the background: dropped, it does not start again.
    background: bool,
    /// When the claim was granted: the handler's time starts here.
    granted: Started,
}

impl<S: IdempotencyStore> ClaimGuard<S> {
    pub(crate) fn new(store: S, key: IdempotencyKey, token: ClaimToken, terms: ClaimTerms) -> Self {
        Self {
            store,
            key,
            token,
            terms,
            succeeded: false,
            settled: false,
            background: false,
            granted: Started::now(),
        }
    }

    /// When the claim was granted.
    pub(crate) fn granted(&self) -> Started {
        self.granted
    }

    pub(crate) fn key(&self) -> &IdempotencyKey {
        &self.key
    }

    pub(crate) fn succeeded(&self) -> bool {
        self.succeeded
    }

    /// Completes (the handler succeeded) or releases the claim, retrying a
    /// completion the store failed until shortly before the lease ends. The
    /// returned future owns the guard: dropped before the store answered, it
    /// finishes the claim the same way in the background.
    pub(crate) fn finish(mut self, succeeded: bool) -> FinishingClaim<S> {
        self.succeeded = succeeded;
        FinishingClaim::new(self)
    }

    /// When to stop retrying a failed finish: a completion is worth
    /// retrying while the lease holds (the handler's effect is otherwise
    /// unrecorded); a release is not (the lease ends the claim anyway).
    pub(crate) fn retry_until(&self) -> Instant {
        if self.succeeded {
            self.terms.act_by
        } else {
            Instant::now()
        }
    }

    pub(crate) fn store_timeout(&self) -> Duration {
        self.terms.store_timeout
    }

    /// One attempt at completing or releasing the claim.
    pub(crate) fn attempt(&self) -> S::FinishFuture {
        if self.succeeded {
            self.store
                .complete(&self.key, &self.token, self.terms.retention)
        } else {
            self.store.release(&self.key, &self.token)
        }
    }

    /// The store has answered (or the retries were given up).
    pub(crate) fn settled(&mut self) {
        self.settled = true;
    }

    fn action(&self) -> &'static str {
        if self.succeeded {
            "complete"
        } else {
            "release"
        }
    }

    /// A guard for the same claim, to finish it in the background.
    fn handed_over(&self) -> Self {
        Self {
            store: self.store.clone(),
            key: self.key.clone(),
            token: self.token.clone(),
            background: true,
            ..*self
        }
    }
}

impl<S: IdempotencyStore> Drop for ClaimGuard<S> {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let (key, action) = (self.key.clone(), self.action());
        if self.background {
            tracing::warn!(key = %key, action, "the runtime stopped before an abandoned claim was finished; its lease will end it");
            return;
        }
        tracing::debug!(key = %key, action, "finishing an abandoned claim in the background");
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let finish = FinishingClaim::new(self.handed_over());
                runtime.spawn(async move {
                    if let Err(error) = finish.await {
                        tracing::warn!(key = %key, action, %error, "could not finish an abandoned claim; its lease will end it");
                    }
                });
            }
            Err(_) => {
                // No runtime to run it on: a store that answers at once (the
                // memory store) finishes now; any other keeps the claim until
                // its lease ends.
                let mut attempt = pin!(self.attempt());
                if attempt
                    .as_mut()
                    .poll(&mut Context::from_waker(Waker::noop()))
                    .is_pending()
                {
                    tracing::warn!(key = %key, action, "no runtime to finish an abandoned claim; its lease will end it");
                }
            }
        }
    }
}
