use std::borrow::Cow;

use http::HeaderName;

use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, Encoding, MessagePart, PayloadFormat, Scheme, TimestampUnit};
use crate::secret::SecretFormat;

/// Slack in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "slack",
    title: "Slack",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::slack,
    variants: &[],
};

impl Scheme {
    /// [Slack](https://docs.slack.dev/authentication/verifying-requests-from-slack/).
    ///
    /// `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`; signed
    /// message `v0:{timestamp}:{body}`, HMAC-SHA-256. Slash commands and
    /// interactivity post form-encoded bodies without an event ID; Events API
    /// bodies carry a top-level `event_id`, which is reported when present
    /// (Slack's retries keep it).
    pub fn slack() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-slack-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed("v0="),
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: Some(HeaderName::from_static("x-slack-request-timestamp")),
                id: None,
                written_by_signer: true,
            }],
            message: MessageLayout::built_in(vec![
                MessagePart::literal("v0:"),
                MessagePart::Timestamp,
                MessagePart::literal(":"),
                MessagePart::Body,
            ]),
            timestamp_unit: Some(TimestampUnit::Seconds),
            event_id: EventIdSource::json_field("event_id"),
            secret_format: SecretFormat::Slack,
            payload_format: PayloadFormat::JsonOrForm,
            retry_window: None,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            body_timestamp: None,
            tolerance: None,
        }
    }
}
