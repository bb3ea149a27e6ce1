use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};
use std::time::Duration;

use crate::idempotency::{ClaimToken, IdempotencyKey, IdempotencyStore};

/// A held claim that is always finished: completed after a successful
/// handler, released otherwise — also when the response future is dropped
/// (the client went away) or unwinds (the handler panicked).
pub(crate) struct ClaimGuard<S: IdempotencyStore> {
    store: S,
    key: IdempotencyKey,
    token: ClaimToken,
    retention: Duration,
    succeeded: bool,
    settled: bool,
}

impl<S: IdempotencyStore> ClaimGuard<S> {
    pub(crate) fn new(
        store: S,
        key: IdempotencyKey,
        token: ClaimToken,
        retention: Duration,
    ) -> Self {
        Self {
            store,
            key,
            token,
            retention,
            succeeded: false,
            settled: false,
        }
    }

    pub(crate) fn key(&self) -> &IdempotencyKey {
        &self.key
    }

    /// Starts completing (the handler succeeded) or releasing the claim. The
    /// guard stays responsible until [`settled`](Self::settled): dropped
    /// before that, it finishes the claim the same way in the background.
    pub(crate) fn finish(&mut self, succeeded: bool) -> S::FinishFuture {
        self.succeeded = succeeded;
        self.finish_future()
    }

    /// The store has answered the finish started by [`finish`](Self::finish).
    pub(crate) fn settled(&mut self) {
        self.settled = true;
    }

    fn finish_future(&self) -> S::FinishFuture {
        if self.succeeded {
            self.store.complete(&self.key, &self.token, self.retention)
        } else {
            self.store.release(&self.key, &self.token)
        }
    }
}

impl<S: IdempotencyStore> Drop for ClaimGuard<S> {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let finish = self.finish_future();
        let key = self.key.clone();
        let action = if self.succeeded {
            "complete"
        } else {
            "release"
        };
        tracing::debug!(key = %key, action, "finishing an abandoned claim in the background");
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
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
                let mut finish = pin!(finish);
                if finish
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
