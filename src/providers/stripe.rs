use std::time::Duration;

use crate::providers::shape::{IdFrom, TimestampedList};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;
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
            secret_format: SecretFormat::Stripe,
            retry_window: Some(Duration::from_secs(3 * 24 * 3600)),
            ..TimestampedList {
                header: "stripe-signature",
                timestamp_key: "t",
                signature_key: "v1",
                separator: b',',
                joiner: ".",
                id: IdFrom::JsonField("id"),
            }
            .scheme(PROVIDER.name)
        }
    }
}
