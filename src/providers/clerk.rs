use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;

/// Clerk in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "clerk",
    title: "Clerk",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::clerk,
    variants: &[],
};

impl Scheme {
    /// [Clerk](https://clerk.com/docs/webhooks/sync-data): Standard
    /// Webhooks as Svix sends them, under `svix-id`, `svix-timestamp` and
    /// `svix-signature` (a signer writes these; a verifier also reads the
    /// `webhook-*` names), with the endpoint's `whsec_` signing secret. See
    /// [`Scheme::standard_webhooks`] for the scheme itself.
    pub fn clerk() -> Self {
        Self::svix_sender(Provider::built_in(PROVIDER.name))
    }
}
