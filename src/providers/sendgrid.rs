use std::time::Duration;

use http::HeaderName;

use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, Encoding, PayloadFormat, Scheme, TimestampUnit};
use crate::secret::SecretFormat;

/// SendGrid in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "sendgrid",
    title: "SendGrid",
    aliases: &["twilio-sendgrid"],
    key_kind: KeyKind::PublicKey,
    scheme: Scheme::sendgrid,
    variants: &[],
};

impl Scheme {
    /// [SendGrid](https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features)
    /// Event Webhook, signed (feature `p256`).
    ///
    /// `X-Twilio-Email-Event-Webhook-Signature: <base64>`, a DER ECDSA
    /// P-256 / SHA-256 signature of
    /// `{X-Twilio-Email-Event-Webhook-Timestamp}{body}`, checked with the
    /// verification key SendGrid shows (base64 DER, or PEM;
    /// [`SecretFormat::EcdsaP256`]). The body is a JSON array of events and
    /// is signed to its last byte (its final CRLF included): never trim it.
    /// There is no event ID for the whole delivery, so a delivery is
    /// recognised by a digest of its signed message, never by its
    /// (randomized, malleable) signature. SendGrid retries for up to 24
    /// hours.
    pub fn sendgrid() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-twilio-email-event-webhook-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: std::borrow::Cow::Borrowed(""),
                },
                algorithm: Algorithm::EcdsaP256Sha256,
                encoding: Encoding::Base64,
                timestamp: Some(HeaderName::from_static(
                    "x-twilio-email-event-webhook-timestamp",
                )),
                id: None,
                written_by_signer: true,
            }],
            message: MessageLayout::timestamp_then_body(),
            timestamp_unit: Some(TimestampUnit::Seconds),
            event_id: EventIdSource::None,
            secret_format: SecretFormat::EcdsaP256,
            payload_format: PayloadFormat::Json,
            retry_window: Some(Duration::from_secs(24 * 3600)),
            url_rules: UrlRules::EXACT,
            body_fields: None,
            body_timestamp: None,
            signed_item: None,
            tolerance: None,
        }
    }
}
