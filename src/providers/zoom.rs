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

/// Zoom in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "zoom",
    title: "Zoom",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::zoom,
    variants: &[],
};

impl Scheme {
    /// [Zoom](https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events).
    ///
    /// `x-zm-signature: v0=<hex>` with `x-zm-request-timestamp` (Unix
    /// seconds), HMAC-SHA-256 over `v0:{timestamp}:{body}` keyed with the
    /// app's secret token: Slack's shape. Zoom's own library signs the
    /// re-serialised body; the bytes it sends are that serialisation, and
    /// this crate verifies the bytes received. Zoom sends no event ID, so
    /// deliveries are keyed by their signature's fingerprint.
    ///
    /// Zoom validates an endpoint with a signed `endpoint.url_validation`
    /// event whose `plainToken` must come back with its HMAC: the guard's
    /// Zoom handshake answers it.
    pub fn zoom() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-zm-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed("v0="),
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: Some(HeaderName::from_static("x-zm-request-timestamp")),
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
            event_id: EventIdSource::None,
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::Json,
            retry_window: None,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            body_timestamp: None,
            tolerance: None,
        }
    }
}
