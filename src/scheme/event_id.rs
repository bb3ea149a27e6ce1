use std::borrow::Cow;

/// Where a scheme finds the event ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EventIdSource {
    /// The provider sends none; idempotency keys on the signature instead.
    None,
    /// The header set's `id` header.
    Header,
    /// A top-level string field of a JSON body: borrowed for the built-in
    /// providers (Stripe `id`, Slack `event_id`), owned when a user names it
    /// ([`GenericScheme::with_id_json_field`](crate::scheme::GenericScheme::with_id_json_field)).
    JsonField(Cow<'static, str>),
    /// A top-level integer field of a JSON body (Telegram's `update_id`),
    /// reported as its decimal digits.
    JsonInteger(&'static str),
}

impl EventIdSource {
    /// A built-in provider's JSON field, with no allocation.
    pub(crate) const fn json_field(name: &'static str) -> Self {
        Self::JsonField(Cow::Borrowed(name))
    }
}
