use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::{Algorithm, Encoding, MessagePart, Scheme, TimestampUnit};

/// Zendesk in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "zendesk",
    title: "Zendesk",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::zendesk,
    variants: &[],
};

impl Scheme {
    /// [Zendesk](https://developer.zendesk.com/documentation/webhooks/verifying/).
    ///
    /// `X-Zendesk-Webhook-Signature: <base64>`, HMAC-SHA-256 over
    /// `{timestamp}{body}` with no separator, keyed with the webhook's
    /// signing secret as typed (the test webhook's documented secret
    /// `dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==` too: it is not
    /// decoded). The timestamp is `X-Zendesk-Webhook-Signature-Timestamp`,
    /// RFC 3339. The reported event ID is
    /// `X-Zendesk-Webhook-Invocation-Id`, which the signature does not
    /// cover, so deliveries are keyed by their signature's fingerprint.
    pub fn zendesk() -> Self {
        one_header_set(
            PROVIDER.name,
            HeaderSet {
                signature: HeaderName::from_static("x-zendesk-webhook-signature"),
                format: prefixed(""),
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Base64,
                timestamp: Some(HeaderName::from_static(
                    "x-zendesk-webhook-signature-timestamp",
                )),
                id: Some(HeaderName::from_static("x-zendesk-webhook-invocation-id")),
                written_by_signer: true,
            },
            MessageLayout::unchecked(
                vec![MessagePart::Timestamp, MessagePart::Body],
                "an RFC 3339 timestamp ends with `Z` or an offset and is parsed strictly: \
                 a byte moved between it and the body leaves no timestamp",
            ),
            Some(TimestampUnit::Rfc3339),
            EventIdSource::Header,
        )
    }
}
