//! The built-in providers, one file each: every one registers a
//! [`BuiltInProvider`] (its name, key kind and [`Scheme`] constructor) and
//! has its official vectors in `tests/data/<name>.json`.
//!
//! | name | constructor | key the verifier holds | needs |
//! |---|---|---|---|
//! | `standard` | [`Scheme::standard_webhooks`] | `whsec_` secret, or `whpk_` public key (`v1a`) | |
//! | `stripe` | [`Scheme::stripe`] | secret | |
//! | `github` | [`Scheme::github`] (and `with_sha1`) | secret | |
//! | `slack` | [`Scheme::slack`] | secret | |
//! | `shopify` | [`Scheme::shopify`] | secret | |
//! | `twilio` | [`Scheme::twilio`] | auth token | the public URL |
//! | `square` | [`Scheme::square`] | signature key | the public URL |
//! | `discord` | `Scheme::discord` | Ed25519 public key | feature `ed25519` |
//! | `sendgrid` | `Scheme::sendgrid` | P-256 public key | feature `p256` |
//! | `razorpay` | [`Scheme::razorpay`] | webhook secret | |
//! | `coinbase` | [`Scheme::coinbase`] | shared secret | |
//! | `mux` | [`Scheme::mux`] | signing secret | |
//! | `clerk` | [`Scheme::clerk`] | `whsec_` secret | |
//! | `resend` | [`Scheme::resend`] | `whsec_` secret | |
//! | `paddle` | [`Scheme::paddle`] | secret key | |
//! | `paypal` | `Scheme::paypal(webhook_id)` | certificate (`PayPalVerifier`) | feature `rsa` |
//! | `woocommerce` | [`Scheme::woocommerce`] | webhook secret | |
//! | `typeform` | [`Scheme::typeform`] | webhook secret | |
//! | `meta` | [`Scheme::meta`] | app secret | |
//! | `bitbucket` | [`Scheme::bitbucket`] | webhook secret | |
//! | `jira` | [`Scheme::jira`] | webhook secret | |
//! | `intercom` | [`Scheme::intercom`] | client secret | |
//! | `segment` | [`Scheme::segment`] | shared secret | batching off |
//! | `vercel` | [`Scheme::vercel`] | webhook secret | |
//! | `lemonsqueezy` | [`Scheme::lemonsqueezy`] | signing secret | |
//! | `dropbox` | [`Scheme::dropbox`] | app secret | |
//! | `asana` | [`Scheme::asana`] | hook secret (from the handshake) | |
//! | `sentry` | [`Scheme::sentry`] | client secret | |
//! | `calendly` | [`Scheme::calendly`] | signing key | |
//! | `zoom` | [`Scheme::zoom`] | secret token | |
//! | `twitch` | [`Scheme::twitch`] | subscription secret | |
//! | `zendesk` | [`Scheme::zendesk`] | signing secret | |
//! | `gitlab` | [`Scheme::gitlab`] (and `gitlab_signing_token`) | secret token (or `whsec_` signing token) | |
//! | `telegram` | [`Scheme::telegram`] | secret token | |
//! | `okta` | [`Scheme::okta`] | `Authorization` value | |
//! | `postmark` | [`Scheme::postmark`] | `user:password` | |
//! | `hubspot` | [`Scheme::hubspot`] (and `hubspot_v2`, `hubspot_v1`) | client secret | the public URL |
//! | `linear` | [`Scheme::linear`] | signing secret | |
//! | `mailgun` | [`Scheme::mailgun`] | HTTP webhook signing key | |
//! | `mandrill` | [`Scheme::mandrill`] | webhook key | the public URL |
//! | `adyen` | [`Scheme::adyen`] (and `adyen_platform`) | HMAC key, hex | |
//!
//! Anything else: [`GenericScheme`](crate::scheme::GenericScheme).
//!
//! [`Scheme`]: crate::Scheme
//! [`Scheme::standard_webhooks`]: crate::Scheme::standard_webhooks
//! [`Scheme::stripe`]: crate::Scheme::stripe
//! [`Scheme::github`]: crate::Scheme::github
//! [`Scheme::slack`]: crate::Scheme::slack
//! [`Scheme::shopify`]: crate::Scheme::shopify
//! [`Scheme::twilio`]: crate::Scheme::twilio
//! [`Scheme::square`]: crate::Scheme::square
//! [`Scheme::razorpay`]: crate::Scheme::razorpay
//! [`Scheme::coinbase`]: crate::Scheme::coinbase
//! [`Scheme::mux`]: crate::Scheme::mux
//! [`Scheme::clerk`]: crate::Scheme::clerk
//! [`Scheme::resend`]: crate::Scheme::resend
//! [`Scheme::paddle`]: crate::Scheme::paddle
//! [`Scheme::woocommerce`]: crate::Scheme::woocommerce
//! [`Scheme::typeform`]: crate::Scheme::typeform
//! [`Scheme::meta`]: crate::Scheme::meta
//! [`Scheme::bitbucket`]: crate::Scheme::bitbucket
//! [`Scheme::jira`]: crate::Scheme::jira
//! [`Scheme::intercom`]: crate::Scheme::intercom
//! [`Scheme::segment`]: crate::Scheme::segment
//! [`Scheme::vercel`]: crate::Scheme::vercel
//! [`Scheme::lemonsqueezy`]: crate::Scheme::lemonsqueezy
//! [`Scheme::dropbox`]: crate::Scheme::dropbox
//! [`Scheme::asana`]: crate::Scheme::asana
//! [`Scheme::sentry`]: crate::Scheme::sentry
//! [`Scheme::calendly`]: crate::Scheme::calendly
//! [`Scheme::zoom`]: crate::Scheme::zoom
//! [`Scheme::twitch`]: crate::Scheme::twitch
//! [`Scheme::zendesk`]: crate::Scheme::zendesk
//! [`Scheme::gitlab`]: crate::Scheme::gitlab
//! [`Scheme::telegram`]: crate::Scheme::telegram
//! [`Scheme::okta`]: crate::Scheme::okta
//! [`Scheme::postmark`]: crate::Scheme::postmark
//! [`Scheme::hubspot`]: crate::Scheme::hubspot
//! [`Scheme::linear`]: crate::Scheme::linear
//! [`Scheme::mailgun`]: crate::Scheme::mailgun
//! [`Scheme::mandrill`]: crate::Scheme::mandrill
//! [`Scheme::adyen`]: crate::Scheme::adyen

mod adyen;
mod asana;
mod bitbucket;
mod calendly;
mod clerk;
mod coinbase;
#[cfg(feature = "ed25519")]
mod discord;
mod dropbox;
mod github;
mod gitlab;
mod hubspot;
mod intercom;
mod jira;
mod lemonsqueezy;
mod linear;
mod mailgun;
mod mandrill;
mod meta;
mod mux;
mod okta;
mod paddle;
#[cfg(feature = "rsa")]
pub(crate) mod paypal;
mod postmark;
mod razorpay;
mod resend;
mod segment;
#[cfg(feature = "p256")]
mod sendgrid;
mod sentry;
mod shopify;
mod slack;
mod square;
mod standard_webhooks;
mod stripe;
mod telegram;
mod twilio;
mod twitch;
mod typeform;
mod vercel;
mod woocommerce;
mod zendesk;
mod zoom;

mod built_in;
mod shape;

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
    razorpay::PROVIDER,
    coinbase::PROVIDER,
    mux::PROVIDER,
    clerk::PROVIDER,
    resend::PROVIDER,
    paddle::PROVIDER,
    #[cfg(feature = "rsa")]
    paypal::PROVIDER,
    woocommerce::PROVIDER,
    typeform::PROVIDER,
    meta::PROVIDER,
    bitbucket::PROVIDER,
    jira::PROVIDER,
    intercom::PROVIDER,
    segment::PROVIDER,
    vercel::PROVIDER,
    lemonsqueezy::PROVIDER,
    dropbox::PROVIDER,
    asana::PROVIDER,
    sentry::PROVIDER,
    calendly::PROVIDER,
    zoom::PROVIDER,
    twitch::PROVIDER,
    zendesk::PROVIDER,
    gitlab::PROVIDER,
    telegram::PROVIDER,
    okta::PROVIDER,
    postmark::PROVIDER,
    hubspot::PROVIDER,
    linear::PROVIDER,
    mailgun::PROVIDER,
    mandrill::PROVIDER,
    adyen::PROVIDER,
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
