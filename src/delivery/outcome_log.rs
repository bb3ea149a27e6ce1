use std::any::Any;
use std::time::Duration;

use tracing::Span;
use tracing::field::Empty;

use crate::delivery::Rejection;
use crate::idempotency::{IdempotencyKey, StoreError};

/// What the guard logs of a delivery: one span per delivery, with its
/// provider, event ID, key and outcome, and one line at each turn. It
/// never records a secret or a full signature, and the response says none
/// of it.
pub(crate) struct OutcomeLog;

impl OutcomeLog {
    /// The span every log line of one delivery belongs to.
    pub(crate) fn span(provider: &str) -> Span {
        tracing::info_span!(
            "webhook",
            provider,
            event_id = Empty,
            key_index = Empty,
            key = Empty,
            outcome = Empty,
            reason = Empty,
        )
    }

    /// A delivery answered without running the handler to completion;
    /// returns the outcome recorded (`rejected` for a refusal, with its
    /// reason).
    pub(crate) fn rejected(span: &Span, rejection: &Rejection) -> &'static str {
        let _entered = span.enter();
        let outcome = match rejection {
            Rejection::Handshake(_) => "handshake",
            Rejection::Duplicate => "duplicate",
            Rejection::InFlight { .. } => "in_flight",
            Rejection::HandlerTimedOut { .. } => "handler_timed_out",
            _ => "rejected",
        };
        span.record("outcome", outcome);
        match rejection {
            Rejection::Handshake(_) => {
                tracing::info!("provider handshake answered; handler not run, nothing recorded");
            }
            Rejection::Duplicate => {
                tracing::info!("duplicate of a completed delivery; handler not run");
            }
            Rejection::InFlight { retry_after } => {
                tracing::info!(
                    retry_after_ms = retry_after.as_millis() as u64,
                    "first attempt still in flight"
                );
            }
            Rejection::Unverified(error) => {
                span.record("reason", error.reason());
                tracing::warn!(reason = error.reason(), detail = %error, "webhook rejected");
            }
            Rejection::SourceNotAllowed { client } => {
                span.record("reason", rejection.reason());
                match client {
                    Some(client) => {
                        tracing::warn!(reason = rejection.reason(), %client, "webhook rejected: source not allowed")
                    }
                    None => tracing::warn!(
                        reason = rejection.reason(),
                        "webhook rejected: source unknown"
                    ),
                }
            }
            Rejection::HandlerTimedOut { .. } => {
                tracing::error!(
                    "the handler outlived its claim's lease, or could not start before it ended: cancelled, claim released (raise the lease or speed up the handler)"
                );
            }
            other => {
                span.record("reason", other.reason());
                tracing::warn!(reason = other.reason(), "webhook rejected");
            }
        }
        outcome
    }

    /// The handler panicked: logged with the panic's message. `claimed`:
    /// whether there is a claim to release (none when failing open).
    pub(crate) fn panicked(span: &Span, panic: &(dyn Any + Send), claimed: bool) {
        let _entered = span.enter();
        let message = panic
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(a panic payload that is not a string)");
        span.record("outcome", "handler_panicked");
        if claimed {
            tracing::error!(
                panic = message,
                "the handler panicked: releasing its claim, then answering 500 so the sender retries"
            );
        } else {
            tracing::error!(
                panic = message,
                "the handler panicked (no claim: failing open); answering 500 so the sender retries"
            );
        }
    }

    /// The store did not answer a claim in time.
    pub(crate) fn store_timed_out(span: &Span, key: &IdempotencyKey, timeout: Duration) {
        let _entered = span.enter();
        tracing::error!(key = %key, timeout_ms = timeout.as_millis() as u64, "idempotency store did not answer in time");
    }

    /// The store failed a claim; `failing_open`: the handler runs anyway.
    pub(crate) fn store_unavailable(
        span: &Span,
        key: &IdempotencyKey,
        error: &StoreError,
        failing_open: bool,
    ) {
        let _entered = span.enter();
        if failing_open {
            tracing::error!(%error, key = %key, "idempotency store unavailable; failing open as configured: the handler runs without a claim");
        } else {
            tracing::error!(%error, key = %key, "idempotency store unavailable");
        }
    }

    /// The handler's outcome (unless it gave none — cancelled, panicked,
    /// never called — recorded already), returned, and how its claim was
    /// finished.
    pub(crate) fn finished(
        span: &Span,
        succeeded: bool,
        unanswered: bool,
        finished: &Result<bool, StoreError>,
        key: &IdempotencyKey,
    ) -> Option<&'static str> {
        let _entered = span.enter();
        let outcome = (!unanswered).then_some(match (succeeded, finished) {
            (true, Ok(true)) => "accepted",
            // Answered 503: nothing recorded it.
            (true, _) => "unrecorded",
            (false, _) => "handler_failed",
        });
        if let Some(outcome) = outcome {
            span.record("outcome", outcome);
        }
        let action = if succeeded { "completed" } else { "released" };
        match finished {
            Ok(true) => tracing::info!(key = %key, claim = action, "claim finished"),
            Ok(false) if succeeded => tracing::error!(
                key = %key,
                claim = action,
                "the handler succeeded after its claim's lease had ended (did it block its thread?): not recorded, answered 503, and a retry may run it again (raise the lease, or move blocking work to spawn_blocking)"
            ),
            Ok(false) => tracing::warn!(
                key = %key,
                claim = action,
                "the claim's lease ended before it was released"
            ),
            Err(error) if succeeded => tracing::error!(
                key = %key,
                claim = action,
                %error,
                "the handler succeeded but the store could not record it before the lease ended: answered 503, and a retry will run the handler again"
            ),
            Err(error) => tracing::error!(
                key = %key,
                claim = action,
                %error,
                "could not release the claim; its lease will end it"
            ),
        }
        outcome
    }

    /// A provider that signs no timestamp, on a store that may lose
    /// records: only the record stops a captured delivery running again.
    pub(crate) fn replays_bounded_by_a_forgetful_store(provider: &str) {
        tracing::warn!(
            provider,
            "this provider signs no timestamp, so a captured delivery verifies forever and only its record stops it running again; this store may lose records (evicted when full, gone on restart): use a durable store such as RedisStore or PostgresStore"
        );
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::VerifyError;

    /// Everything logged at debug and up while `run` runs on this thread.
    fn logs_of(run: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Captured(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Captured {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .finish();
        tracing::subscriber::with_default(subscriber, run);
        String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
    }

    // One test: `tracing` caches per call site whether anyone listens, and
    // the other unit tests of this binary run without a subscriber.
    #[test]
    fn each_turn_is_logged_in_the_span_with_its_outcome_and_no_more() {
        let key = IdempotencyKey::new("acme", "evt_1");
        let logs = logs_of(|| {
            let rejected = OutcomeLog::span("acme");
            OutcomeLog::rejected(
                &rejected,
                &Rejection::Unverified(VerifyError::SignatureMismatch),
            );
            let panicked = OutcomeLog::span("acme");
            OutcomeLog::panicked(&panicked, &"boom", true);
            let unrecorded = OutcomeLog::span("acme");
            OutcomeLog::finished(&unrecorded, true, false, &Ok(false), &key);
            let accepted = OutcomeLog::span("acme");
            OutcomeLog::finished(&accepted, true, false, &Ok(true), &key);
        });
        let lines: Vec<&str> = logs.lines().collect();
        assert_eq!(lines.len(), 4, "{logs}");
        assert!(lines[0].contains("WARN") && lines[0].contains("reason=\"signature_mismatch\""));
        assert!(lines[1].contains("ERROR") && lines[1].contains("outcome=\"handler_panicked\""));
        assert!(lines[1].contains("panic=\"boom\""));
        assert!(lines[2].contains("ERROR") && lines[2].contains("outcome=\"unrecorded\""));
        assert!(lines[3].contains("INFO") && lines[3].contains("outcome=\"accepted\""));
        assert!(lines.iter().all(|line| line.contains("provider=\"acme\"")));
    }
}
