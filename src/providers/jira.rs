use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Jira in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "jira",
    title: "Jira",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::jira,
    variants: &[],
};

impl Scheme {
    /// [Jira](https://developer.atlassian.com/cloud/jira/platform/webhooks/) admin
    /// webhooks with a secret (Cloud and Data Center).
    ///
    /// `X-Hub-Signature: sha256=<hex>` (the WebSub form), HMAC-SHA-256 over the raw
    /// body, keyed with the webhook's secret. Webhooks of Connect and OAuth apps
    /// are not signed this way. No timestamp is signed, so there is no freshness
    /// check. The reported event ID is `X-Atlassian-Webhook-Identifier` (kept
    /// across retries), which the signature does not cover, so deliveries are
    /// keyed by their signature's fingerprint.
    pub fn jira() -> Self {
        BodySignature {
            header: "x-hub-signature",
            prefix: "sha256=",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Header("x-atlassian-webhook-identifier"),
        }
        .scheme(PROVIDER.name)
    }
}
