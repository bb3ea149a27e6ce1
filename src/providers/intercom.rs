use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Intercom in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "intercom",
    title: "Intercom",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::intercom,
    variants: &[],
};

impl Scheme {
    /// [Intercom](https://developers.intercom.com/docs/references/webhooks/webhook-models).
    ///
    /// `X-Hub-Signature: sha1=<hex>`, HMAC-SHA-1 over the raw body, keyed with the
    /// app's `client_secret` (the current docs; the v1.0 reference named the
    /// subscription's `hub_secret`). No timestamp is signed, so there is no
    /// freshness check. The event ID is the body's top-level `id` (the
    /// notification's, `notif_…`).
    pub fn intercom() -> Self {
        BodySignature {
            header: "x-hub-signature",
            prefix: "sha1=",
            algorithm: Algorithm::Sha1,
            encoding: Encoding::Hex,
            id: IdFrom::JsonField("id"),
        }
        .scheme(PROVIDER.name)
    }
}
