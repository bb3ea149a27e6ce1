use std::borrow::Cow;

/// One piece of the message a provider signs.
///
/// A scheme's message is a list of parts fed to the MAC in order: for
/// Standard Webhooks `[Id, ".", Timestamp, ".", Body]`, for Stripe
/// `[Timestamp, ".", Body]`, for Slack `["v0:", Timestamp, ":", Body]`, for
/// GitHub and Shopify `[Body]`. The timestamp and ID are fed exactly as they
/// arrived in their headers.
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
}

impl MessagePart {
    /// A fixed piece of text.
    pub fn literal(text: impl Into<Cow<'static, str>>) -> Self {
        Self::Literal(text.into())
    }
}
