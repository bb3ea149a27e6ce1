use std::borrow::Cow;
use std::time::Duration;

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

/// Shopify in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "shopify",
    title: "Shopify",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::shopify,
    variants: &[],
};

impl Scheme {
    /// [Shopify](https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify).
    ///
    /// `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA-256 over the raw body.
    /// Shopify signs no timestamp (`X-Shopify-Triggered-At` is not covered),
    /// so there is no freshness check. The event ID is `X-Shopify-Event-Id`,
    /// the header Shopify names for detecting duplicates; the signature does
    /// not cover it.
    ///
    /// Shopify retries a failed delivery 8 times over 4 hours (since
    /// 2024-09-10), its [`retry_window`](Scheme::retry_window).
    pub fn shopify() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-shopify-hmac-sha256"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed(""),
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Base64,
                timestamp: None,
                id: Some(HeaderName::from_static("x-shopify-event-id")),
                written_by_signer: true,
            }],
            message: MessageLayout::built_in(vec![MessagePart::Body]),
            timestamp_unit: None,
            event_id: EventIdSource::Header,
            secret_format: SecretFormat::Shopify,
            payload_format: PayloadFormat::Json,
            retry_window: Some(Duration::from_secs(4 * 3600)),
            url_rules: UrlRules::EXACT,
            body_fields: None,
            tolerance: None,
        }
    }
}
