use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Coinbase Commerce in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "coinbase",
    title: "Coinbase Commerce",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::coinbase,
    variants: &[],
};

impl Scheme {
    /// [Coinbase Commerce](https://docs.cdp.coinbase.com/commerce/docs/webhooks-security).
    ///
    /// `X-CC-Webhook-Signature: <hex>`, HMAC-SHA-256 over the raw body,
    /// keyed with the shared secret's text as it is (it looks like a UUID;
    /// it is not decoded). No timestamp is signed, so there is no
    /// freshness check and only the delivery's record stops a replay:
    /// choose a durable store. The body carries the delivery's `id` and the
    /// event's `event.id`, but nothing says a retry keeps the former, so
    /// deliveries are keyed by their signature's fingerprint (a retry
    /// repeats the body, and so the tag).
    pub fn coinbase() -> Self {
        BodySignature {
            header: "x-cc-webhook-signature",
            prefix: "",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Nowhere,
        }
        .scheme(PROVIDER.name)
    }
}
