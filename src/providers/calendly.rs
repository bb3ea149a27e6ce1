use std::time::Duration;

use crate::providers::shape::{IdFrom, TimestampedList};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;

/// Calendly in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "calendly",
    title: "Calendly",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::calendly,
    variants: &[],
};

impl Scheme {
    /// [Calendly](https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures).
    ///
    /// `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, HMAC-SHA-256 over
    /// `{t}.{body}` keyed with the webhook subscription's signing key as
    /// typed: Stripe's shape under another header. **Tolerance 3 minutes**,
    /// as Calendly's documented check holds it (this crate holds it both
    /// ways). A body carries no event ID, so deliveries are keyed by their
    /// signature's fingerprint.
    pub fn calendly() -> Self {
        Self {
            tolerance: Some(Duration::from_secs(180)),
            ..TimestampedList {
                header: "calendly-webhook-signature",
                timestamp_key: "t",
                signature_key: "v1",
                separator: b',',
                joiner: ".",
                id: IdFrom::Nowhere,
            }
            .scheme(PROVIDER.name)
        }
    }
}
