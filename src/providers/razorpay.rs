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

/// Razorpay in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "razorpay",
    title: "Razorpay",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::razorpay,
    variants: &[],
};

impl Scheme {
    /// [Razorpay](https://razorpay.com/docs/webhooks/validate-test/).
    ///
    /// `X-Razorpay-Signature: <hex>`, HMAC-SHA-256 over the raw body, keyed
    /// with the webhook secret as typed. Razorpay signs no timestamp, so
    /// there is no freshness check and only the delivery's record stops a
    /// replay: choose a durable store. The event ID is
    /// `X-Razorpay-Event-Id`, which Razorpay names for deduplication; the
    /// signature does not cover it, so deliveries are keyed by their
    /// signature's fingerprint (a retry repeats the body, and so the tag).
    ///
    /// The official SDKs compare signatures with `==` in Node and Go; this
    /// crate compares in constant time.
    pub fn razorpay() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-razorpay-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed(""),
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: None,
                id: Some(HeaderName::from_static("x-razorpay-event-id")),
                written_by_signer: true,
            }],
            message: MessageLayout::built_in(vec![MessagePart::Body]),
            timestamp_unit: None,
            event_id: EventIdSource::Header,
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::Json,
            retry_window: None,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            tolerance: None,
        }
    }
}
