#[cfg(feature = "metrics")]
use std::{sync::Arc, time::Instant};

/// What the guard measures of its deliveries, through the `metrics` facade
/// (feature `metrics`; without it every method is empty). The names and
/// labels are the README's "Metrics" table; every label is one of a fixed
/// set, or the provider's name, fixed per guard — never an event ID.
#[derive(Debug, Clone)]
pub(crate) struct DeliveryMetrics {
    /// The `provider` label, made once per guard.
    #[cfg(feature = "metrics")]
    provider: Arc<str>,
}

/// Started when a timed step starts; nothing without the feature.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Started {
    #[cfg(feature = "metrics")]
    at: Instant,
}

impl Started {
    /// Now (without the feature: nothing, not even a clock read).
    pub(crate) fn now() -> Self {
        Self {
            #[cfg(feature = "metrics")]
            at: Instant::now(),
        }
    }

    #[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
    pub(crate) fn at(at: std::time::Instant) -> Self {
        Self {
            #[cfg(feature = "metrics")]
            at,
        }
    }
}

#[cfg(feature = "metrics")]
impl DeliveryMetrics {
    pub(crate) fn new(provider: &str) -> Self {
        Self {
            provider: provider.into(),
        }
    }

    fn provider(&self) -> metrics::SharedString {
        metrics::SharedString::from(self.provider.clone())
    }

    /// How a delivery ended: `webhook_guard_deliveries_total{provider,outcome}`.
    pub(crate) fn delivered(&self, outcome: &'static str) {
        metrics::counter!("webhook_guard_deliveries_total", "provider" => self.provider(), "outcome" => outcome)
            .increment(1);
    }

    /// Why one was refused: `webhook_guard_rejections_total{provider,reason}`.
    pub(crate) fn rejected(&self, reason: &'static str) {
        metrics::counter!("webhook_guard_rejections_total", "provider" => self.provider(), "reason" => reason)
            .increment(1);
    }

    /// A store command that failed or timed out:
    /// `webhook_guard_store_errors_total{provider,operation}`.
    pub(crate) fn store_failed(&self, operation: &'static str) {
        metrics::counter!("webhook_guard_store_errors_total", "provider" => self.provider(), "operation" => operation)
            .increment(1);
    }

    /// How long a store command took, from `started`:
    /// `webhook_guard_store_seconds{provider,operation}`.
    pub(crate) fn store_answered(&self, operation: &'static str, started: Started) {
        metrics::histogram!("webhook_guard_store_seconds", "provider" => self.provider(), "operation" => operation)
            .record(started.at.elapsed());
    }

    /// A delivery verified at `now`, its check started at `started`:
    /// `webhook_guard_verification_seconds`, `webhook_guard_body_bytes`,
    /// and (where it signs one) how far its timestamp is from `now`, either
    /// way, `webhook_guard_timestamp_skew_seconds` (all by `provider`).
    pub(crate) fn verified(
        &self,
        started: Started,
        body: usize,
        verified: &crate::Verified,
        now: std::time::SystemTime,
    ) {
        metrics::histogram!("webhook_guard_verification_seconds", "provider" => self.provider())
            .record(started.at.elapsed());
        metrics::histogram!("webhook_guard_body_bytes", "provider" => self.provider())
            .record(body as f64);
        if let Some(signed) = verified.timestamp() {
            let skew = now
                .duration_since(signed)
                .unwrap_or_else(|ahead| ahead.duration());
            metrics::histogram!("webhook_guard_timestamp_skew_seconds", "provider" => self.provider())
                .record(skew);
        }
    }

    /// The handler, from its claim granted to its answer:
    /// `webhook_guard_handler_seconds{provider}`.
    pub(crate) fn handled(&self, claimed: Started, answered: Started) {
        metrics::histogram!("webhook_guard_handler_seconds", "provider" => self.provider())
            .record(answered.at.saturating_duration_since(claimed.at));
    }
}

#[cfg(not(feature = "metrics"))]
impl DeliveryMetrics {
    pub(crate) fn new(_provider: &str) -> Self {
        Self {}
    }
    pub(crate) fn delivered(&self, _outcome: &'static str) {}
    pub(crate) fn rejected(&self, _reason: &'static str) {}
    pub(crate) fn store_failed(&self, _operation: &'static str) {}
    pub(crate) fn store_answered(&self, _operation: &'static str, _started: Started) {}
    pub(crate) fn verified(
        &self,
        _started: Started,
        _body: usize,
        _verified: &crate::Verified,
        _now: std::time::SystemTime,
    ) {
    }
    pub(crate) fn handled(&self, _claimed: Started, _answered: Started) {}
}
