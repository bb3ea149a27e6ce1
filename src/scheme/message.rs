use std::borrow::Cow;

/// One piece of the message a provider signs.
///
/// A scheme's message is a list of parts fed to the MAC in order: for
/// Standard Webhooks `[Id, ".", Timestamp, ".", Body]`, for Stripe
/// `[Timestamp, ".", Body]`, for Slack `["v0:", Timestamp, ":", Body]`, for
/// GitHub and Shopify `[Body]`, for Square `[Url, Body]`, for Twilio
/// `[Url, FormParameters]`, for PayPal `[Id, "|", Timestamp, "|",
/// "<webhook ID>", "|", BodyCrc32]` (a configured constant is a literal
/// built at run time). The timestamp and ID are fed exactly as they
/// arrived in their headers. A scheme with a `Method`, `Url` or
/// `FormParameters` part needs the request head
/// ([`Verifier::verify_request_at`](crate::Verifier::verify_request_at)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessagePart {
    /// Fixed text, such as a `.` separator or a `v0:` version prefix.
    Literal(Cow<'static, str>),
    /// The event ID, as sent in the ID header.
    Id,
    /// The timestamp, as sent.
    Timestamp,
    /// The raw request body.
    Body,
    /// The body's CRC-32 (IEEE, as zlib computes it) in decimal, in place
    /// of the body (PayPal). **A CRC is no MAC:** anyone can write another
    /// body with the same CRC-32, so a scheme that signs this instead of
    /// the body protects the body against accidents only. Key its
    /// deliveries by a signed event ID, so that a captured signature
    /// cannot carry a second body once the first is recorded.
    BodyCrc32,
    /// The request method, upper case (`POST`).
    Method,
    /// The URL the sender requested, query included: the verifier's
    /// configured public URL (see
    /// [`Verifier::with_public_url`](crate::Verifier::with_public_url)).
    Url,
    /// The body's form parameters as Twilio signs them: names in byte
    /// order, each followed by its values (sorted, each once), with no
    /// separators. Empty when the URL carries the body's digest instead.
    FormParameters,
}

impl MessagePart {
    /// A fixed piece of text.
    pub fn literal(text: impl Into<Cow<'static, str>>) -> Self {
        Self::Literal(text.into())
    }
}
