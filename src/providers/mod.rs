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

mod clerk;
mod coinbase;
#[cfg(feature = "ed25519")]
mod discord;
mod github;
mod mux;
mod paddle;
#[cfg(feature = "rsa")]
pub(crate) mod paypal;
mod razorpay;
mod resend;
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
    razorpay::PROVIDER,
    coinbase::PROVIDER,
    mux::PROVIDER,
    clerk::PROVIDER,
    resend::PROVIDER,
    paddle::PROVIDER,
    #[cfg(feature = "rsa")]
    paypal::PROVIDER,
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
