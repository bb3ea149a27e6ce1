//! Verification: [`Verifier`] checks a request's headers and raw body at a
//! given instant and returns [`Verified`] facts or a [`VerifyError`].
//!
//! Nothing here does I/O, reads a clock (except [`Verifier::verify`]) or
//! knows a web framework: it works on `http::HeaderMap` and bytes, so unit
//! tests can verify recorded payloads directly.

mod error;
pub(crate) mod forwarded_header;
pub(crate) mod header_reader;
mod request_head;
mod url_error;
pub(crate) mod url_source;
mod verified;
mod verifier;
mod verify_request;

pub use error::VerifyError;
pub use request_head::RequestHead;
pub use url_error::UrlError;
pub use verified::Verified;
pub use verifier::Verifier;
pub use verify_request::VerifyRequest;
