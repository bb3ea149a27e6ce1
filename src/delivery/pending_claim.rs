use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use crate::delivery::ClaimTerms;
use crate::idempotency::{Claim, IdempotencyKey, IdempotencyStore, StoreError};

/// A claim the store has not answered yet. Dropped before the answer (the
/// client went away, or the store timed out), it lets the store finish in
/// the background and releases the claim if it was granted after all, so a
/// retry is not refused until the lease ends.
pub(crate) struct PendingClaim<S: IdempotencyStore> {
    future: Option<S::ClaimFuture>,
    store: S,
    key: IdempotencyKey,
    terms: ClaimTerms,
}

impl<S: IdempotencyStore> PendingClaim<S> {
    /// Claims `key` on `terms`.
    pub(crate) fn new(store: S, key: IdempotencyKey, terms: ClaimTerms) -> Self {
        Self {
            future: Some(store.claim(&key, terms.lease)),
            store,
            key,
            terms,
        }
    }

    pub(crate) fn key(&self) -> &IdempotencyKey {
        &self.key
    }

    /// The claim's terms.
    pub(crate) fn terms(&self) -> &ClaimTerms {
        &self.terms
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
