#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "actix")]
pub mod actix;
#[cfg(feature = "axum")]
pub mod axum;
mod crypto;
#[cfg(feature = "tower")]
pub mod delivery;
#[cfg(any(feature = "axum", feature = "actix"))]
mod extract;
#[cfg(any(feature = "cli", feature = "test-util"))]
pub mod fixtures;
#[cfg(feature = "tower")]
pub mod handshake;
pub mod idempotency;
pub mod limits;
#[cfg(feature = "rsa")]
pub mod paypal;
mod provider;
pub mod providers;
pub mod scheme;
pub mod secret;
pub mod sign;
#[cfg(feature = "tower")]
pub mod source;
#[cfg(feature = "test-util")]
pub mod testing;
#[cfg(feature = "tower")]
pub mod tower;
pub mod verify;

pub use provider::Provider;
pub use scheme::Scheme;
pub use sign::{SignError, Signer};
#[cfg(feature = "tower")]
pub use tower::{WebhookLayer, WebhookService};
pub use verify::{Verified, Verifier, VerifyError};

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
