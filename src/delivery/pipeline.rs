use std::any::Any;
use std::sync::{Arc, Once};
use std::time::{Duration, Instant, SystemTime};

use http::HeaderMap;
use http::header::CONTENT_LENGTH;
use tracing::Span;
use tracing::field::Empty;

use crate::delivery::{
    ClaimGuard, CollectedBody, ConfigError, NamespaceOwners, PendingClaim, Rejection,
};
use crate::idempotency::{Claim, IdempotencyKey, IdempotencyStore, StoreError};
use crate::{Verified, Verifier};

/// The delivery contract, framework-free: every face (the Tower layer, the
/// actix middleware) runs these steps in this order and maps their answers
/// the same way.
///
/// 1. [`check_declared_length`](Self::check_declared_length) before reading a byte;
/// 2. [`collect`](Self::collect) each chunk read;
/// 3. [`admit`](Self::admit): verify, and key the delivery;
/// 4. [`claim`](Self::claim) then [`decide`](Self::decide): run the handler
///    under a [`ClaimGuard`], or answer a duplicate, an attempt in flight, or
///    an unreachable store;
/// 5. after the handler, [`ClaimGuard::finish`] by its status.
///
/// Steps 4 and 5 are [`Dispatch`](crate::delivery::Dispatch), the same for
/// every face.
#[derive(Debug, Clone)]
pub(crate) struct Pipeline<S> {
    pub(crate) verifier: Verifier,
    pub(crate) store: S,
    pub(crate) namespace: Arc<str>,
    pub(crate) body_limit: usize,
    pub(crate) lease: Duration,
    pub(crate) retention: Duration,
    pub(crate) store_retry_after: Duration,
    pub(crate) store_timeout: Duration,
    /// Whether the store timeout was set, rather than derived from the lease.
    pub(crate) store_timeout_set: bool,
    pub(crate) fail_open: bool,
    /// Said once per layer: replays are bounded by records this store may
    /// lose.
    pub(crate) replay_warning: Arc<Once>,
}

/// What to do once the claim was answered.
pub(crate) enum Decision<S: IdempotencyStore> {
    /// Run the handler; `None` only when the store failed and the layer was
    /// told to fail open.
    Run(Option<ClaimGuard<S>>),
    /// Answer without running the handler.
    Answer(Rejection),
}

impl<S: IdempotencyStore> Pipeline<S> {
    /// A body of at most 1 MiB is read unless told otherwise.
    pub(crate) const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
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

    /// A pipeline with the defaults; the retention is raised to twice the
    /// verifier's tolerance, or the provider's retry window, if longer.
    pub(crate) fn new(verifier: Verifier, store: S) -> Self {
        let namespace = Arc::from(verifier.scheme().provider().name());
        let retention = Self::DEFAULT_RETENTION
            .max(verifier.tolerance().saturating_mul(2))
            .max(verifier.scheme().retry_window().unwrap_or_default());
        Self {
            verifier,
            store,
            namespace,
            body_limit: Self::DEFAULT_BODY_LIMIT,
            lease: Self::DEFAULT_LEASE,
            retention,
            store_retry_after: Self::DEFAULT_STORE_RETRY_AFTER,
            store_timeout: Self::DEFAULT_STORE_TIMEOUT,
            store_timeout_set: false,
            fail_open: false,
            replay_warning: Arc::new(Once::new()),
        }
    }

    pub(crate) fn with_store<T: IdempotencyStore>(self, store: T) -> Pipeline<T> {
        Pipeline {
            verifier: self.verifier,
            store,
            namespace: self.namespace,
            body_limit: self.body_limit,
            lease: self.lease,
            retention: self.retention,
            store_retry_after: self.store_retry_after,
            store_timeout: self.store_timeout,
            store_timeout_set: self.store_timeout_set,
            fail_open: self.fail_open,
            replay_warning: self.replay_warning,
        }
    }

    pub(crate) fn set_retention(&mut self, retention: Duration) -> Result<(), ConfigError> {
        ConfigError::check_retention(retention, self.verifier.scheme(), self.verifier.tolerance())?;
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

    /// Registers this guard's namespace in its store, once the guard is
    /// built (a `Layer::layer`, an actix `new_transform`).
    ///
    /// # Panics
    ///
    /// When a guard whose keys share none with this one's already claims
    /// under the same namespace of the same store (as axum panics on
    /// overlapping routes): their event IDs would collide, and one
    /// sender's genuine deliveries would be answered as duplicates of the
    /// other's. Give each guard its own `with_namespace`.
    pub(crate) fn register_namespace(&self) {
        let Some(store) = self.store.records_identity() else {
            return;
        };
        let keys = self.verifier.key_fingerprints();
        if let Err(taken) = NamespaceOwners::global().register(&store, &self.namespace, &keys) {
            panic!(
                "webhook-guard: two guards with unrelated keys claim under the namespace `{}` of one store, so each could swallow the other's deliveries as duplicates; give each guard its own `WebhookLayer::with_namespace(..)` (a tenant or route name)",
                taken.namespace
            );
        }
    }

    /// The span every log line of one delivery belongs to. It never records
    /// a secret or a full signature.
    pub(crate) fn span(&self) -> Span {
        tracing::info_span!(
            "webhook",
            provider = self.verifier.scheme().provider().name(),
            event_id = Empty,
            key_index = Empty,
            key = Empty,
            outcome = Empty,
            reason = Empty,
        )
    }

    /// Step 1: a declared `Content-Length` over the limit is refused before
    /// the body is read.
    pub(crate) fn check_declared_length(&self, headers: &HeaderMap) -> Result<(), Rejection> {
        let declared = headers
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse::<u64>().ok());
        match declared {
            Some(length) if length > self.body_limit as u64 => Err(self.too_large()),
            _ => Ok(()),
        }
    }

    /// Refuses a body length over the limit: a size hint before reading,
    /// or the length the next chunk would bring ([`collect`](Self::collect)).
    pub(crate) fn check_read_length(&self, read: usize) -> Result<(), Rejection> {
        if read > self.body_limit {
            return Err(self.too_large());
        }
        Ok(())
    }

    /// Step 2: keeps one chunk read from the body, or refuses the body the
    /// moment this chunk would take it over the limit (the chunk is not
    /// kept, and nothing more is read).
    pub(crate) fn collect(
        &self,
        collected: &mut CollectedBody,
        chunk: impl bytes::Buf,
    ) -> Result<(), Rejection> {
        self.check_read_length(collected.len().saturating_add(chunk.remaining()))?;
        collected.push(chunk);
        Ok(())
    }

    fn too_large(&self) -> Rejection {
        Rejection::BodyTooLarge {
            limit: self.body_limit,
        }
    }

    /// Step 3: verify against the clock, and key the delivery by its event
    /// ID where the signature covers it; otherwise (no ID, or an ID header
    /// the provider does not sign, as GitHub's and Shopify's) by the
    /// delivery's fingerprint, which a retry repeats and a replay cannot
    /// change.
    pub(crate) fn admit(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        span: &Span,
    ) -> Result<(Verified, IdempotencyKey), Rejection> {
        let verified = self
            .verifier
            .verify_at(headers, body, SystemTime::now())
            .map_err(Rejection::Unverified)?;
        self.warn_of_replays_bounded_by_a_forgetful_store();
        if let Some(event_id) = verified.event_id() {
            span.record("event_id", event_id);
        }
        span.record("key_index", verified.key_index());
        let key = match verified.event_id() {
            Some(event_id) if verified.event_id_is_signed() => {
                IdempotencyKey::new(&self.namespace, event_id)
            }
            _ => IdempotencyKey::from_fingerprint(&self.namespace, &verified.fingerprint()),
        };
        span.record("key", key.as_str());
        Ok((verified, key))
    }

    /// Warns, once, where nothing but a record this store may lose (evicted
    /// when full, gone with the process) stops a captured delivery from
    /// running again: a provider that signs no timestamp, on such a store.
    fn warn_of_replays_bounded_by_a_forgetful_store(&self) {
        if self.verifier.scheme().signs_timestamp() || !self.store.may_lose_records() {
            return;
        }
        self.replay_warning.call_once(|| {
            tracing::warn!(
                provider = self.verifier.scheme().provider().name(),
                "this provider signs no timestamp, so a captured delivery verifies forever and only its record stops it running again; this store may lose records (evicted when full, gone on restart): use a durable store such as RedisStore or PostgresStore"
            );
        });
    }

    /// Step 4: claim the key, only ever after [`admit`](Self::admit); the
    /// store has until the returned deadline to answer.
    ///
    /// The claim's lease is counted from now, the moment it is sent: the
    /// store starts it when it applies the claim, which is no earlier. So
    /// the last moment to act on the claim ([`PendingClaim::act_by`]:
    /// shortly before the lease ends, a tenth of it, at most a second) does
    /// not move later while the store or the handler's readiness is slow —
    /// a handler running past the lease could run alongside a retry.
    pub(crate) fn claim(&self, key: IdempotencyKey) -> (PendingClaim<S>, Instant) {
        let now = Instant::now();
        let margin = (self.lease / 10).min(Duration::from_secs(1));
        let act_by = now + self.lease.saturating_sub(margin);
        let claim = PendingClaim::new(self.store.clone(), key, self.lease, act_by);
        (claim, now + self.store_timeout)
    }

    /// The answer when the store takes longer than allowed to grant a claim.
    pub(crate) fn store_timed_out(&self, key: &IdempotencyKey, span: &Span) -> Rejection {
        let _entered = span.enter();
        tracing::error!(key = %key, timeout_ms = self.store_timeout.as_millis() as u64, "idempotency store did not answer in time");
        Rejection::StoreUnavailable {
            retry_after: self.store_retry_after,
        }
    }

    /// The answer when the handler succeeded but the store could not record
    /// it while the lease held: never a 2xx for an unrecorded delivery.
    pub(crate) fn unrecorded(&self) -> Rejection {
        Rejection::StoreUnavailable {
            retry_after: self.store_retry_after,
        }
    }

    /// The answer when the handler outlives its deadline (or its service is
    /// still not ready by then).
    pub(crate) fn handler_timed_out(&self) -> Rejection {
        Rejection::HandlerTimedOut {
            retry_after: self.store_retry_after,
        }
    }

    /// The answer when the handler panicked, logged with the panic's
    /// message at error level (the response carries none of it). `claimed`:
    /// whether there is a claim to release (there is none when failing
    /// open).
    pub(crate) fn handler_panicked(
        &self,
        span: &Span,
        panic: &(dyn Any + Send),
        claimed: bool,
    ) -> Rejection {
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
        Rejection::HandlerPanicked
    }

    /// Step 4, continued: the store's answer to `claim` decides.
    pub(crate) fn decide(
        &self,
        claim: &PendingClaim<S>,
        answer: Result<Claim, StoreError>,
        span: &Span,
    ) -> Decision<S> {
        let key = claim.key().clone();
        match answer {
            Ok(Claim::Acquired(token)) => Decision::Run(Some(ClaimGuard::new(
                self.store.clone(),
                key,
                token,
                self.retention,
                claim.act_by(),
                self.store_timeout,
            ))),
            Ok(Claim::Completed) => Decision::Answer(Rejection::Duplicate),
            Ok(Claim::InFlight { retry_after }) => {
                Decision::Answer(Rejection::InFlight { retry_after })
            }
            Err(error) if self.fail_open => {
                let _entered = span.enter();
                tracing::error!(%error, key = %key, "idempotency store unavailable; failing open as configured: the handler runs without a claim");
                Decision::Run(None)
            }
            Err(error) => {
                let _entered = span.enter();
                tracing::error!(%error, key = %key, "idempotency store unavailable");
                Decision::Answer(Rejection::StoreUnavailable {
                    retry_after: self.store_retry_after,
                })
            }
        }
    }

    /// Records a rejection on the span and logs why; the response says none
    /// of it.
    pub(crate) fn record_rejection(&self, span: &Span, rejection: &Rejection) {
        let _entered = span.enter();
        match rejection {
            Rejection::Duplicate => {
                span.record("outcome", "duplicate");
                tracing::info!("duplicate of a completed delivery; handler not run");
            }
            Rejection::InFlight { retry_after } => {
                span.record("outcome", "in_flight");
                tracing::info!(
                    retry_after_ms = retry_after.as_millis() as u64,
                    "first attempt still in flight"
                );
            }
            Rejection::Unverified(error) => {
                span.record("outcome", "rejected");
                span.record("reason", error.reason());
                tracing::warn!(reason = error.reason(), detail = %error, "webhook rejected");
            }
            Rejection::HandlerTimedOut { .. } => {
                span.record("outcome", "handler_timed_out");
                tracing::error!(
                    "the handler outlived its claim's lease: cancelled, claim released (raise the lease or speed up the handler)"
                );
            }
            other => {
                span.record("outcome", "rejected");
                span.record("reason", other.reason());
                tracing::warn!(reason = other.reason(), "webhook rejected");
            }
        }
    }

    /// Records the handler's outcome (unless it gave none: cancelled or
    /// panicked, recorded already) and how the claim was finished.
    pub(crate) fn record_finish(
        &self,
        span: &Span,
        succeeded: bool,
        unanswered: bool,
        finished: &Result<bool, StoreError>,
        key: &IdempotencyKey,
    ) {
        let _entered = span.enter();
        if !unanswered {
            let outcome = match (succeeded, finished) {
                (true, Ok(true)) => "accepted",
                // Answered 503: nothing recorded it.
                (true, _) => "unrecorded",
                (false, _) => "handler_failed",
            };
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
    }
}
