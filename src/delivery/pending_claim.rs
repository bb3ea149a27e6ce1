use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::idempotency::{Claim, IdempotencyKey, IdempotencyStore, StoreError};

/// A claim the store has not answered yet. Dropped before the answer (the
/// client went away, or the store timed out), it lets the store finish in
/// the background and releases the claim if it was granted after all, so a
/// retry is not refused until the lease ends.
pub(crate) struct PendingClaim<S: IdempotencyStore> {
    future: Option<S::ClaimFuture>,
    store: S,
    key: IdempotencyKey,
    act_by: Instant,
}

impl<S: IdempotencyStore> PendingClaim<S> {
    /// Claims `key` for `lease`; if granted, the claim must be finished by
    /// `act_by` (shortly before the lease, counted from now, ends).
    pub(crate) fn new(store: S, key: IdempotencyKey, lease: Duration, act_by: Instant) -> Self {
        Self {
            future: Some(store.claim(&key, lease)),
            store,
            key,
            act_by,
        }
    }

    pub(crate) fn key(&self) -> &IdempotencyKey {
        &self.key
    }

    /// The last moment to act on the claim, if granted: a handler not done
    /// by then is cancelled, and a failed completion no longer retried.
    pub(crate) fn act_by(&self) -> Instant {
        self.act_by
    }
}

impl<S: IdempotencyStore> PendingClaim<S> {
    /// The store's answer, once it has one.
    pub(crate) fn poll_answer(&mut self, cx: &mut Context<'_>) -> Poll<Result<Claim, StoreError>> {
        let Some(future) = self.future.as_mut() else {
            return Poll::Pending; // answered already; never asked again
        };
        let answer = std::task::ready!(Pin::new(future).poll(cx));
        self.future = None;
        Poll::Ready(answer)
    }
}

impl<S: IdempotencyStore> Drop for PendingClaim<S> {
    fn drop(&mut self) {
        let Some(future) = self.future.take() else {
            return;
        };
        let (store, key) = (self.store.clone(), self.key.clone());
        let release_if_granted = async move {
            if let Ok(Claim::Acquired(token)) = future.await {
                tracing::debug!(key = %key, "releasing a claim granted after its request went away");
                if let Err(error) = store.release(&key, &token).await {
                    tracing::warn!(key = %key, %error, "could not release an abandoned claim; its lease will end it");
                }
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(release_if_granted);
            }
            Err(_) => {
                let mut release_if_granted = pin!(release_if_granted);
                let _ = release_if_granted
                    .as_mut()
                    .poll(&mut Context::from_waker(Waker::noop()));
            }
        }
    }
}
