/// Where a scheme finds the event ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EventIdSource {
    /// The provider sends none; idempotency keys on the signature instead.
    None,
    /// The header set's `id` header.
    Header,
    /// A top-level string field of a JSON body (Stripe `id`, Slack `event_id`).
    JsonField(&'static str),
}
