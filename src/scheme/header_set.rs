use http::HeaderName;

use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::{Algorithm, Encoding};

/// The headers one variant of a scheme reads, and how its signature header
/// is written.
///
/// A scheme has one or more sets, tried in order: the first set whose
/// signature header is present is the one verified (Standard Webhooks'
/// `webhook-*` headers before their `svix-*` aliases; GitHub's SHA-256
/// header before the legacy SHA-1 one).
#[derive(Debug, Clone)]
pub(crate) struct HeaderSet {
    pub(crate) signature: HeaderName,
    pub(crate) format: SignatureFormat,
    pub(crate) algorithm: Algorithm,
    pub(crate) encoding: Encoding,
    /// The timestamp header, unless the signature header carries it.
    pub(crate) timestamp: Option<HeaderName>,
    /// The event-ID header, if this provider sends the ID in a header.
    pub(crate) id: Option<HeaderName>,
    /// Whether a [`Signer`](crate::Signer) writes this set (aliases are
    /// only read).
    pub(crate) written_by_signer: bool,
}
