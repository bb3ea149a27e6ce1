/// Why a public URL given to [`Verifier::with_public_url`](crate::Verifier::with_public_url)
/// (or a signer's URL) cannot be the URL a sender signs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// Not a URL at all, or longer than [`MAX_URL_LEN`](crate::limits::MAX_URL_LEN).
    #[error("not a URL of at most 8192 bytes")]
    Unparsable,
    /// A URL without `http://` or `https://` and a host: the sender signs
    /// the whole URL, as in its dashboard (`https://example.com/hooks/twilio`).
    #[error("the URL must be absolute, `https://host/path` as in the provider's dashboard")]
    NotAbsolute,
}
