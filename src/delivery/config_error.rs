use std::time::Duration;

/// A delivery setting that would break the delivery contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Completed records must outlive the replay window: a request stays
    /// fresh for `tolerance` on either side of the clock, so a record kept
    /// less than twice the tolerance could expire while a replay of its
    /// event still verifies.
    #[error(
        "retention of {retention_secs} s is shorter than twice the verifier's tolerance ({minimum_secs} s)"
    )]
    RetentionTooShort {
        /// The retention asked for, in seconds.
        retention_secs: u64,
        /// Twice the tolerance, in seconds.
        minimum_secs: u64,
    },
    /// A zero lease would let every concurrent duplicate through.
    #[error("the claim lease must be longer than zero")]
    ZeroLease,
}

impl ConfigError {
    pub(crate) fn check_retention(retention: Duration, tolerance: Duration) -> Result<(), Self> {
        let minimum = tolerance.saturating_mul(2);
        if retention < minimum {
            return Err(Self::RetentionTooShort {
                retention_secs: retention.as_secs(),
                minimum_secs: minimum.as_secs(),
            });
        }
        Ok(())
    }
}
