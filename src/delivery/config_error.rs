use std::time::Duration;

use crate::verify::VerifyRequest;

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
    /// The scheme signs no timestamp, so nothing but a delivery's record
    /// stops it running again, and the record would end before the
    /// provider stops sending the event (its
    /// [`retry_window`](crate::Scheme::retry_window)).
    #[error(
        "retention of {retention_secs} s is shorter than the provider's retry window ({minimum_secs} s), and it signs no timestamp"
    )]
    RetentionShorterThanRetries {
        /// The retention asked for, in seconds.
        retention_secs: u64,
        /// The provider's retry window, in seconds.
        minimum_secs: u64,
    },
    /// A zero lease would let every concurrent duplicate through.
    #[error("the claim lease must be longer than zero")]
    ZeroLease,
    /// A lease longer than [`MAX_LEASE`](ConfigError::MAX_LEASE): a crashed
    /// attempt would block its event's retries for longer than any sender
    /// retries (and deadlines that far out cannot be represented).
    #[error("a claim lease of {lease_secs} s is longer than the maximum of {max_secs} s")]
    LeaseTooLong {
        /// The lease asked for, in seconds.
        lease_secs: u64,
        /// The longest lease accepted, in seconds.
        max_secs: u64,
    },
    /// The body timeout is zero (no body could arrive) or longer than a
    /// day.
    #[error("a body timeout of {timeout_ms} ms is zero or longer than a day")]
    BodyTimeoutOutOfRange {
        /// The timeout asked for, in milliseconds.
        timeout_ms: u64,
    },
    /// The store timeout is not well inside the lease: a claim answered
    /// that late leaves the handler no time before the lease ends. It may
    /// be at most half the lease.
    #[error(
        "a store timeout of {timeout_ms} ms is more than half the claim lease ({lease_ms} ms); set a longer lease first, or a shorter timeout"
    )]
    StoreTimeoutTooLong {
        /// The store timeout, in milliseconds.
        timeout_ms: u64,
        /// The lease, in milliseconds.
        lease_ms: u64,
    },
}

impl ConfigError {
    /// The longest claim lease accepted: a day.
    pub const MAX_LEASE: Duration = Duration::from_secs(24 * 3600);

    pub(crate) fn check_lease(lease: Duration) -> Result<(), Self> {
        if lease.is_zero() {
            return Err(Self::ZeroLease);
        }
        if lease > Self::MAX_LEASE {
            return Err(Self::LeaseTooLong {
                lease_secs: lease.as_secs(),
                max_secs: Self::MAX_LEASE.as_secs(),
            });
        }
        Ok(())
    }

    pub(crate) fn check_store_timeout(timeout: Duration, lease: Duration) -> Result<(), Self> {
        if timeout > lease / 2 {
            return Err(Self::StoreTimeoutTooLong {
                timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
                lease_ms: u64::try_from(lease.as_millis()).unwrap_or(u64::MAX),
            });
        }
        Ok(())
    }

    pub(crate) fn check_retention(
        retention: Duration,
        verifier: &dyn VerifyRequest,
    ) -> Result<(), Self> {
        let replay_window = verifier.replay_window();
        let window = verifier.retry_window().filter(|_| replay_window.is_none());
        if let Some(window) = window.filter(|window| retention < *window) {
            return Err(Self::RetentionShorterThanRetries {
                retention_secs: retention.as_secs(),
                minimum_secs: window.as_secs(),
            });
        }
        // Where nothing expires a captured delivery, no less than a
        // timestamped one would need.
        let minimum = replay_window
            .unwrap_or(crate::Verifier::DEFAULT_TOLERANCE)
            .saturating_mul(2);
        if retention < minimum {
            return Err(Self::RetentionTooShort {
                retention_secs: retention.as_secs(),
                minimum_secs: minimum.as_secs(),
            });
        }
        Ok(())
    }
}
