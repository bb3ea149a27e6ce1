use std::time::Duration;

use crate::idempotency::ClaimToken;

/// The answer of [`IdempotencyStore::claim`](crate::idempotency::IdempotencyStore::claim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The caller holds the claim until its lease ends, and must complete or
    /// release it with this token.
    Acquired(ClaimToken),
    /// Another attempt holds the claim; its lease ends in about `retry_after`.
    InFlight {
        /// When a retry may find the claim free (the rest of the lease).
        retry_after: Duration,
    },
    /// The event was processed already; the record lasts for its retention.
    Completed,
}
