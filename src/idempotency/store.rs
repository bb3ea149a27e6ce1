use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::idempotency::{Claim, ClaimToken, IdempotencyKey, StoreError};

/// A boxed store future, for stores whose operations are `async` blocks.
pub type BoxStoreFuture<T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send>>;

/// Where deliveries are claimed, completed and released — atomically, so
/// that each event ID is processed once across every instance sharing the
/// store.
///
/// The futures are named associated types, own everything they need
/// (`'static`) and are `Unpin`, so the delivery layer holds them without
/// boxing, and can hand one still running to the runtime when its request
/// goes away (to release a claim granted after the client left). A store
/// over a network typically clones its connection handle into an `async
/// move` block and boxes it ([`BoxStoreFuture`]); [`MemoryStore`] answers at
/// once with [`std::future::Ready`].
///
/// Every store must pass the [`conformance`] suite (feature `test-util`).
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::{Arc, Mutex};
/// use std::time::{Duration, Instant};
/// use webhook_guard::idempotency::{
///     BoxStoreFuture, Claim, ClaimToken, IdempotencyKey, IdempotencyStore, StoreError,
/// };
///
/// /// A toy store: one lock, no bound, no eviction.
/// #[derive(Debug, Clone, Default)]
/// struct ToyStore(Arc<Mutex<HashMap<String, (Option<ClaimToken>, Instant)>>>);
///
/// impl IdempotencyStore for ToyStore {
///     type ClaimFuture = BoxStoreFuture<Claim>;
///     type FinishFuture = BoxStoreFuture<bool>;
///
///     fn claim(&self, key: &IdempotencyKey, lease: Duration) -> Self::ClaimFuture {
///         let (map, key) = (self.0.clone(), key.to_string());
///         Box::pin(async move {
///             let mut map = map.lock().unwrap();
///             let now = Instant::now();
///             match map.get(&key) {
///                 Some((Some(_), until)) if *until > now => {
///                     Ok(Claim::InFlight { retry_after: *until - now })
///                 }
///                 Some((None, until)) if *until > now => Ok(Claim::Completed),
///                 _ => {
///                     let token = ClaimToken::random();
///                     map.insert(key, (Some(token.clone()), now + lease));
///                     Ok(Claim::Acquired(token))
///                 }
///             }
///         })
///     }
///
///     fn complete(&self, key: &IdempotencyKey, token: &ClaimToken, retention: Duration) -> Self::FinishFuture {
///         let (map, key, token) = (self.0.clone(), key.to_string(), token.clone());
///         Box::pin(async move {
///             let mut map = map.lock().unwrap();
///             let held = matches!(map.get(&key), Some((Some(t), until)) if *t == token && *until > Instant::now());
///             if held {
///                 map.insert(key, (None, Instant::now() + retention));
///             }
///             Ok(held)
///         })
///     }
///
///     fn release(&self, key: &IdempotencyKey, token: &ClaimToken) -> Self::FinishFuture {
///         let (map, key, token) = (self.0.clone(), key.to_string(), token.clone());
///         Box::pin(async move {
///             let mut map = map.lock().unwrap();
///             let held = matches!(map.get(&key), Some((Some(t), until)) if *t == token && *until > Instant::now());
///             if held {
///                 map.remove(&key);
///             }
///             Ok(held)
///         })
///     }
/// }
/// ```
///
/// [`MemoryStore`]: crate::idempotency::MemoryStore
#[cfg_attr(
    feature = "test-util",
    doc = "[`conformance`]: crate::idempotency::conformance"
)]
#[cfg_attr(
    not(feature = "test-util"),
    doc = "[`conformance`]: https://docs.rs/webhook-guard/latest/webhook_guard/idempotency/conformance/index.html"
)]
pub trait IdempotencyStore: fmt::Debug + Clone + Send + Sync + 'static {
    /// What [`claim`](IdempotencyStore::claim) returns.
    type ClaimFuture: Future<Output = Result<Claim, StoreError>> + Send + Unpin + 'static;
    /// What [`complete`](IdempotencyStore::complete) and
    /// [`release`](IdempotencyStore::release) return: `true` when the claim
    /// was held by `token` (and so was completed or released), `false` when
    /// it was not (its lease had ended, or another holder has it now).
    type FinishFuture: Future<Output = Result<bool, StoreError>> + Send + Unpin + 'static;

    /// Atomically: if `key` is free (never seen, released, or its lease or
    /// retention ended), take it for `lease` and return
    /// [`Claim::Acquired`]; otherwise say who has it.
    fn claim(&self, key: &IdempotencyKey, lease: Duration) -> Self::ClaimFuture;

    /// Marks the claim held by `token` as processed, kept for `retention`.
    fn complete(
        &self,
        key: &IdempotencyKey,
        token: &ClaimToken,
        retention: Duration,
    ) -> Self::FinishFuture;

    /// Gives up the claim held by `token`, so the next delivery of the event
    /// is processed.
    fn release(&self, key: &IdempotencyKey, token: &ClaimToken) -> Self::FinishFuture;

    /// Whether a completed record may be lost before its retention ends:
    /// evicted when the store is full, or gone with the process. A guard
    /// whose provider signs no timestamp (GitHub, Shopify) warns once when
    /// its store says so, since only the record stops a captured delivery
    /// from running again. `false` unless a store says otherwise;
    /// [`MemoryStore`](crate::idempotency::MemoryStore) says `true`.
    fn may_lose_records(&self) -> bool {
        false
    }

    /// Names the records this handle reaches, the same for every clone of
    /// it (and different for a handle that keeps its records apart, such as
    /// another key prefix or table), unique within the process. Guards that
    /// share a store register their namespace under it, so two guards with
    /// unrelated keys claiming under one namespace are refused when they
    /// are built (see `WebhookLayer::with_namespace`). `None`, the
    /// default, opts out of that check.
    fn records_identity(&self) -> Option<String> {
        None
    }
}

/// A number no other store handle of this process was given: what a
/// [`records_identity`](IdempotencyStore::records_identity) starts from.
pub(crate) fn new_handle_number() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}
