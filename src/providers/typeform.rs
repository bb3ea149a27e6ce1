use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Typeform in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "typeform",
    title: "Typeform",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::typeform,
    variants: &[],
};

impl Scheme {
    /// [Typeform](https://www.typeform.com/developers/webhooks/secure-your-webhooks/).
    ///
    /// `Typeform-Signature: sha256=<base64>`, HMAC-SHA-256 over the raw body, keyed
    /// with the webhook's secret as typed. No timestamp is signed, so there is no
    /// freshness check and only the delivery's record stops a replay. The event ID
    /// is the body's top-level `event_id`.
    pub fn typeform() -> Self {
        BodySignature {
            header: "typeform-signature",
            prefix: "sha256=",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Base64,
            id: IdFrom::JsonField("event_id"),
        }
        .scheme(PROVIDER.name)
    }
}
