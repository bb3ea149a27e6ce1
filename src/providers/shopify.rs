use std::time::Duration;

use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};
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
            secret_format: SecretFormat::Shopify,
            retry_window: Some(Duration::from_secs(4 * 3600)),
            ..BodySignature {
                header: "x-shopify-hmac-sha256",
                prefix: "",
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Base64,
                id: IdFrom::Header("x-shopify-event-id"),
            }
            .scheme(PROVIDER.name)
        }
    }
}
