use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Lemon Squeezy in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "lemonsqueezy",
    title: "Lemon Squeezy",
    aliases: &["lemon-squeezy"],
    key_kind: KeyKind::Secret,
    scheme: Scheme::lemonsqueezy,
    variants: &[],
};

impl Scheme {
    /// [Lemon Squeezy](https://docs.lemonsqueezy.com/help/webhooks/signing-requests).
    ///
    /// `X-Signature: <hex>`, HMAC-SHA-256 over the raw body, keyed with the
    /// webhook's signing secret. No timestamp is signed, so there is no freshness
    /// check, and the body carries no event ID, so deliveries are keyed by their
    /// signature's fingerprint (a retry repeats the body, and so the tag).
    pub fn lemonsqueezy() -> Self {
        BodySignature {
            header: "x-signature",
            prefix: "",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Nowhere,
        }
        .scheme(PROVIDER.name)
    }
}
