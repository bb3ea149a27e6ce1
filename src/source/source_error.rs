/// A list of address ranges, or a provider's published document of them,
/// that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// An entry is neither an address (`192.0.2.7`, `2001:db8::1`) nor a
    /// CIDR range (`192.0.2.0/24`, `2001:db8::/32`).
    #[error("`{entry}` is not an IP address or CIDR range")]
    InvalidRange {
        /// The entry as written (at most its first 64 bytes).
        entry: String,
    },
    /// A provider's document is not the JSON it publishes, or lacks the
    /// list it names.
    #[error("not a {document} document: {reason}")]
    InvalidDocument {
        /// Which document was expected (`GitHub meta`, `Stripe ips_webhooks`).
        document: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// More ranges than any provider publishes: refused rather than held.
    #[error("more than {limit} ranges")]
    TooManyRanges {
        /// The most ranges one list may hold.
        limit: usize,
    },
}

impl SourceError {
    pub(crate) fn invalid_range(entry: &str) -> Self {
        let mut end = entry.len().min(64);
        while !entry.is_char_boundary(end) {
            end -= 1;
        }
        Self::InvalidRange {
            entry: entry[..end].to_owned(),
        }
    }
}
