use crate::provider::Provider;
use crate::providers::shape::{IdFrom, SharedTokenHeader};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;

/// GitLab in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "gitlab",
    title: "GitLab",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::gitlab,
    variants: &[("signing_token", Scheme::gitlab_signing_token)],
};

impl Scheme {
    /// [GitLab](https://docs.gitlab.com/user/project/integrations/webhooks/#create-a-webhook)
    /// with a secret token.
    ///
    /// `X-Gitlab-Token: <token>`: the webhook's secret token, sent as it
    /// is and compared in constant time. **A token signs nothing**: anyone
    /// who sees one request (a proxy's log, a misconfigured TLS endpoint)
    /// can send any body. Prefer the signing token
    /// ([`gitlab_signing_token`](Self::gitlab_signing_token)) where your
    /// GitLab offers it. The event ID is `Idempotency-Key`, which GitLab
    /// keeps across retries of one event.
    pub fn gitlab() -> Self {
        SharedTokenHeader {
            header: "x-gitlab-token",
            prefix: "",
            id: IdFrom::Header("idempotency-key"),
        }
        .scheme(PROVIDER.name)
    }

    /// GitLab with a signing token: [Standard
    /// Webhooks](Scheme::standard_webhooks) under the `webhook-id`,
    /// `webhook-timestamp` and `webhook-signature` headers, keyed with the
    /// `whsec_` signing token. A real signature over the ID, the timestamp
    /// and the body.
    pub fn gitlab_signing_token() -> Self {
        Self::standard_webhooks_named(Provider::built_in(PROVIDER.name))
    }
}
