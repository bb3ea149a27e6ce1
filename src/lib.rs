#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod limits;
mod mac;
mod provider;
pub mod providers;
pub mod scheme;
pub mod secret;
pub mod sign;
pub mod verify;

pub use provider::Provider;
pub use scheme::Scheme;
pub use sign::{SignError, Signer};
pub use verify::{Verified, Verifier, VerifyError};

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
