use std::future::Future;
use std::time::Duration;

use crate::idempotency::StoreError;

/// Runs one store `operation`, or answers [`StoreError::Timeout`] after
/// `timeout`: a network store never leaves a delivery waiting on a server
/// that stopped answering.
pub(crate) async fn bounded<T>(
    timeout: Duration,
    operation: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    tokio::time::timeout(timeout, operation)
        .await
        .unwrap_or(Err(StoreError::Timeout {
            millis: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
        }))
}
