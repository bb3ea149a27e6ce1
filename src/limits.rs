//! The bounds every parser in this crate keeps.
//!
//! A header beyond any of them is rejected as malformed (400) before a MAC is
//! computed. An event ID read from a signed JSON body beyond
//! [`MAX_EVENT_ID_LEN`] is not reported (the request still verifies).

/// At most this many entries in a signature header (`v1,…` entries for
/// Standard Webhooks, `k=v` entries besides `t` for Stripe). More is
/// malformed: rotation needs two or three, not hundreds.
pub const MAX_SIGNATURES: usize = 16;

/// The longest signature header accepted, in bytes.
pub const MAX_SIGNATURE_HEADER_LEN: usize = 4096;

/// The longest event ID accepted (from a header or a JSON body field), in bytes.
pub const MAX_EVENT_ID_LEN: usize = 256;

/// The longest timestamp accepted, in decimal digits (`u64::MAX` has 20).
pub const MAX_TIMESTAMP_DIGITS: usize = 20;
