use std::fmt;
use std::sync::Arc;

/// Who signed a request: one of the built-in providers, or a named
/// [`Generic`](crate::scheme::GenericScheme) scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Provider {
    /// [Standard Webhooks](https://www.standardwebhooks.com/) and Svix.
    StandardWebhooks,
    /// Stripe.
    Stripe,
    /// GitHub.
    GitHub,
    /// Slack.
    Slack,
    /// Shopify.
    Shopify,
    /// A generic HMAC scheme, under the name it was given.
    Generic(Arc<str>),
}

impl Provider {
    /// A short, stable, lower-case name: `standard_webhooks`, `stripe`,
    /// `github`, `slack`, `shopify`, or the generic scheme's own name. Used as
    /// the default idempotency namespace and in logs.
    pub fn name(&self) -> &str {
        match self {
            Self::StandardWebhooks => "standard_webhooks",
            Self::Stripe => "stripe",
            Self::GitHub => "github",
            Self::Slack => "slack",
            Self::Shopify => "shopify",
            Self::Generic(name) => name,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
