/// How a provider's verified body is written, for the `Webhook<T>`
/// extractor: a property of the provider, decided from the signed bytes —
/// never from the `Content-Type` header, which no signature covers (a
/// replay with another content type would otherwise change what the
/// handler sees).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PayloadFormat {
    /// Always JSON (Standard Webhooks, Stripe, Shopify; the generic
    /// default).
    Json,
    /// JSON, or a form-encoded body, told apart by the signed bytes: a body
    /// whose first non-blank byte is `{` or `[` is JSON; any other is a
    /// form, and a form whose only field is `payload` carries JSON in it
    /// (GitHub's form deliveries, Slack's interactivity). Slack's slash
    /// commands are plain forms.
    JsonOrForm,
}
