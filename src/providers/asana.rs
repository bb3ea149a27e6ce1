use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Asana in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "asana",
    title: "Asana",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::asana,
    variants: &[],
};

impl Scheme {
    /// [Asana](https://developers.asana.com/docs/webhooks-guide).
    ///
    /// `X-Hook-Signature: <hex>`, HMAC-SHA-256 over the raw body, keyed with the
    /// hook secret Asana sends once, in the `X-Hook-Secret` header of the
    /// handshake that opens the webhook. A body batches events without one ID, so
    /// deliveries are keyed by their signature's fingerprint.
    ///
    /// The guard's Asana handshake echoes `X-Hook-Secret` and hands the secret to
    /// your code, which must keep it: it is the key of every later delivery.
    pub fn asana() -> Self {
        BodySignature {
            header: "x-hook-signature",
            prefix: "",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Nowhere,
        }
        .scheme(PROVIDER.name)
    }
}
