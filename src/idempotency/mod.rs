//! Exactly-once delivery: the [`IdempotencyStore`] trait, the embedded
//! [`MemoryStore`], and (behind the `test-util` feature) the
//! [`conformance`] suite every store must pass.
//!
#![cfg_attr(
    not(feature = "test-util"),
    doc = "[`conformance`]: https://docs.rs/webhook-guard/latest/webhook_guard/idempotency/conformance/index.html"
)]
//!
//! A delivery is *claimed* only after its signature is good, under the key
//! `namespace:event-id` ([`IdempotencyKey`]). The claim is a lease: if the
//! process dies mid-handler, the lease ends and a retry gets through. The
//! holder then *completes* the claim (the record is kept for the retention
//! window, so later duplicates are answered without running the handler) or
//! *releases* it (so the sender's retry is processed). A holder whose lease
//! has ended can neither complete nor release: its [`ClaimToken`] no longer
//! matches.
//!
//! ```
//! use std::time::Duration;
//! use webhook_guard::idempotency::{Claim, IdempotencyKey, IdempotencyStore, MemoryStore};
//!
//! # tokio_test_block_on(async {
//! let store = MemoryStore::new();
//! let key = IdempotencyKey::new("stripe", "evt_1");
//!
//! let Claim::Acquired(token) = store.claim(&key, Duration::from_secs(60)).await? else {
//!     unreachable!("a fresh key is free");
//! };
//! // A second delivery of the same event while the first runs:
//! assert!(matches!(store.claim(&key, Duration::from_secs(60)).await?, Claim::InFlight { .. }));
//!
//! assert!(store.complete(&key, &token, Duration::from_secs(3600)).await?);
//! assert_eq!(store.claim(&key, Duration::from_secs(60)).await?, Claim::Completed);
//! # Ok::<(), webhook_guard::idempotency::StoreError>(())
//! # }).unwrap();
//! # fn tokio_test_block_on<F: std::future::Future>(future: F) -> F::Output {
//! #     // MemoryStore's futures are ready at once.
//! #     let mut future = std::pin::pin!(future);
//! #     let waker = std::task::Waker::noop();
//! #     match future.as_mut().poll(&mut std::task::Context::from_waker(waker)) {
//! #         std::task::Poll::Ready(output) => output,
//! #         std::task::Poll::Pending => unreachable!(),
//! #     }
//! # }
//! ```

mod claim;
mod claim_token;
#[cfg(any(feature = "redis", feature = "postgres"))]
mod command_timeout;
#[cfg(feature = "test-util")]
pub mod conformance;
mod error;
mod key;
mod memory_store;
#[cfg(feature = "postgres")]
mod postgres_store;
#[cfg(feature = "redis")]
mod redis_store;
mod store;

pub use claim::Claim;
pub use claim_token::ClaimToken;
pub use error::StoreError;
pub use key::IdempotencyKey;
pub use memory_store::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres_store::PostgresStore;
#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
pub use store::{BoxStoreFuture, IdempotencyStore};
