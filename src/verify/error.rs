use http::{HeaderName, StatusCode};

/// Why a request was not accepted as authentic and fresh.
///
/// The variants are precise, for logs and for the CLI. They never contain a
/// secret or a computed signature. What the *client* is told is decided by
/// [`status`](VerifyError::status) alone: 400 for a request that is malformed
/// or lacks what the scheme needs, 401 for one that is well-formed but not
/// authentic or not fresh — never which check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A header the scheme needs is absent.
    #[error("missing `{name}` header")]
    MissingHeader {
        /// The header that is missing.
        name: HeaderName,
    },
    /// A header the scheme reads appears more than once, so which one was
    /// signed is ambiguous.
    #[error("`{name}` header appears more than once")]
    DuplicateHeader {
        /// The repeated header.
        name: HeaderName,
    },
    /// A header is not visible ASCII, is too long, is empty, or does not have
    /// the scheme's shape.
    #[error("malformed `{name}` header: {reason}")]
    MalformedHeader {
        /// The malformed header.
        name: HeaderName,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signed timestamp is not a plain decimal UNIX timestamp.
    #[error("the timestamp in `{name}` is not a plain UNIX timestamp")]
    MalformedTimestamp {
        /// The header the timestamp came from.
        name: HeaderName,
    },
    /// A signature of the checked version is not valid hex/base64, or does not
    /// decode to the algorithm's tag length.
    #[error("a signature in `{name}` is not correctly encoded or has the wrong length")]
    MalformedSignature {
        /// The signature header.
        name: HeaderName,
    },
    /// The signature header has more entries than
    /// [`MAX_SIGNATURES`](crate::limits::MAX_SIGNATURES).
    #[error("`{name}` has more than {max} signature entries")]
    TooManySignatures {
        /// The signature header.
        name: HeaderName,
        /// The limit.
        max: usize,
    },
    /// The signature header is well-formed but has no entry of the version
    /// this scheme checks (a Stripe header with only `v0`, say).
    #[error("`{name}` has no signature of a supported version")]
    NoSupportedSignature {
        /// The signature header.
        name: HeaderName,
    },
    /// The signed timestamp is older than the tolerance allows.
    #[error("the timestamp is {age_secs} s old, beyond the tolerance of {tolerance_secs} s")]
    TimestampExpired {
        /// How old the timestamp is, in whole seconds.
        age_secs: u64,
        /// The verifier's tolerance, in whole seconds.
        tolerance_secs: u64,
    },
    /// The signed timestamp is further in the future than the tolerance allows.
    #[error(
        "the timestamp is {ahead_secs} s in the future, beyond the tolerance of {tolerance_secs} s"
    )]
    TimestampInFuture {
        /// How far ahead the timestamp is, in whole seconds.
        ahead_secs: u64,
        /// The verifier's tolerance, in whole seconds.
        tolerance_secs: u64,
    },
    /// No key matches any signature the request carries.
    #[error("no key matches any signature")]
    SignatureMismatch,
    /// The key the request names is not one to trust now: a certificate
    /// outside its validity period, or one not resolved (PayPal's
    /// `PAYPAL-CERT-URL`). Answered as a forgery is (401).
    #[error("untrusted key: {reason}")]
    UntrustedKey {
        /// Why.
        reason: &'static str,
    },
    /// The body cannot be read the way the scheme signs it (more form
    /// parameters than [`MAX_FORM_PARAMETERS`](crate::limits::MAX_FORM_PARAMETERS)).
    #[error("the body is malformed: {reason}")]
    MalformedBody {
        /// What is wrong.
        reason: &'static str,
    },
    /// The event ID a check of your own reported cannot key a delivery:
    /// empty, too long or holding a control character (see
    /// [`Verified::by_signed_event_id`](crate::Verified::by_signed_event_id)).
    #[error("malformed event ID: {reason}")]
    MalformedEventId {
        /// What is wrong.
        reason: &'static str,
    },
    /// The scheme signs the request's URL or method, and the caller gave
    /// only headers: use [`Verifier::verify_request_at`](crate::Verifier::verify_request_at).
    /// A server-side mistake (500), never the sender's.
    #[error(
        "this scheme signs the request's URL or method: verify with `verify_request_at`, which takes the request head"
    )]
    NeedsRequest,
    /// The scheme signs the URL the sender requested, and the verifier
    /// cannot know it: the request's URI is not absolute, and neither
    /// [`with_public_url`](crate::Verifier::with_public_url) nor
    /// [`with_forwarded_headers`](crate::Verifier::with_forwarded_headers)
    /// was configured. A server-side mistake (500).
    #[error(
        "the URL the sender signed is unknown: configure the verifier `with_public_url` (or `with_forwarded_headers` behind a trusted proxy)"
    )]
    UnknownUrl,
}

impl VerifyError {
    /// The one mapping from rejection to HTTP status: 400 when the request is
    /// malformed or lacks what the scheme needs, 401 when it is well-formed
    /// but its signature does not match or its timestamp is out of tolerance,
    /// 500 when the verifier was not given what the scheme needs (the
    /// request head, the public URL): the server's mistake, not the sender's.
    ///
    /// ```
    /// use http::StatusCode;
    /// use webhook_guard::VerifyError;
    ///
    /// assert_eq!(VerifyError::SignatureMismatch.status(), StatusCode::UNAUTHORIZED);
    /// ```
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MissingHeader { .. }
            | Self::DuplicateHeader { .. }
            | Self::MalformedHeader { .. }
            | Self::MalformedTimestamp { .. }
            | Self::MalformedSignature { .. }
            | Self::TooManySignatures { .. }
            | Self::NoSupportedSignature { .. }
            | Self::MalformedBody { .. }
            | Self::MalformedEventId { .. } => StatusCode::BAD_REQUEST,
            Self::TimestampExpired { .. }
            | Self::TimestampInFuture { .. }
            | Self::SignatureMismatch
            | Self::UntrustedKey { .. } => StatusCode::UNAUTHORIZED,
            Self::NeedsRequest | Self::UnknownUrl => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable `snake_case` code for logs and metrics, such as
    /// `signature_mismatch` or `timestamp_out_of_tolerance` (both directions).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingHeader { .. } => "missing_header",
            Self::DuplicateHeader { .. } => "duplicate_header",
            Self::MalformedHeader { .. } => "malformed_header",
            Self::MalformedTimestamp { .. } => "malformed_timestamp",
            Self::MalformedSignature { .. } => "malformed_signature",
            Self::TooManySignatures { .. } => "too_many_signatures",
            Self::NoSupportedSignature { .. } => "no_supported_signature",
            Self::TimestampExpired { .. } | Self::TimestampInFuture { .. } => {
                "timestamp_out_of_tolerance"
            }
            Self::SignatureMismatch => "signature_mismatch",
            Self::UntrustedKey { .. } => "untrusted_key",
            Self::MalformedBody { .. } => "malformed_body",
            Self::MalformedEventId { .. } => "malformed_event_id",
            Self::NeedsRequest => "needs_request",
            Self::UnknownUrl => "unknown_url",
        }
    }
}
