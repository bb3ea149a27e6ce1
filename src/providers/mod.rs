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

mod generic;
mod github;
mod shopify;
mod slack;
mod standard_webhooks;
mod stripe;

pub use generic::GenericScheme;
