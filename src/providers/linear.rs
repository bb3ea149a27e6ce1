use std::time::Duration;

use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Linear in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "linear",
    title: "Linear",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::linear,
    variants: &[],
};

impl Scheme {
    /// [Linear](https://linear.app/developers/webhooks#securing-webhooks).
    ///
    /// `Linear-Signature: <hex>`, HMAC-SHA-256 over the raw body, keyed with
    /// the webhook's signing secret. The send time is the body's
    /// `webhookTimestamp` (milliseconds), covered by the signature and
    /// checked once it matched: **tolerance 1 minute**, both ways, as
    /// `@linear/sdk` (98) holds it; a body without it is refused, as the SDK
    /// refuses it (older versions skipped the check). The reported event ID is
    /// `Linear-Delivery`, which the signature does not cover, so deliveries
    /// are keyed by their signature's fingerprint.
    pub fn linear() -> Self {
        Self {
            body_timestamp: Some("webhookTimestamp"),
            tolerance: Some(Duration::from_secs(60)),
            ..BodySignature {
                header: "linear-signature",
                prefix: "",
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                id: IdFrom::Header("linear-delivery"),
            }
            .scheme(PROVIDER.name)
        }
    }
}
