//! Keyed HMAC state and the tags it produces (crate-private).
//!
//! Keys are turned into keyed HMAC state once, when a verifier or signer is
//! built; each request clones that state, so no request pays for keying.

mod candidates;
mod prepared_keys;
mod tag;

pub(crate) use candidates::{CandidateError, Candidates};
pub(crate) use prepared_keys::{Message, PreparedKeys};
pub(crate) use tag::{MAX_TAG_LEN, Tag};
