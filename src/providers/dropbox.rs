use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Dropbox in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "dropbox",
    title: "Dropbox",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::dropbox,
    variants: &[],
};

impl Scheme {
    /// [Dropbox](https://www.dropbox.com/developers/reference/webhooks).
    ///
    /// `X-Dropbox-Signature: <hex>`, HMAC-SHA-256 over the raw body, keyed with the
    /// app secret. A notification only lists the accounts that changed, with no
    /// ID and no timestamp, so deliveries are keyed by their signature's
    /// fingerprint.
    ///
    /// Dropbox checks an endpoint with an unsigned `GET ?challenge=…` that must be
    /// echoed: the guard's Dropbox handshake answers it.
    pub fn dropbox() -> Self {
        BodySignature {
            header: "x-dropbox-signature",
            prefix: "",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Nowhere,
        }
        .scheme(PROVIDER.name)
    }
}
