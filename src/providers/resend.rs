use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;

/// Resend in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "resend",
    title: "Resend",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::resend,
    variants: &[],
};

impl Scheme {
    /// [Resend](https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests):
    /// Standard Webhooks as Svix sends them, under `svix-id`,
    /// `svix-timestamp` and `svix-signature` (a signer writes these; a
    /// verifier also reads the `webhook-*` names, which Resend's own SDK
    /// passes to its verifier), with the endpoint's `whsec_` signing secret.
    /// See [`Scheme::standard_webhooks`] for the scheme itself.
    pub fn resend() -> Self {
        Self::svix_sender(Provider::built_in(PROVIDER.name))
    }
}
