/// Why an idempotency store could not answer. The delivery layer answers any
/// of these with 503 and `Retry-After` (fail closed), unless fail-open was
/// chosen explicitly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store's server could not be reached (refused, reset, not yet
    /// reconnected).
    #[error("the idempotency store is unreachable: {reason}")]
    Unavailable {
        /// What went wrong, for the logs.
        reason: String,
    },
    /// A command did not answer in time.
    #[error("the idempotency store did not answer within {millis} ms")]
    Timeout {
        /// The time limit, in milliseconds.
        millis: u64,
    },
    /// The store is bounded and holds only claims still in flight, none of
    /// which may be evicted.
    #[error("the idempotency store is full of in-flight claims")]
    Full,
    /// Any other failure of the store's backend.
    #[error("the idempotency store failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}
