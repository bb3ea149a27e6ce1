//! The built-in providers, one file each: every one is a [`Scheme`] value
//! built from data, plus its test vectors in `tests/data/`.
//!
//! | provider | constructor | signature header | signed message | event ID |
//! |---|---|---|---|---|
//! | Standard Webhooks / Svix | [`Scheme::standard_webhooks`] | `webhook-signature: v1,<base64> …` (or `svix-signature`) | `{id}.{timestamp}.{body}` | `webhook-id` (signed) |
//! | Stripe | [`Scheme::stripe`] | `Stripe-Signature: t=…,v1=<hex>…` | `{t}.{body}` | body field `id` |
//! | GitHub | [`Scheme::github`] | `X-Hub-Signature-256: sha256=<hex>` | `{body}` | `X-GitHub-Delivery` (not signed) |
//! | Slack | [`Scheme::slack`] | `X-Slack-Signature: v0=<hex>` + `X-Slack-Request-Timestamp` | `v0:{timestamp}:{body}` | body field `event_id` (Events API) |
//! | Shopify | [`Scheme::shopify`] | `X-Shopify-Hmac-Sha256: <base64>` | `{body}` | `X-Shopify-Event-Id` (not signed) |
//! | anything else | [`Scheme::generic`] | configurable | configurable | configurable |
//!
//! All use HMAC-SHA-256 (GitHub's legacy SHA-1 header only with
//! [`Scheme::github_with_sha1`]).
//!
//! [`Scheme`]: crate::Scheme
//! [`Scheme::standard_webhooks`]: crate::Scheme::standard_webhooks
//! [`Scheme::stripe`]: crate::Scheme::stripe
//! [`Scheme::github`]: crate::Scheme::github
//! [`Scheme::github_with_sha1`]: crate::Scheme::github_with_sha1
//! [`Scheme::slack`]: crate::Scheme::slack
//! [`Scheme::shopify`]: crate::Scheme::shopify
//! [`Scheme::generic`]: crate::Scheme::generic

#[cfg(feature = "ed25519")]
mod discord;
mod github;
#[cfg(feature = "p256")]
mod sendgrid;
mod shopify;
mod slack;
mod square;
mod standard_webhooks;
mod stripe;
mod twilio;

mod built_in;

pub use built_in::{BuiltInProvider, KeyKind};

/// The registry: every built-in provider, once. Adding a provider is a file
/// in this folder, its line here and its vectors in `tests/data/`.
const ALL: &[BuiltInProvider] = &[
    standard_webhooks::PROVIDER,
    stripe::PROVIDER,
    github::PROVIDER,
    slack::PROVIDER,
    shopify::PROVIDER,
    twilio::PROVIDER,
    square::PROVIDER,
    #[cfg(feature = "ed25519")]
    discord::PROVIDER,
    #[cfg(feature = "p256")]
    sendgrid::PROVIDER,
];

/// Every built-in provider, in the order the CLI lists them.
///
/// ```
/// let names: Vec<_> = webhook_guard::providers::all().iter().map(|p| p.name()).collect();
/// assert!(names.contains(&"stripe"));
/// ```
pub fn all() -> &'static [BuiltInProvider] {
    ALL
}

/// The built-in provider of that name or alias (`standard`, `svix`,
/// `github`, …), ignoring ASCII case.
///
/// ```
/// let svix = webhook_guard::providers::find("svix").unwrap();
/// assert_eq!(svix.name(), "standard");
/// ```
pub fn find(name: &str) -> Option<&'static BuiltInProvider> {
    ALL.iter().find(|provider| {
        provider.name.eq_ignore_ascii_case(name)
            || provider
                .aliases
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(name))
    })
}
