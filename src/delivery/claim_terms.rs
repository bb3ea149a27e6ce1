use std::time::{Duration, Instant};

use crate::delivery::{Settings, Started};

/// The terms of one claim, fixed when it is sent and carried by it to the
/// end: how long it is held, how long its record is kept, how long each
/// store command may take, and the last moment to act on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClaimTerms {
    pub(crate) lease: Duration,
    pub(crate) retention: Duration,
    pub(crate) store_timeout: Duration,
    /// Shortly before the lease, counted from the moment the claim is sent,
    /// ends: a handler is not called after it (nor left running past it),
    /// and a failed completion is not retried after it. The store starts
    /// the lease when it applies the claim, which is no earlier, so a slow
    /// answer never moves this later.
    pub(crate) act_by: Instant,
    /// When the claim was sent, for its latency.
    pub(crate) sent: Started,
}

impl ClaimTerms {
    /// The terms of a claim sent at `sent` under `settings`.
    pub(crate) fn new(settings: &Settings, sent: Instant) -> Self {
        Self {
            lease: settings.lease,
            retention: settings.retention,
            store_timeout: settings.store_timeout,
            act_by: settings.act_by(sent),
            sent: Started::at(sent),
        }
    }

    /// The moment the store must have answered the claim by.
    pub(crate) fn answer_by(&self, sent: Instant) -> Instant {
        sent + self.store_timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_counted_from_the_moment_the_claim_is_sent() {
        let mut settings = Settings::for_verifier(&crate::Verifier::github("s").unwrap());
        settings.set_lease(Duration::from_secs(2)).unwrap();
        let sent = Instant::now();
        let terms = ClaimTerms::new(&settings, sent);
        assert_eq!(terms.act_by, sent + Duration::from_millis(1800));
        assert_eq!(terms.answer_by(sent), sent + Duration::from_secs(1));
        assert_eq!(terms.retention, settings.retention);
    }
}
