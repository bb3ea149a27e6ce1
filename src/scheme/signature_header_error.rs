use crate::crypto::CandidateError;

/// Why a signature header could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureHeaderError {
    /// The header does not have the scheme's shape.
    Malformed(&'static str),
    /// The one signature of a prefixed header is not valid hex/base64 of
    /// the right length.
    MalformedSignature,
    /// More than [`MAX_SIGNATURES`](crate::limits::MAX_SIGNATURES) entries.
    TooManySignatures,
    /// Well-formed, but no entry of the version this scheme checks.
    NoSupportedSignature,
}

impl From<CandidateError> for SignatureHeaderError {
    fn from(error: CandidateError) -> Self {
        match error {
            CandidateError::Malformed => Self::MalformedSignature,
            CandidateError::TooMany => Self::TooManySignatures,
        }
    }
}
