use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Segment in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "segment",
    title: "Segment",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::segment,
    variants: &[],
};

impl Scheme {
    /// [Segment](https://segment.com/docs/connections/destinations/catalog/actions-webhook/)
    /// Webhooks (Actions) destination.
    ///
    /// `X-Signature: <hex>`, HMAC-SHA-1 keyed with the destination's shared
    /// secret, over the body. **Batching breaks it:** with batching on, Segment
    /// signs only the first event's data (`JSON.stringify(body[0])`), not the
    /// array it sends, so every batched delivery is refused here; turn batching
    /// off for a signed destination. No timestamp is signed. The event ID is the
    /// body's top-level `messageId`.
    pub fn segment() -> Self {
        BodySignature {
            header: "x-signature",
            prefix: "",
            algorithm: Algorithm::Sha1,
            encoding: Encoding::Hex,
            id: IdFrom::JsonField("messageId"),
        }
        .scheme(PROVIDER.name)
    }
}
