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

/// Mux in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "mux",
    title: "Mux",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::mux,
    variants: &[],
};

impl Scheme {
    /// [Mux](https://docs.mux.com/core/verify-webhook-signatures).
    ///
    /// `Mux-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA-256 over
    /// `{t}.{body}` under the webhook signing secret as typed: Stripe's
    /// shape under another header. Every `v1` entry is a candidate; other
    /// schemes are skipped. The event ID is the body's top-level `id`. Mux's
    /// SDK rejects timestamps older than 300 s and accepts any in the
    /// future; this crate holds the tolerance both ways.
    pub fn mux() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("mux-signature"),
                format: SignatureFormat::KeyValueList {
                    timestamp_key: "t",
                    signature_key: "v1",
                    separator: b',',
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: None,
                id: None,
                written_by_signer: true,
            }],
            message: MessageLayout::built_in(vec![
                MessagePart::Timestamp,
                MessagePart::literal("."),
                MessagePart::Body,
            ]),
            timestamp_unit: Some(TimestampUnit::Seconds),
            event_id: EventIdSource::json_field("id"),
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::Json,
            retry_window: None,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            tolerance: None,
        }
    }
}
