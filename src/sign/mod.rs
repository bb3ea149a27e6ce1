//! Signing: [`Signer`] writes the headers a [`Verifier`](crate::Verifier) of
//! the same scheme accepts, for outgoing webhooks and test requests.

mod error;
mod signer;

pub use error::SignError;
pub use signer::Signer;
