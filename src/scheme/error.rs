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
    /// Both an ID header and an ID body field were named: the event ID has
    /// one source.
    #[error("the event ID comes from a header or from a body field, not both")]
    TwoIdSources,
    /// The body field named for the event ID is empty, longer than
    /// [`MAX_EVENT_ID_LEN`](crate::limits::MAX_EVENT_ID_LEN), or holds a
    /// `.` (only top-level fields are read; a dotted path is not).
    #[error(
        "`{name}` cannot name the event ID's body field: a top-level field name, non-empty, without `.`"
    )]
    InvalidIdField {
        /// The name as given.
        name: String,
    },
    /// The message signs [`MessagePart::Id`](crate::scheme::MessagePart::Id),
    /// which is the ID header's value, but the ID comes from a body field:
    /// the body is signed already, and the ID with it.
    #[error(
        "the signed message has an event ID, but the ID comes from a body field, which is signed with the body"
    )]
    BodyIdInMessage,
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
    /// The message signs the body's CRC-32 instead of the body, but no
    /// signed event-ID header: a CRC is no MAC, so without a signed ID a
    /// body forged to the same CRC would pass for the genuine one.
    #[error("a message that signs the body's CRC-32 must sign an event-ID header too")]
    CrcWithoutSignedId,
    /// A shared-token scheme names no event ID (header or body field): the
    /// token is the same in every request, so only the sender's ID can
    /// tell two events with the same body apart.
    #[error("a shared-token scheme needs the sender's event ID: name its header or body field")]
    TokenWithoutId,
    /// A PayPal webhook ID that is empty, longer than 64 bytes, or holds
    /// anything but ASCII letters, digits, `-` and `_`.
    #[error("a PayPal webhook ID is 1 to 64 ASCII letters, digits, `-` or `_`")]
    InvalidWebhookId,
}
