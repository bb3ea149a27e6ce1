use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
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
            secret_format: SecretFormat::Slack,
            payload_format: PayloadFormat::JsonOrForm,
            ..one_header_set(
                PROVIDER.name,
                HeaderSet {
                    signature: HeaderName::from_static("x-slack-signature"),
                    format: prefixed("v0="),
                    algorithm: Algorithm::Sha256,
                    encoding: Encoding::Hex,
                    timestamp: Some(HeaderName::from_static("x-slack-request-timestamp")),
                    id: None,
                    written_by_signer: true,
                },
                MessageLayout::built_in(vec![
                    MessagePart::literal("v0:"),
                    MessagePart::Timestamp,
                    MessagePart::literal(":"),
                    MessagePart::Body,
                ]),
                Some(TimestampUnit::Seconds),
                EventIdSource::json_field("event_id"),
            )
        }
    }
}
