use std::time::Duration;

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

/// Paddle in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "paddle",
    title: "Paddle Billing",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::paddle,
    variants: &[],
};

impl Scheme {
    /// [Paddle Billing](https://developer.paddle.com/webhooks/signature-verification).
    ///
    /// `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]` (entries separated
    /// by `;`), HMAC-SHA-256 over `{ts}:{body}` under the notification
    /// destination's secret key as typed (`pdl_ntfset_…`, not decoded).
    /// Every `h1` entry is a candidate (Paddle sends one per active secret
    /// while you rotate it); other keys are skipped, as Paddle's Node SDK
    /// does (its Python SDK refuses them). The event ID is the body's
    /// top-level `event_id`.
    ///
    /// **Tolerance 5 s**, as both official SDKs hold it (this crate holds it
    /// both ways; the SDKs only refuse old timestamps). A verifier's
    /// [`with_tolerance`](crate::Verifier::with_tolerance) widens it for a
    /// receiver whose clock drifts.
    pub fn paddle() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("paddle-signature"),
                format: SignatureFormat::KeyValueList {
                    timestamp_key: "ts",
                    signature_key: "h1",
                    separator: b';',
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: None,
                id: None,
                written_by_signer: true,
            }],
            message: MessageLayout::built_in(vec![
                MessagePart::Timestamp,
                MessagePart::literal(":"),
                MessagePart::Body,
            ]),
            timestamp_unit: Some(TimestampUnit::Seconds),
            event_id: EventIdSource::json_field("event_id"),
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::Json,
            retry_window: None,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            tolerance: Some(Duration::from_secs(5)),
        }
    }
}
