use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Bitbucket in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "bitbucket",
    title: "Bitbucket",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::bitbucket,
    variants: &[],
};

impl Scheme {
    /// [Bitbucket Cloud](https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/)
    /// (and Data Center).
    ///
    /// `X-Hub-Signature: sha256=<hex>`, HMAC-SHA-256 over the raw body, keyed with
    /// the webhook's secret; Bitbucket sends it only when a secret is set. No
    /// timestamp is signed, so there is no freshness check. The reported event ID
    /// is `X-Request-UUID`, which the signature does not cover, so deliveries are
    /// keyed by their signature's fingerprint.
    pub fn bitbucket() -> Self {
        BodySignature {
            header: "x-hub-signature",
            prefix: "sha256=",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Header("x-request-uuid"),
        }
        .scheme(PROVIDER.name)
    }
}
