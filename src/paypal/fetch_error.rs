use crate::paypal::PayPalError;

/// Why a [`CertificateFetcher`](crate::paypal::CertificateFetcher) did not
/// resolve a certificate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// As many fetches as allowed are running already: refused at once,
    /// never queued.
    #[error("too many certificate fetches at once")]
    Busy,
    /// The whole fetch (connect, TLS, request, body) took longer than the
    /// fetcher's timeout.
    #[error("the certificate fetch timed out")]
    TimedOut,
    /// The connection or the TLS handshake failed.
    #[error("could not connect: {reason}")]
    Connect {
        /// What failed.
        reason: String,
    },
    /// The HTTP exchange failed (`status` `None`), or the answer was not
    /// `200 OK`.
    #[error("HTTP exchange failed (status {status:?})")]
    Http {
        /// The status PayPal answered with, if it answered.
        status: Option<u16>,
    },
    /// The certificate file is larger than the fetcher's size limit.
    #[error("the certificate is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The file is not a certificate chain this crate reads.
    #[error(transparent)]
    Unreadable(#[from] PayPalError),
    /// The certificate is not one to trust: its chain does not lead to a
    /// trusted root, its subject is not PayPal's, or it is not valid now.
    #[error("untrusted certificate: {reason}")]
    Untrusted {
        /// Why.
        reason: String,
    },
}

impl FetchError {
    /// Whether trying again later may succeed (the fetcher was busy, or
    /// PayPal could not be reached): a guard answers 503 with
    /// `Retry-After`, so PayPal retries. Otherwise the certificate is
    /// refused, and so is the delivery (401).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Busy | Self::TimedOut | Self::Connect { .. } => true,
            Self::Http { status } => status.is_none_or(|status| status >= 500),
            Self::TooLarge { .. } | Self::Unreadable(_) | Self::Untrusted { .. } => false,
        }
    }
}
