//! The cryptographic building blocks, below every other layer
//! (crate-private, except [`Algorithm`] and [`Encoding`], which
//! [`scheme`](crate::scheme) re-exports).
//!
//! What is here knows nothing of providers, headers or keys rings: the
//! algorithms and encodings a scheme names, the tags a MAC produces and
//! their constant-time comparison, the received signatures of one request
//! (decoded onto the stack), and the message trait that feeds signed bytes
//! to a MAC without concatenating them.

mod algorithm;
mod candidate_error;
mod candidates;
mod encoding;
mod fingerprint;
mod message;
mod received_signature;
mod tag;

pub use algorithm::Algorithm;
pub(crate) use candidate_error::CandidateError;
pub(crate) use candidates::Candidates;
pub use encoding::Encoding;
pub(crate) use fingerprint::fingerprint;
pub(crate) use message::Message;
pub(crate) use received_signature::ReceivedSignature;
pub(crate) use tag::{INLINE_TAG_LEN, MAX_TAG_LEN, Tag};
