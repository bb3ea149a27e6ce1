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

/// Stripe in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "stripe",
    title: "Stripe",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::stripe,
    variants: &[],
};

impl Scheme {
    /// [Stripe](https://docs.stripe.com/webhooks#verify-manually).
    ///
    /// `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`: every
    /// `v1` entry is a candidate (Stripe sends one per active secret while you
    /// roll it); `v0` and unknown schemes are ignored. Signed message:
    /// `{t}.{body}`, HMAC-SHA-256. The event ID is the body's top-level `id`.
    /// Secrets are used verbatim, `whsec_` included ([`SecretFormat::Stripe`]).
    pub fn stripe() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("stripe-signature"),
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
            secret_format: SecretFormat::Stripe,
            payload_format: PayloadFormat::Json,
            retry_window: Some(Duration::from_secs(3 * 24 * 3600)),
            url_rules: UrlRules::EXACT,
            body_fields: None,
            tolerance: None,
        }
    }
}
