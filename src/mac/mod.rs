//! Keyed HMAC state and the tags it produces (crate-private).
//!
//! Keys are turned into keyed HMAC state once, when a verifier or signer is
//! built; each request clones that state, so no request pays for keying.

mod candidate_error;
mod candidates;
mod fingerprint;
mod message;
mod prepared_keys;
mod tag;

pub(crate) use candidate_error::CandidateError;
pub(crate) use candidates::Candidates;
pub(crate) use fingerprint::fingerprint;
pub(crate) use message::Message;
pub(crate) use prepared_keys::PreparedKeys;
pub(crate) use tag::{MAX_TAG_LEN, Tag};
