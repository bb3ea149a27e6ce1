//! Where deliveries may come from, and over what: source address
//! allow-lists, proxies trusted to say who the client was, and required
//! HTTPS — checked from the connection and the head, before a byte of the
//! body is read, and answered 403 with the generic body (the logs say
//! which check refused, and the client's address).
//!
//! ```
//! use webhook_guard::source::{AllowedSources, TrustedProxies};
//! use webhook_guard::{Verifier, WebhookLayer};
//!
//! let guard = WebhookLayer::new(Verifier::github("github secret")?)
//!     // GitHub's published webhook ranges, shipped with the crate.
//!     .with_allowed_sources(AllowedSources::github_hooks())
//!     // Behind your load balancers (as narrowly as you know them): the
//!     // right-most X-Forwarded-For hop that is not one of them is the client.
//!     .with_trusted_proxies("10.0.1.0/28".parse::<TrustedProxies>()?)
//!     .with_required_https();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The signature stays the real check: an address range only narrows who
//! may knock, providers change their ranges without notice, and many
//! publish none. See the README's "Source addresses" section for which do.

mod allowed_sources;
mod forwarding_header;
mod peer;
mod source_error;
pub(crate) mod source_policy;
mod trusted_proxies;

pub use allowed_sources::AllowedSources;
pub(crate) use forwarding_header::ForwardingHeader;
pub use peer::Peer;
pub use source_error::SourceError;
pub use trusted_proxies::TrustedProxies;
