use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName};

use crate::verify::{RequestHead, Verified, VerifyError};

/// The verify step of a guard: what `WebhookLayer` (feature `tower`) asks
/// before it lets a delivery claim anything.
///
/// [`Verifier`](crate::Verifier) implements it for every scheme the crate
/// describes. Implement it yourself for a check the crate does not ship (a
/// sender of your own, a signature over something no [`Scheme`] can say)
/// and the guard keeps its whole contract around it: the body bounded and
/// read only once [`check_headers_at`](Self::check_headers_at) has passed,
/// the delivery claimed by the key your [`Verified`] names, one attempt at
/// a time, duplicates answered without running the handler, leases,
/// releases on failure, and the same statuses.
///
/// What the guard relies on:
///
/// * **Fail closed.** Return `Ok` only for a request you have
///   authenticated. Errors map to statuses by
///   [`VerifyError::status`] (use [`VerifyError::SignatureMismatch`] for a
///   forgery, [`VerifyError::MalformedHeader`] for what cannot be read);
///   the response never says which, the log does.
/// * **The key.** [`Verified::by_signed_event_id`] keys the delivery by an
///   event ID your check authenticated; [`Verified::by_fingerprint_of`] by
///   bytes that every retry of the delivery repeats and nobody without the
///   key can vary (the signed message, or a signature that is a
///   deterministic function of it — not a randomized one such as ECDSA's).
/// * **Pure and quick.** Both methods run on the request's task: no I/O, no
///   blocking. The clock is passed in.
///
/// [`Scheme`]: crate::Scheme
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use subtle::ConstantTimeEq as _;
/// use webhook_guard::verify::{RequestHead, VerifyRequest};
/// use webhook_guard::{Verified, VerifyError};
///
/// /// A sender that puts a shared token in `X-Token` and its event ID in
/// /// `X-Event` (a token proves only who sent it, not what: the event ID
/// /// is authenticated by nothing but the channel, so it is trusted as the
/// /// key only because the token is secret and TLS protects both).
/// #[derive(Debug)]
/// struct TokenCheck {
///     token: Vec<u8>,
/// }
///
/// impl VerifyRequest for TokenCheck {
///     fn name(&self) -> &str {
///         "acme"
///     }
///
///     fn check_headers_at(&self, headers: &http::HeaderMap, _now: SystemTime) -> Result<(), VerifyError> {
///         use sha2::Digest as _;
///         let token = headers.get("x-token").ok_or(VerifyError::MissingHeader {
///             name: http::HeaderName::from_static("x-token"),
///         })?;
///         // Compared by digest, in constant time: not even the length shows.
///         let (received, expected) = (sha2::Sha256::digest(token.as_bytes()), sha2::Sha256::digest(&self.token));
///         if bool::from(received.as_slice().ct_eq(expected.as_slice())) {
///             Ok(())
///         } else {
///             Err(VerifyError::SignatureMismatch)
///         }
///     }
///
///     fn verify_request_at(&self, head: RequestHead<'_>, _body: &[u8], now: SystemTime) -> Result<Verified, VerifyError> {
///         self.check_headers_at(head.headers(), now)?;
///         let event = head.headers().get("x-event").and_then(|v| v.to_str().ok());
///         let event = event.ok_or(VerifyError::MissingHeader {
///             name: http::HeaderName::from_static("x-event"),
///         })?;
///         Verified::by_signed_event_id("acme", event)
///     }
///
///     fn replay_window(&self) -> Option<Duration> {
///         None // nothing expires a captured request: only its record stops it
///     }
/// }
///
/// # #[cfg(feature = "tower")] {
/// let layer = webhook_guard::WebhookLayer::new(TokenCheck { token: b"s3cr3t".to_vec() });
/// # let _ = layer;
/// # }
/// ```
pub trait VerifyRequest: fmt::Debug + Send + Sync + 'static {
    /// A short, stable name for logs and spans, and the default idempotency
    /// namespace.
    fn name(&self) -> &str;

    /// What the headers alone decide, as if the clock read `now`: the guard
    /// runs it before it reads a byte of the body, so a request refused
    /// here costs no upload. The default accepts every request (its body is
    /// then read, within the guard's limits, before
    /// [`verify_request_at`](Self::verify_request_at) decides).
    fn check_headers_at(&self, headers: &HeaderMap, now: SystemTime) -> Result<(), VerifyError> {
        let _ = (headers, now);
        Ok(())
    }

    /// Verifies the whole request, given its head and exact raw body, as
    /// if the clock read `now`.
    fn verify_request_at(
        &self,
        head: RequestHead<'_>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError>;

    /// How long a captured delivery keeps verifying: the tolerance of a
    /// signed timestamp, or `None` if nothing makes it expire. The guard
    /// keeps records at least twice as long, and where it is `None`
    /// refuses a retention shorter than the
    /// [`retry_window`](Self::retry_window) and warns of a store that may
    /// lose records.
    fn replay_window(&self) -> Option<Duration>;

    /// How long the sender retries a delivery, if known: records are kept
    /// at least this long.
    fn retry_window(&self) -> Option<Duration> {
        None
    }

    /// The headers this check reads, if it can name them: actix-web's
    /// headers are converted to `http` ones, and only these cross. The
    /// default, `None`, converts every header.
    fn header_names(&self) -> Option<Vec<HeaderName>> {
        None
    }

    /// Whether this check reads the request's method or URI. actix-web's
    /// are converted only when it does; the default is `true`.
    fn reads_request_target(&self) -> bool {
        true
    }

    /// Short fingerprints of the keys this check accepts, revealing nothing
    /// of them, for the namespace check of a shared store: two guards in
    /// one process claiming under one namespace of one store must share a
    /// key, or building the second panics. The default, `None`, makes the
    /// check instance its own key: the layers cloned from one guard share
    /// it, two guards built from two checks do not (give each its own
    /// namespace, or name the keys here).
    fn key_fingerprints(&self) -> Option<Vec<[u8; 8]>> {
        None
    }
}

impl VerifyRequest for crate::Verifier {
    fn name(&self) -> &str {
        self.scheme().provider().name()
    }

    fn check_headers_at(&self, headers: &HeaderMap, now: SystemTime) -> Result<(), VerifyError> {
        crate::Verifier::check_headers_at(self, headers, now)
    }

    fn verify_request_at(
        &self,
        head: RequestHead<'_>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        crate::Verifier::verify_request_at(self, head, body, now)
    }

    fn replay_window(&self) -> Option<Duration> {
        (self.scheme().signs_timestamp() || self.scheme().body_timestamp_field().is_some())
            .then(|| self.tolerance())
    }

    fn retry_window(&self) -> Option<Duration> {
        self.scheme().retry_window()
    }

    fn header_names(&self) -> Option<Vec<HeaderName>> {
        let mut names = self.scheme().header_names();
        if self.scheme().signs_url() {
            // What a verifier trusting forwarding headers rebuilds the URL from.
            names.extend([
                http::header::HOST,
                http::header::FORWARDED,
                HeaderName::from_static("x-forwarded-proto"),
                HeaderName::from_static("x-forwarded-host"),
            ]);
        }
        Some(names)
    }

    fn reads_request_target(&self) -> bool {
        self.scheme().signs_request()
    }

    fn key_fingerprints(&self) -> Option<Vec<[u8; 8]>> {
        Some(crate::Verifier::key_fingerprints(self))
    }
}
