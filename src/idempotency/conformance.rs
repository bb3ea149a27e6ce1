//! The behaviour every [`IdempotencyStore`] must have, as a reusable suite
//! (feature `test-util`).
//!
//! Each check is an `async fn` taking a fresh store; they use unique keys, so
//! stores shared between checks (one Redis server, one database) are fine.
//! They sleep for real (a few hundred milliseconds) to let leases and
//! retention end, and spawn tasks on the current Tokio runtime to claim
//! concurrently. [`idempotency_store_conformance!`](crate::idempotency_store_conformance)
//! turns the whole suite into one `#[tokio::test]` per check:
//!
//! ```no_run
//! // tests/my_store.rs: one test per check, each with a fresh store (this
//! // expression may `.await`, e.g. `MyStore::connect(url).await.unwrap()`).
//! webhook_guard::idempotency_store_conformance!(webhook_guard::idempotency::MemoryStore::new());
//! # fn main() {}
//! ```
//!
//! Every check panics with a message naming the broken rule.

use std::time::Duration;

use crate::idempotency::{Claim, ClaimToken, IdempotencyKey, IdempotencyStore};

const LEASE: Duration = Duration::from_secs(60);
const RETENTION: Duration = Duration::from_secs(3600);
/// Long enough for every store's clock granularity (milliseconds).
const SHORT: Duration = Duration::from_millis(400);
const PAST_SHORT: Duration = Duration::from_millis(900);

/// A key no other check (or earlier run against a shared server) uses.
fn fresh_key(check: &str) -> IdempotencyKey {
    IdempotencyKey::new("conformance", &format!("{check}-{}", ClaimToken::random()))
}

async fn acquire<S: IdempotencyStore>(
    store: &S,
    key: &IdempotencyKey,
    lease: Duration,
) -> ClaimToken {
    match store.claim(key, lease).await {
        Ok(Claim::Acquired(token)) => token,
        other => panic!("claiming free key {key} must acquire it, got {other:?}"),
    }
}

async fn claim<S: IdempotencyStore>(store: &S, key: &IdempotencyKey) -> Claim {
    store
        .claim(key, LEASE)
        .await
        .unwrap_or_else(|error| panic!("claim of {key} failed: {error}"))
}

/// A fresh key is acquired; claimed again, it is in flight, and the retry
/// hint lies within the lease.
pub async fn a_fresh_key_is_acquired_then_in_flight<S: IdempotencyStore>(store: S) {
    let key = fresh_key("fresh");
    acquire(&store, &key, LEASE).await;
    match claim(&store, &key).await {
        Claim::InFlight { retry_after } => assert!(
            retry_after > Duration::ZERO && retry_after <= LEASE,
            "retry_after {retry_after:?} must lie within the lease {LEASE:?}"
        ),
        other => panic!("a claimed key must be in flight, got {other:?}"),
    }
}

/// Completing a claim makes every later claim answer `Completed`.
pub async fn a_completed_key_answers_completed<S: IdempotencyStore>(store: S) {
    let key = fresh_key("complete");
    let token = acquire(&store, &key, LEASE).await;
    assert!(
        store.complete(&key, &token, RETENTION).await.unwrap(),
        "the holder must be able to complete its claim"
    );
    for _ in 0..3 {
        assert_eq!(claim(&store, &key).await, Claim::Completed);
    }
}

/// Once completed, a claim cannot be finished again: not released (which
/// would let a duplicate run), not completed twice. The delivery layer may
/// repeat a finish whose answer it never saw, so a repeat must be harmless.
pub async fn a_completed_claim_cannot_be_finished_again<S: IdempotencyStore>(store: S) {
    let key = fresh_key("finish-twice");
    let token = acquire(&store, &key, LEASE).await;
    assert!(store.complete(&key, &token, RETENTION).await.unwrap());
    assert!(
        !store.release(&key, &token).await.unwrap(),
        "releasing a completed claim must do nothing"
    );
    assert!(
        !store.complete(&key, &token, RETENTION).await.unwrap(),
        "completing twice must report the claim as no longer held"
    );
    assert_eq!(claim(&store, &key).await, Claim::Completed);
}

/// Releasing a claim frees the key for the next delivery, with a new token.
pub async fn a_released_key_can_be_claimed_again<S: IdempotencyStore>(store: S) {
    let key = fresh_key("release");
    let first = acquire(&store, &key, LEASE).await;
    assert!(
        store.release(&key, &first).await.unwrap(),
        "the holder must be able to release its claim"
    );
    let second = acquire(&store, &key, LEASE).await;
    assert_ne!(first, second, "a new claim must get a new token");
}

/// Only the holder's token completes or releases a claim.
pub async fn a_wrong_token_cannot_finish_a_claim<S: IdempotencyStore>(store: S) {
    let key = fresh_key("wrong-token");
    let token = acquire(&store, &key, LEASE).await;
    let stranger = ClaimToken::random();
    assert!(!store.complete(&key, &stranger, RETENTION).await.unwrap());
    assert!(!store.release(&key, &stranger).await.unwrap());
    assert!(matches!(claim(&store, &key).await, Claim::InFlight { .. }));
    assert!(store.complete(&key, &token, RETENTION).await.unwrap());
}

/// When a lease ends (the holder died), the key can be claimed again.
pub async fn an_expired_lease_frees_the_key<S: IdempotencyStore>(store: S) {
    let key = fresh_key("lease");
    acquire(&store, &key, SHORT).await;
    tokio::time::sleep(PAST_SHORT).await;
    acquire(&store, &key, LEASE).await;
}

/// A holder whose lease ended cannot complete or release — not the newer
/// claim of someone else, and not its own stale one.
pub async fn an_expired_holder_cannot_finish<S: IdempotencyStore>(store: S) {
    let key = fresh_key("expired-holder");
    let stale = acquire(&store, &key, SHORT).await;
    tokio::time::sleep(PAST_SHORT).await;
    assert!(
        !store.complete(&key, &stale, RETENTION).await.unwrap(),
        "a holder whose lease ended must not complete"
    );
    let current = acquire(&store, &key, LEASE).await;
    assert!(
        !store.complete(&key, &stale, RETENTION).await.unwrap(),
        "a stale holder must not complete a newer claim"
    );
    assert!(
        !store.release(&key, &stale).await.unwrap(),
        "a stale holder must not release a newer claim"
    );
    assert!(matches!(claim(&store, &key).await, Claim::InFlight { .. }));
    assert!(store.complete(&key, &current, RETENTION).await.unwrap());
    assert_eq!(claim(&store, &key).await, Claim::Completed);
}

/// A completed record lasts for its retention, then the key is free.
pub async fn retention_expires<S: IdempotencyStore>(store: S) {
    let key = fresh_key("retention");
    let token = acquire(&store, &key, LEASE).await;
    assert!(store.complete(&key, &token, SHORT).await.unwrap());
    assert_eq!(claim(&store, &key).await, Claim::Completed);
    tokio::time::sleep(PAST_SHORT).await;
    acquire(&store, &key, LEASE).await;
}

/// Keys do not interfere with each other.
pub async fn keys_are_independent<S: IdempotencyStore>(store: S) {
    let first = fresh_key("independent-a");
    let second = fresh_key("independent-b");
    let token = acquire(&store, &first, LEASE).await;
    acquire(&store, &second, LEASE).await;
    assert!(store.complete(&first, &token, RETENTION).await.unwrap());
    assert!(matches!(
        claim(&store, &second).await,
        Claim::InFlight { .. }
    ));
}

/// Sixty-four concurrent claims of one key: exactly one acquires it; after
/// it completes, every claim answers `Completed`.
pub async fn a_claim_is_exclusive_under_concurrency<S: IdempotencyStore>(store: S) {
    let key = fresh_key("concurrent");
    let answers = claim_concurrently(&store, &key, 64).await;
    let tokens: Vec<ClaimToken> = answers
        .iter()
        .filter_map(|claim| match claim {
            Claim::Acquired(token) => Some(token.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        tokens.len(),
        1,
        "exactly one concurrent claim may acquire: {answers:?}"
    );
    assert!(
        answers
            .iter()
            .all(|claim| matches!(claim, Claim::Acquired(_) | Claim::InFlight { .. })),
        "the others must see it in flight: {answers:?}"
    );
    assert!(store.complete(&key, &tokens[0], RETENTION).await.unwrap());
    let after = claim_concurrently(&store, &key, 64).await;
    assert!(
        after.iter().all(|claim| *claim == Claim::Completed),
        "{after:?}"
    );
}

/// Many events, each delivered twice at once by concurrent tasks: every
/// event is acquired exactly once.
pub async fn many_events_are_each_acquired_once<S: IdempotencyStore>(store: S) {
    let keys: Vec<IdempotencyKey> = (0..100).map(|n| fresh_key(&format!("many-{n}"))).collect();
    let mut tasks = Vec::new();
    for round in 0..2 {
        for key in keys.iter().cloned() {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let claimed = store.claim(&key, LEASE).await;
                (round, key, claimed)
            }));
        }
    }
    let mut acquired = std::collections::HashMap::new();
    for task in tasks {
        let (_, key, claimed) = task.await.expect("a claim task panicked");
        if let Claim::Acquired(_) = claimed.expect("claim failed") {
            *acquired.entry(key).or_insert(0) += 1;
        }
    }
    assert_eq!(acquired.len(), keys.len(), "every event must be acquired");
    assert!(acquired.values().all(|count| *count == 1), "{acquired:?}");
}

async fn claim_concurrently<S: IdempotencyStore>(
    store: &S,
    key: &IdempotencyKey,
    tasks: usize,
) -> Vec<Claim> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(tasks));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (store, key, barrier) = (store.clone(), key.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                store.claim(&key, LEASE).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for handle in handles {
        answers.push(
            handle
                .await
                .expect("a claim task panicked")
                .expect("claim failed"),
        );
    }
    answers
}

/// One `#[tokio::test]` per conformance check, each with a store made by
/// `$make_store` (an expression, evaluated inside the async test, so it may
/// `.await`). The calling crate needs `tokio` with the `macros` and
/// `rt-multi-thread` features.
///
/// ```no_run
/// webhook_guard::idempotency_store_conformance!(webhook_guard::idempotency::MemoryStore::new());
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! idempotency_store_conformance {
    ($make_store:expr) => {
        $crate::idempotency_store_conformance!(@checks $make_store;
            a_fresh_key_is_acquired_then_in_flight,
            a_completed_key_answers_completed,
            a_completed_claim_cannot_be_finished_again,
            a_released_key_can_be_claimed_again,
            a_wrong_token_cannot_finish_a_claim,
            an_expired_lease_frees_the_key,
            an_expired_holder_cannot_finish,
            retention_expires,
            keys_are_independent,
            a_claim_is_exclusive_under_concurrency,
            many_events_are_each_acquired_once,
        );
    };
    (@checks $make_store:expr; $($check:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                $crate::idempotency::conformance::$check($make_store).await;
            }
        )+
    };
}
