/// Why a [`Signer`](crate::Signer) could not sign a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The timestamp lies before 1970-01-01T00:00:00Z.
    #[error("the timestamp lies before the UNIX epoch")]
    TimestampBeforeEpoch,
    /// The scheme signs the event ID, and none was given.
    #[error("this scheme signs the event ID, so it must not be empty")]
    MissingId,
    /// A header value could not be encoded (cannot happen for the built-in
    /// schemes, nor for a generic scheme that `build` accepted).
    #[error("the `{name}` header could not be encoded")]
    Unencodable {
        /// The header.
        name: http::HeaderName,
    },
    /// The signer holds no key any of the scheme's header sets signs with
    /// (only public keys, or keys of another algorithm).
    #[error(
        "no key of this signer signs this scheme's signatures: a signer needs a secret or a private key"
    )]
    NoSigningKey,
    /// The scheme signs the request's URL or method: use
    /// [`Signer::sign_request`](crate::Signer::sign_request).
    #[error("this scheme signs the request's URL or method: sign with `sign_request`")]
    NeedsRequest,
    /// The URL's body digest (Twilio's `bodySHA256`) is not the body's.
    #[error("the URL's body digest is not the SHA-256 of the body")]
    BodyDigestMismatch,
    /// The form body cannot be signed as form parameters: it has more than
    /// a verifier reads, or one that is not UTF-8 once decoded. (Twilio:
    /// send a body that is not a form with its digest in the URL.)
    #[error(
        "the form body cannot be signed: too many parameters, or one that is not UTF-8 once decoded"
    )]
    MalformedForm,
    /// The event ID cannot travel in a header.
    #[error("the event ID must be visible ASCII of at most {max} bytes")]
    InvalidId {
        /// The longest ID accepted.
        max: usize,
    },
    /// The event ID holds a byte of the separator that follows it in the
    /// scheme's signed message (a `.` in a Standard Webhooks ID), so the
    /// signature would not pin where the ID ends and the body begins; a
    /// verifier refuses such an ID.
    #[error("the event ID must not contain the separator that follows it in the signed message")]
    AmbiguousId,
    /// The scheme signs in the body (Mailgun): use
    /// [`Signer::sign_into_body`](crate::Signer::sign_into_body), which
    /// writes the signature fields into a JSON body; or that method was
    /// called for a scheme that signs in headers, or with a body that is not
    /// a JSON object.
    #[error("{reason}")]
    BodyFields {
        /// What is wrong.
        reason: &'static str,
    },
    /// The URL of a `testing::TestDelivery` is not a
    /// URI (feature `test-util`).
    #[error("the URL is not a URI")]
    InvalidUrl,
    /// A private key failed to sign (its library reported an error): no
    /// header is written short of a signature.
    #[error("a private key failed to sign")]
    SigningFailed,
}
