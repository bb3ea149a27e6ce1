use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::{Algorithm, Encoding, MessagePart, Scheme, TimestampUnit};

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
        one_header_set(
            PROVIDER.name,
            HeaderSet {
                signature: HeaderName::from_static("x-zm-signature"),
                format: prefixed("v0="),
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: Some(HeaderName::from_static("x-zm-request-timestamp")),
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
            EventIdSource::None,
        )
    }
}
