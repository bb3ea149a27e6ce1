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

/// At most this many public-key signature checks per request (keys of the
/// algorithm × signatures received). An HMAC costs one MAC per key however
/// many signatures a request carries; a public-key check costs a full
/// verification per pair, tens of microseconds, so an unauthenticated
/// request may not ask for more than this. A sender puts one signature per
/// active key in a header, so rotation needs two or three.
pub const MAX_PUBLIC_KEY_CHECKS: usize = 8;

/// At most this many parameters in a form body whose sorted parameters are
/// signed (Twilio sends a few dozen). Sorting is the one step whose cost
/// grows faster than the body, so it is bounded before any MAC.
pub const MAX_FORM_PARAMETERS: usize = 512;

/// The longest URL a verifier rebuilds from a request, in bytes.
pub const MAX_URL_LEN: usize = 8192;

/// The longest message template accepted
/// ([`MessagePart::parse_template`](crate::scheme::MessagePart::parse_template)), in bytes.
pub const MAX_TEMPLATE_LEN: usize = 1024;

/// At most this many placeholders in a message template: a real layout has
/// three (`{id}.{timestamp}.{body}`).
pub const MAX_TEMPLATE_PLACEHOLDERS: usize = 16;
