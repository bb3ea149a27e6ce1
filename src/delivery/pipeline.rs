use std::any::Any;
use std::sync::{Arc, Once};
use std::time::{Instant, SystemTime};

use http::HeaderMap;
use tracing::Span;

use crate::Verified;
use crate::delivery::{
    ClaimGuard, ClaimTerms, CollectedBody, Deadline, DeliveryMetrics, FinishingClaim,
    NamespaceOwners, OutcomeLog, PendingClaim, Rejection, Reservation, Settings, SizeLimit,
    Started, UnverifiedBudget,
};
use crate::handshake::Handshake;
use crate::idempotency::{Claim, IdempotencyKey, IdempotencyStore, StoreError};
use crate::source::source_policy::{Connection, SourcePolicy};
use crate::verify::{RequestHead, VerifyRequest};

/// The delivery contract, framework-free: every face (the Tower layer, the
/// actix middleware) runs these steps in this order and maps their answers
/// the same way. Nothing of the body is read before step 1 has passed, and
/// nothing is claimed before step 3 has.
///
/// 0. [`check_source`](Self::check_source): the allowed sources and
///    required HTTPS (403), from the connection and the head alone;
/// 1. [`check_head`](Self::check_head): what the request's head alone
///    decides — the declared length (413), the signature, timestamp and ID
///    headers (400/401), room in the budget of unverified bytes (503);
/// 2. [`collect`](Self::collect) each chunk read, within the size limit
///    (413) and the budget (503), before [`body_deadline`](Self::body_deadline)
///    (408);
/// 3. [`admit`](Self::admit): verify, and key the delivery;
/// 4. [`claim`](Self::claim) then [`decide`](Self::decide): run the handler
///    under a [`ClaimGuard`], or answer a duplicate, an attempt in flight, or
///    an unreachable store;
/// 5. after the handler, [`ClaimGuard::finish`] by its status.
///
/// Steps 4 and 5 are [`Dispatch`](crate::delivery::Dispatch), the same for
/// every face. What each step logs is [`OutcomeLog`]'s.
#[derive(Debug, Clone)]
pub(crate) struct Pipeline<S> {
    /// The verify step: a [`Verifier`](crate::Verifier), or a check of the
    /// user's own.
    pub(crate) verifier: Arc<dyn VerifyRequest>,
    pub(crate) store: S,
    pub(crate) settings: Settings,
    /// Shared by every service this pipeline's layer makes.
    budget: UnverifiedBudget,
    /// Said once per layer: replays are bounded by records this store may
    /// lose.
    replay_warning: Arc<Once>,
    /// Held by every service of this guard: its namespace registration
    /// lapses once all of them are dropped.
    owner: Arc<()>,
    /// The provider's handshake the guard answers, if enabled.
    pub(crate) handshake: Option<Arc<Handshake>>,
    /// Who may deliver, and over what.
    pub(crate) source: Arc<SourcePolicy>,
    /// What is measured (feature `metrics`).
    metrics: DeliveryMetrics,
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
    /// A pipeline with the [`Settings`] defaults for `verifier`.
    pub(crate) fn new(verifier: impl VerifyRequest, store: S) -> Self {
        let settings = Settings::for_verifier(&verifier);
        let metrics = DeliveryMetrics::new(verifier.name());
        Self {
            budget: UnverifiedBudget::new(settings.unverified_bytes_limit),
            verifier: Arc::new(verifier),
            store,
            settings,
            replay_warning: Arc::new(Once::new()),
            owner: Arc::new(()),
            handshake: None,
            source: Arc::default(),
            metrics,
        }
    }

    pub(crate) fn with_store<T: IdempotencyStore>(self, store: T) -> Pipeline<T> {
        Pipeline {
            verifier: self.verifier,
            store,
            settings: self.settings,
            budget: self.budget,
            replay_warning: self.replay_warning,
            owner: self.owner,
            handshake: self.handshake,
            source: self.source,
            metrics: self.metrics,
        }
    }

    /// Caps the unverified bytes held at once (a new budget).
    pub(crate) fn set_unverified_bytes_limit(&mut self, bytes: usize) {
        self.settings.unverified_bytes_limit = bytes;
        self.renew_budget();
    }

    /// Sets the body limit; the budget holds at least one such body.
    pub(crate) fn set_body_limit(&mut self, bytes: usize) {
        self.settings.body_limit = bytes;
        self.renew_budget();
    }

    /// A budget of the configured size, or of one body if that is larger:
    /// a smaller one would answer every large enough delivery 503 forever.
    fn renew_budget(&mut self) {
        let settings = &self.settings;
        self.budget =
            UnverifiedBudget::new(settings.unverified_bytes_limit.max(settings.body_limit));
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
        // A check that cannot name its keys is known by itself: clones of
        // one layer share it; two checks under one namespace do not.
        let keys = self.verifier.key_fingerprints().unwrap_or_else(|| {
            let identity = Arc::as_ptr(&self.verifier).cast::<()>() as usize;
            vec![(identity as u64).to_le_bytes()]
        });
        let namespace = &self.settings.namespace;
        if let Err(taken) =
            NamespaceOwners::global().register(&store, namespace, &keys, &self.owner)
        {
            panic!(
                "webhook-guard: two guards with unrelated keys claim under the namespace `{}` of one store, so each could swallow the other's deliveries as duplicates; give each guard its own `WebhookLayer::with_namespace(..)` (a tenant or route name)",
                taken.namespace
            );
        }
    }

    /// The span of one delivery ([`OutcomeLog::span`]).
    pub(crate) fn span(&self) -> Span {
        OutcomeLog::span(self.verifier.name())
    }

    /// Step 1, before a byte of the body is read: a declared length or
    /// size hint (`hinted`, 0 if none) over the limit is refused (413); the
    /// headers must be able to verify (400/401: no signature of the checked
    /// version, a stale timestamp, a malformed ID); and the bytes the body
    /// declares must fit in the budget of unverified bytes (503). The
    /// reservation holds them until the body is verified or refused.
    pub(crate) fn check_head(
        &self,
        headers: &HeaderMap,
        hinted: usize,
    ) -> Result<Reservation, Rejection> {
        let limit = self.size_limit();
        limit.check_declared(headers)?;
        limit.check(hinted)?;
        self.verifier
            .check_headers_at(headers, SystemTime::now())
            .map_err(Rejection::Unverified)?;
        let declared = SizeLimit::declared(headers).unwrap_or(0);
        let expected = usize::try_from(declared).unwrap_or(usize::MAX).max(hinted);
        self.budget
            .reserve(expected)
            .ok_or_else(|| self.overloaded())
    }

    /// Step 0, first: a request from outside the allowed sources, or over
    /// plain HTTP where HTTPS is required, is refused (403) before anything
    /// else — a handshake included. Reads nothing unless one is set.
    /// `connection`: the peer's address, if known, and whether the
    /// connection is TLS — asked only when there is something to check.
    pub(crate) fn check_source(
        &self,
        connection: impl FnOnce() -> (Option<std::net::SocketAddr>, bool),
        headers: &HeaderMap,
    ) -> Result<(), Rejection> {
        if !self.source.is_active() {
            return Ok(());
        }
        let (peer, tls) = connection();
        self.source.check(Connection { peer, tls }, headers)
    }

    /// The source policy, to change while the layer is being built.
    pub(crate) fn source_mut(&mut self) -> &mut SourcePolicy {
        Arc::make_mut(&mut self.source)
    }

    /// Step 0, for an unsigned handshake: answered from the head alone
    /// (nothing of the body is read), or `None` for a delivery.
    pub(crate) fn answer_handshake_head(&self, head: RequestHead<'_>) -> Option<Rejection> {
        let handshake = self.handshake.as_deref()?;
        Some(match handshake.answer_head(head)? {
            Ok(reply) => Rejection::Handshake(reply),
            Err(error) => Rejection::Unverified(error),
        })
    }

    /// A body buffer for a request with these headers: room for the
    /// declared length, so a body in many chunks is joined without growing.
    pub(crate) fn body_buffer(&self, headers: &HeaderMap) -> CollectedBody {
        let declared = SizeLimit::declared(headers)
            .and_then(|length| usize::try_from(length).ok())
            .filter(|length| *length <= self.settings.body_limit);
        CollectedBody::expecting(declared.unwrap_or(0))
    }

    /// Step 2, while reading: when the whole body must have arrived (408
    /// after it, and nothing is claimed), counted from the first read that
    /// has to wait, so a body that is already whole reads no clock.
    pub(crate) fn body_deadline(&self) -> Deadline {
        Deadline::after_first_wait(self.settings.body_timeout)
    }

    /// Step 2: keeps one chunk read from the body, or refuses the body the
    /// moment this chunk would take it over the limit (413) or past the
    /// budget (503). A refused chunk is not kept, and nothing more is read.
    pub(crate) fn collect(
        &self,
        collected: &mut CollectedBody,
        reservation: &mut Reservation,
        chunk: impl bytes::Buf,
    ) -> Result<(), Rejection> {
        let length = collected.len().saturating_add(chunk.remaining());
        self.size_limit().check(length)?;
        if !reservation.grow_to(length) {
            return Err(self.overloaded());
        }
        collected.push(chunk);
        Ok(())
    }

    fn size_limit(&self) -> SizeLimit {
        SizeLimit(self.settings.body_limit)
    }

    fn overloaded(&self) -> Rejection {
        Rejection::Overloaded {
            retry_after: self.settings.store_retry_after,
        }
    }

    /// Step 3: verify against the clock, and key the delivery by its event
    /// ID where the signature covers it; otherwise (no ID, or an ID header
    /// the provider does not sign, as GitHub's and Shopify's) by the
    /// delivery's fingerprint, which a retry repeats and a replay cannot
    /// change.
    pub(crate) fn admit(
        &self,
        head: RequestHead<'_>,
        body: &[u8],
        span: &Span,
    ) -> Result<(Verified, IdempotencyKey), Rejection> {
        let (started, now) = (Started::now(), SystemTime::now());
        let verified = self
            .verifier
            .verify_request_at(head, body, now)
            .map_err(Rejection::Unverified)?;
        self.metrics.verified(started, body.len(), &verified, now);
        // A signed handshake: answered once authentic, never claimed.
        if let Some(reply) = self
            .handshake
            .as_deref()
            .and_then(|handshake| handshake.answer_verified(head, body))
        {
            return Err(Rejection::Handshake(reply));
        }
        self.warn_of_replays_bounded_by_a_forgetful_store();
        if let Some(event_id) = verified.event_id() {
            span.record("event_id", event_id);
        }
        span.record("key_index", verified.key_index());
        let namespace = &self.settings.namespace;
        let key = match verified.event_id() {
            Some(event_id) if verified.event_id_is_signed() => {
                IdempotencyKey::new(namespace, event_id)
            }
            _ => IdempotencyKey::from_fingerprint(namespace, &verified.fingerprint()),
        };
        span.record("key", key.as_str());
        Ok((verified, key))
    }

    /// Warns, once, where nothing but a record this store may lose (evicted
    /// when full, gone with the process) stops a captured delivery from
    /// running again: a provider that signs no timestamp, on such a store.
    fn warn_of_replays_bounded_by_a_forgetful_store(&self) {
        if self.verifier.replay_window().is_some() || !self.store.may_lose_records() {
            return;
        }
        self.replay_warning.call_once(|| {
            OutcomeLog::replays_bounded_by_a_forgetful_store(self.verifier.name());
        });
    }

    /// Step 4: claim the key, only ever after [`admit`](Self::admit), on
    /// [`ClaimTerms`] counted from now, the moment it is sent; the store has
    /// until the returned deadline to answer.
    pub(crate) fn claim(&self, key: IdempotencyKey) -> (PendingClaim<S>, Instant) {
        let sent = Instant::now();
        let terms = ClaimTerms::new(&self.settings, sent);
        let answer_by = terms.answer_by(sent);
        (PendingClaim::new(self.store.clone(), key, terms), answer_by)
    }

    /// Step 4, continued: the store's answer to `claim` decides.
    pub(crate) fn decide(
        &self,
        claim: &PendingClaim<S>,
        answer: Result<Claim, StoreError>,
        span: &Span,
    ) -> Decision<S> {
        let key = claim.key().clone();
        self.metrics.store_answered("claim", claim.terms().sent);
        match answer {
            Ok(Claim::Acquired(token)) => Decision::Run(Some(ClaimGuard::new(
                self.store.clone(),
                key,
                token,
                *claim.terms(),
            ))),
            Ok(Claim::Completed) => Decision::Answer(Rejection::Duplicate),
            Ok(Claim::InFlight { retry_after }) => {
                Decision::Answer(Rejection::InFlight { retry_after })
            }
            Err(error) => {
                self.metrics.store_failed("claim");
                let fail_open = self.settings.fail_open;
                OutcomeLog::store_unavailable(span, &key, &error, fail_open);
                if fail_open {
                    Decision::Run(None)
                } else {
                    Decision::Answer(self.store_unavailable())
                }
            }
        }
    }

    /// The answer when the store takes longer than allowed to grant a claim.
    pub(crate) fn store_timed_out(&self, key: &IdempotencyKey, span: &Span) -> Rejection {
        OutcomeLog::store_timed_out(span, key, self.settings.store_timeout);
        self.metrics.store_failed("claim");
        self.store_unavailable()
    }

    fn store_unavailable(&self) -> Rejection {
        Rejection::StoreUnavailable {
            retry_after: self.settings.store_retry_after,
        }
    }

    /// The answer when the handler succeeded but the store did not record
    /// it under its claim: never a 2xx for an unrecorded delivery.
    pub(crate) fn unrecorded(&self) -> Rejection {
        self.store_unavailable()
    }

    /// The answer when the handler outlives its deadline, or could not be
    /// called before it.
    pub(crate) fn handler_timed_out(&self) -> Rejection {
        Rejection::HandlerTimedOut {
            retry_after: self.settings.store_retry_after,
        }
    }

    /// The answer when the handler panicked, logged with the panic's
    /// message (the response carries none of it). `claimed`: whether there
    /// is a claim to release (none when failing open).
    pub(crate) fn handler_panicked(
        &self,
        span: &Span,
        panic: &(dyn Any + Send),
        claimed: bool,
    ) -> Rejection {
        OutcomeLog::panicked(span, panic, claimed);
        self.metrics.delivered("handler_panicked");
        Rejection::HandlerPanicked
    }

    /// Records a rejection on the span and logs why ([`OutcomeLog::rejected`]).
    /// Counted too: the delivery's outcome, and a refusal's reason.
    pub(crate) fn record_rejection(&self, span: &Span, rejection: &Rejection) {
        let outcome = OutcomeLog::rejected(span, rejection);
        self.metrics.delivered(outcome);
        if outcome == "rejected" {
            self.metrics.rejected(rejection.reason());
        }
    }

    /// Records how the handler and its claim ended
    /// ([`OutcomeLog::finished`]); `unanswered`: the handler gave no answer
    /// (cancelled, panicked, never called: its outcome is recorded
    /// already). Counted too: the outcome, the handler's time, and the
    /// store command that finished the claim.
    pub(crate) fn record_finish(
        &self,
        span: &Span,
        unanswered: bool,
        finished: &Result<bool, StoreError>,
        finishing: &FinishingClaim<S>,
    ) {
        let guard = finishing.guard();
        let succeeded = guard.succeeded();
        let outcome = OutcomeLog::finished(span, succeeded, unanswered, finished, guard.key());
        let operation = if succeeded { "complete" } else { "release" };
        self.metrics.store_answered(operation, finishing.started());
        if finished.is_err() {
            self.metrics.store_failed(operation);
        }
        if let Some(outcome) = outcome {
            self.metrics.delivered(outcome);
            self.metrics.handled(guard.granted(), finishing.started());
        }
    }

    /// Records a handler that ran without a claim (failing open).
    pub(crate) fn record_unclaimed_finish(&self, span: &Span, succeeded: bool) {
        let outcome = if succeeded {
            "accepted_without_claim"
        } else {
            "handler_failed"
        };
        span.record("outcome", outcome);
        self.metrics.delivered(outcome);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bytes::Bytes;
    use http::header::CONTENT_LENGTH;

    use super::*;
    use crate::idempotency::MemoryStore;
    use crate::{Signer, Verifier};

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn pipeline() -> Pipeline<MemoryStore> {
        Pipeline::new(
            Verifier::standard_webhooks(SECRET).unwrap(),
            MemoryStore::new(),
        )
    }

    fn signed(body: &[u8]) -> HeaderMap {
        let mut headers = Signer::standard_webhooks(SECRET)
            .unwrap()
            .sign("evt_1", SystemTime::now(), body)
            .unwrap();
        headers.insert(CONTENT_LENGTH, body.len().into());
        headers
    }

    #[test]
    fn the_head_decides_before_any_body_byte() {
        let pipeline = pipeline();
        let mut unsigned = HeaderMap::new();
        unsigned.insert(CONTENT_LENGTH, 10.into());
        assert_eq!(pipeline.check_head(&unsigned, 0).unwrap_err().status(), 400);
        let mut stale = Signer::standard_webhooks(SECRET)
            .unwrap()
            .sign(
                "evt_1",
                SystemTime::now() - Duration::from_secs(3600),
                b"{}",
            )
            .unwrap();
        assert_eq!(pipeline.check_head(&stale, 0).unwrap_err().status(), 401);
        stale.insert(CONTENT_LENGTH, (2 * 1024 * 1024).into());
        assert_eq!(
            pipeline.check_head(&stale, 0).unwrap_err().status(),
            413,
            "the declared length is checked first"
        );
        assert!(pipeline.check_head(&signed(b"{}"), 0).is_ok());
    }

    #[test]
    fn the_budget_holds_declared_and_streamed_bytes_until_they_are_let_go() {
        let mut pipeline = pipeline();
        pipeline.set_unverified_bytes_limit(100);
        pipeline.set_body_limit(100);
        let body = [b'x'; 60];
        let first = pipeline.check_head(&signed(&body), 0).unwrap();
        let refused = pipeline.check_head(&signed(&body), 0).unwrap_err();
        assert_eq!(refused.status(), 503);
        assert!(refused.retry_after().is_some());

        // Streamed without a declared length beside it: reserved as it
        // comes, refused at the chunk that would cross what is left.
        let mut headers = signed(&body);
        headers.remove(CONTENT_LENGTH);
        let mut reservation = pipeline.check_head(&headers, 0).unwrap();
        let mut collected = pipeline.body_buffer(&headers);
        let chunk = Bytes::from_static(&[b'y'; 30]);
        pipeline
            .collect(&mut collected, &mut reservation, chunk.clone())
            .unwrap();
        let crossing = pipeline.collect(&mut collected, &mut reservation, chunk.clone());
        assert_eq!(crossing.unwrap_err().status(), 503);
        assert_eq!(collected.len(), 30);

        // Let go, the bytes are free again.
        drop((first, reservation));
        assert!(pipeline.check_head(&signed(&[b'z'; 100]), 0).is_ok());
    }

    #[test]
    fn the_budget_always_holds_one_body() {
        let mut pipeline = pipeline();
        pipeline.set_unverified_bytes_limit(10);
        let body = [b'x'; 1000];
        assert!(pipeline.check_head(&signed(&body), 0).is_ok());
        pipeline.set_body_limit(500);
        assert_eq!(
            pipeline.check_head(&signed(&body), 0).unwrap_err().status(),
            413
        );
    }

    #[test]
    fn a_verified_delivery_is_keyed_in_its_namespace() {
        let pipeline = pipeline();
        let body = br#"{"id":"evt_1"}"#;
        let headers = signed(body);
        let (method, uri) = (http::Method::POST, http::Uri::from_static("/"));
        let head = RequestHead::new(&method, &uri, &headers);
        let (verified, key) = pipeline.admit(head, body, &Span::none()).unwrap();
        assert_eq!(verified.event_id(), Some("evt_1"));
        assert_eq!(key.as_str(), "standard:evt_1");
        assert_eq!(
            pipeline
                .admit(head, b"{}", &Span::none())
                .unwrap_err()
                .status(),
            401
        );
    }

    /// A check of the user's own that accepts any head and keys by an ID
    /// in the body's first line.
    #[derive(Debug)]
    struct FirstLine;

    impl VerifyRequest for FirstLine {
        fn name(&self) -> &str {
            "first-line"
        }

        fn check_headers_at(
            &self,
            headers: &HeaderMap,
            _: SystemTime,
        ) -> Result<(), crate::VerifyError> {
            match headers.get("x-token") {
                Some(token) if token == "open sesame" => Ok(()),
                _ => Err(crate::VerifyError::SignatureMismatch),
            }
        }

        fn verify_request_at(
            &self,
            head: RequestHead<'_>,
            body: &[u8],
            now: SystemTime,
        ) -> Result<Verified, crate::VerifyError> {
            self.check_headers_at(head.headers(), now)?;
            let line = body.split(|byte| *byte == b'\n').next().unwrap_or_default();
            Verified::by_signed_event_id("first-line", &String::from_utf8_lossy(line))
        }

        fn replay_window(&self) -> Option<std::time::Duration> {
            None
        }
    }

    #[test]
    fn a_check_of_the_users_own_decides_the_head_and_the_key() {
        let pipeline = Pipeline::new(FirstLine, MemoryStore::new());
        assert_eq!(&*pipeline.settings.namespace, "first-line");
        let mut headers = HeaderMap::new();
        assert_eq!(pipeline.check_head(&headers, 0).unwrap_err().status(), 401);
        headers.insert("x-token", "open sesame".parse().unwrap());
        assert!(pipeline.check_head(&headers, 0).is_ok());

        let (method, uri) = (http::Method::POST, http::Uri::from_static("/"));
        let head = RequestHead::new(&method, &uri, &headers);
        let (verified, key) = pipeline.admit(head, b"evt_9\nrest", &Span::none()).unwrap();
        assert_eq!(verified.provider().name(), "first-line");
        assert_eq!(key.as_str(), "first-line:evt_9");
        let refused = pipeline.admit(head, b"\nno id", &Span::none()).unwrap_err();
        assert_eq!(refused.status(), 400, "an empty ID cannot key a delivery");
    }

    #[test]
    fn two_checks_of_the_users_own_may_not_share_a_namespace_of_one_store() {
        let store = MemoryStore::new();
        let first = Pipeline::new(FirstLine, store.clone());
        first.register_namespace();
        // The layers cloned from one guard share its check.
        first.clone().register_namespace();
        let second = Pipeline::new(FirstLine, store.clone());
        let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            second.register_namespace();
        }));
        assert!(
            refused.is_err(),
            "one sender's events would swallow the other's"
        );
        // Under a namespace of its own it may.
        let mut third = Pipeline::new(FirstLine, store);
        third.settings.namespace = "tenant-b".into();
        third.register_namespace();
    }
}
