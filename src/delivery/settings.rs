use std::sync::Arc;
use std::time::Duration;

use crate::delivery::ConfigError;
use crate::verify::VerifyRequest;

/// What a guard is told, checked when it is told: every `with_…` of
/// [`WebhookLayer`](crate::WebhookLayer) lands here.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Deliveries are keyed `namespace:event-id`.
    pub(crate) namespace: Arc<str>,
    /// The longest body read.
    pub(crate) body_limit: usize,
    /// How long a body may take to arrive, from the request's head.
    pub(crate) body_timeout: Duration,
    /// How many bytes of bodies not yet verified the guard holds at once.
    pub(crate) unverified_bytes_limit: usize,
    pub(crate) lease: Duration,
    pub(crate) retention: Duration,
    /// The `Retry-After` of a 503.
    pub(crate) store_retry_after: Duration,
    /// How long one store command may take.
    pub(crate) store_timeout: Duration,
    /// Whether the store timeout was set, rather than derived from the lease.
    store_timeout_set: bool,
    pub(crate) fail_open: bool,
}

impl Settings {
    /// A body of at most 1 MiB is read unless told otherwise.
    pub(crate) const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
    /// Long enough for a 1 MiB body over a slow link; short enough that a
    /// trickled upload cannot hold a connection and its buffer for long.
    pub(crate) const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
    /// 64 MiB of unverified bodies at once, across every route of a layer.
    pub(crate) const DEFAULT_UNVERIFIED_BYTES_LIMIT: usize = 64 * 1024 * 1024;
    /// Longer than any sane handler: a lease that ends while the handler
    /// still runs lets a retry run it a second time.
    pub(crate) const DEFAULT_LEASE: Duration = Duration::from_secs(60);
    /// Four days: Stripe and Standard Webhooks senders retry for up to three.
    pub(crate) const DEFAULT_RETENTION: Duration = Duration::from_secs(4 * 24 * 3600);
    /// The `Retry-After` sent with a 503 when the store is unreachable.
    pub(crate) const DEFAULT_STORE_RETRY_AFTER: Duration = Duration::from_secs(10);
    /// How long one store command may take before the delivery is answered
    /// 503 (claim) or the claim is left to its lease (complete, release);
    /// at most half the lease.
    pub(crate) const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_secs(5);

    /// The defaults for `verifier`: its name as the namespace, and a
    /// retention of at least twice its replay window and its sender's
    /// retry window.
    pub(crate) fn for_verifier(verifier: &dyn VerifyRequest) -> Self {
        let retention = Self::DEFAULT_RETENTION
            .max(
                verifier
                    .replay_window()
                    .unwrap_or_default()
                    .saturating_mul(2),
            )
            .max(verifier.retry_window().unwrap_or_default());
        Self {
            namespace: Arc::from(verifier.name()),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            body_timeout: Self::DEFAULT_BODY_TIMEOUT,
            unverified_bytes_limit: Self::DEFAULT_UNVERIFIED_BYTES_LIMIT,
            lease: Self::DEFAULT_LEASE,
            retention,
            store_retry_after: Self::DEFAULT_STORE_RETRY_AFTER,
            store_timeout: Self::DEFAULT_STORE_TIMEOUT,
            store_timeout_set: false,
            fail_open: false,
        }
    }

    pub(crate) fn set_retention(
        &mut self,
        retention: Duration,
        verifier: &dyn VerifyRequest,
    ) -> Result<(), ConfigError> {
        ConfigError::check_retention(retention, verifier)?;
        self.retention = retention;
        Ok(())
    }

    /// Sets the lease; a store timeout that was not set follows it (the
    /// default, or half the lease if that is shorter).
    pub(crate) fn set_lease(&mut self, lease: Duration) -> Result<(), ConfigError> {
        ConfigError::check_lease(lease)?;
        if self.store_timeout_set {
            ConfigError::check_store_timeout(self.store_timeout, lease)?;
        } else {
            self.store_timeout = Self::DEFAULT_STORE_TIMEOUT.min(lease / 2);
        }
        self.lease = lease;
        Ok(())
    }

    pub(crate) fn set_store_timeout(&mut self, timeout: Duration) -> Result<(), ConfigError> {
        ConfigError::check_store_timeout(timeout, self.lease)?;
        self.store_timeout = timeout;
        self.store_timeout_set = true;
        Ok(())
    }

    pub(crate) fn set_body_timeout(&mut self, timeout: Duration) -> Result<(), ConfigError> {
        if timeout.is_zero() || timeout > ConfigError::MAX_LEASE {
            return Err(ConfigError::BodyTimeoutOutOfRange {
                timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            });
        }
        self.body_timeout = timeout;
        Ok(())
    }

    /// The last moment to act on a claim sent now: shortly before its
    /// lease ends (a tenth of it, at most a second).
    pub(crate) fn act_by(&self, sent: std::time::Instant) -> std::time::Instant {
        let margin = (self.lease / 10).min(Duration::from_secs(1));
        sent + self.lease.saturating_sub(margin)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::Verifier;

    fn settings() -> Settings {
        Settings::for_verifier(&Verifier::github("secret").unwrap())
    }

    #[test]
    fn defaults_follow_the_verifier() {
        let github = settings();
        assert_eq!(&*github.namespace, "github");
        assert_eq!(github.retention, Settings::DEFAULT_RETENTION);
        let tolerant = Verifier::stripe("whsec_x")
            .unwrap()
            .with_tolerance(Duration::from_secs(3 * 24 * 3600));
        assert_eq!(
            Settings::for_verifier(&tolerant).retention,
            Duration::from_secs(6 * 24 * 3600)
        );
    }

    #[test]
    fn a_default_store_timeout_follows_a_short_lease_and_a_set_one_holds() {
        let mut short = settings();
        short.set_lease(Duration::from_secs(2)).unwrap();
        assert_eq!(short.store_timeout, Duration::from_secs(1));

        let mut set = settings();
        set.set_store_timeout(Duration::from_secs(4)).unwrap();
        assert!(matches!(
            set.set_lease(Duration::from_secs(6)),
            Err(ConfigError::StoreTimeoutTooLong { .. })
        ));
        set.set_lease(Duration::from_secs(8)).unwrap();
        assert_eq!(set.store_timeout, Duration::from_secs(4));
    }

    #[test]
    fn out_of_range_durations_are_refused() {
        let mut settings = settings();
        assert_eq!(
            settings.set_lease(Duration::ZERO),
            Err(ConfigError::ZeroLease)
        );
        assert!(settings.set_lease(Duration::MAX).is_err());
        assert!(settings.set_store_timeout(Duration::MAX).is_err());
        assert!(settings.set_body_timeout(Duration::ZERO).is_err());
        assert!(settings.set_body_timeout(Duration::MAX).is_err());
        assert_eq!(settings.lease, Settings::DEFAULT_LEASE, "unchanged");
    }

    #[test]
    fn the_last_moment_to_act_is_a_tenth_of_the_lease_early_at_most_a_second() {
        let mut settings = settings();
        let now = Instant::now();
        assert_eq!(settings.act_by(now), now + Duration::from_secs(59));
        settings.set_lease(Duration::from_millis(500)).unwrap();
        assert_eq!(settings.act_by(now), now + Duration::from_millis(450));
    }
}
