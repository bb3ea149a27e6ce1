use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Sentry in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "sentry",
    title: "Sentry",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::sentry,
    variants: &[],
};

impl Scheme {
    /// [Sentry](https://docs.sentry.io/organization/integrations/integration-platform/webhooks/)
    /// integration-platform webhooks.
    ///
    /// `Sentry-Hook-Signature: <hex>`, HMAC-SHA-256 over the body, keyed with the
    /// integration's client secret. `Sentry-Hook-Timestamp` is sent but not
    /// signed, so there is no freshness check. The reported event ID is
    /// `Request-ID`, which the signature does not cover, so deliveries are keyed
    /// by their signature's fingerprint.
    pub fn sentry() -> Self {
        BodySignature {
            header: "sentry-hook-signature",
            prefix: "",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Header("request-id"),
        }
        .scheme(PROVIDER.name)
    }
}
