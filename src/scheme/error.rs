/// Why a [`GenericScheme`](crate::scheme::GenericScheme) could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemeError {
    /// The scheme has no name (the name is its idempotency namespace).
    #[error("a generic scheme needs a non-empty name")]
    MissingName,
    /// No signature header was named.
    #[error("a generic scheme needs a signature header")]
    MissingSignatureHeader,
    /// A header name is not a valid HTTP header name.
    #[error("`{name}` is not a valid header name")]
    InvalidHeaderName {
        /// The name as given.
        name: String,
    },
    /// A generic scheme's message names the method, the URL or the form
    /// parameters, which only built-in schemes sign for now.
    #[error(
        "a generic scheme signs literals, the ID, the timestamp and the body; the method, URL and form parameters only in built-in schemes for now"
    )]
    RequestPartUnsupported,
    /// The signed message must contain the body (or its CRC-32) exactly
    /// once.
    #[error("the signed message must contain the body (or its CRC-32) exactly once")]
    BodyNotSignedOnce,
    /// The message signs a timestamp, but no timestamp header was named.
    #[error("the signed message has a timestamp, but no timestamp header was named")]
    TimestampWithoutHeader,
    /// The message signs an event ID, but no ID header was named.
    #[error("the signed message has an event ID, but no ID header was named")]
    IdWithoutHeader,
    /// The prefix before the signature is not visible ASCII, so it cannot
    /// travel in a header.
    #[error("the signature prefix must be visible ASCII")]
    InvalidPrefix,
    /// Two variable parts of the signed message (ID, timestamp, body) touch
    /// without a literal between them, so bytes could move from one to the
    /// other without changing the signature.
    #[error(
        "the signed message needs a literal separator between the ID, the timestamp and the body"
    )]
    AmbiguousMessage,
    /// A timestamp header was named but is not part of the signed message:
    /// an unsigned timestamp proves nothing about freshness.
    #[error("the timestamp header is not part of the signed message, so it cannot prove freshness")]
    UnsignedTimestamp,
}
