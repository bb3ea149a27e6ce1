use std::borrow::Cow;

use http::HeaderName;

use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, Encoding, MessagePart, PayloadFormat, Scheme};
use crate::secret::SecretFormat;

/// Coinbase Commerce in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "coinbase",
    title: "Coinbase Commerce",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::coinbase,
    variants: &[],
};

impl Scheme {
    /// [Coinbase Commerce](https://docs.cdp.coinbase.com/commerce/docs/webhooks-security).
    ///
    /// `X-CC-Webhook-Signature: <hex>`, HMAC-SHA-256 over the raw body,
    /// keyed with the shared secret's text as it is (it looks like a UUID;
    /// it is not decoded). No timestamp is signed, so there is no
    /// freshness check and only the delivery's record stops a replay:
    /// choose a durable store. The body carries the delivery's `id` and the
    /// event's `event.id`, but nothing says a retry keeps the former, so
    /// deliveries are keyed by their signature's fingerprint (a retry
    /// repeats the body, and so the tag).
    pub fn coinbase() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-cc-webhook-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed(""),
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: None,
                id: None,
                written_by_signer: true,
            }],
            message: MessageLayout::built_in(vec![MessagePart::Body]),
            timestamp_unit: None,
            event_id: EventIdSource::None,
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::Json,
            retry_window: None,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            tolerance: None,
        }
    }
}
