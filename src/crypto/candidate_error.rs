/// Why a received signature could not be taken as a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CandidateError {
    /// Not valid hex/base64, or not the algorithm's tag length once decoded.
    Malformed,
    /// More than [`MAX_SIGNATURES`](crate::limits::MAX_SIGNATURES) signatures.
    TooMany,
}
