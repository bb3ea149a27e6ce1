use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Meta (Facebook, Instagram, WhatsApp) in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "meta",
    title: "Meta (Facebook, Instagram, WhatsApp)",
    aliases: &["facebook", "instagram", "whatsapp", "messenger"],
    key_kind: KeyKind::Secret,
    scheme: Scheme::meta,
    variants: &[],
};

impl Scheme {
    /// [Meta](https://developers.facebook.com/docs/graph-api/webhooks/getting-started/):
    /// Facebook, Instagram, Messenger and WhatsApp webhooks.
    ///
    /// `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA-256 over the raw body, keyed
    /// with the app secret. Meta signs the body as it sends it, with non-ASCII
    /// characters escaped (`\u00e9`): verify the received bytes (this crate does),
    /// never a re-serialised body. No timestamp is signed and a body batches
    /// several entries without one ID, so deliveries are keyed by their
    /// signature's fingerprint.
    ///
    /// Meta checks an endpoint with an unsigned `GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`:
    /// the guard's Meta handshake answers it when the verify token matches.
    pub fn meta() -> Self {
        BodySignature {
            header: "x-hub-signature-256",
            prefix: "sha256=",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Nowhere,
        }
        .scheme(PROVIDER.name)
    }
}
