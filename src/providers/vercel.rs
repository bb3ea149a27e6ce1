use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Vercel in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "vercel",
    title: "Vercel",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::vercel,
    variants: &[],
};

impl Scheme {
    /// [Vercel](https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks).
    ///
    /// `x-vercel-signature: <hex>`, HMAC-SHA-1 over the raw body, keyed with the
    /// webhook's secret (shown once, when it is created), or the integration's
    /// client secret for integration webhooks. No timestamp is signed. The event
    /// ID is the body's top-level `id`. (Vercel Blob's upload callbacks use the
    /// same header name with another scheme: this is not it.)
    pub fn vercel() -> Self {
        BodySignature {
            header: "x-vercel-signature",
            prefix: "",
            algorithm: Algorithm::Sha1,
            encoding: Encoding::Hex,
            id: IdFrom::JsonField("id"),
        }
        .scheme(PROVIDER.name)
    }
}
