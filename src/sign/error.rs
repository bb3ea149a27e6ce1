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
}
