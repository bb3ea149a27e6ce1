/// How a scheme that signs the request's URL reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlRules {
    /// Try the URL with and without its port (Twilio signs whichever its
    /// configuration held, `:443` or not; its SDKs try both).
    pub(crate) port_variants: bool,
    /// A query parameter that carries the body's SHA-256 in lower-case hex
    /// (Twilio's `bodySHA256`, sent with JSON bodies). Where the URL has it,
    /// the body must hash to it, and the form parameters are not signed.
    pub(crate) body_digest_query: Option<&'static str>,
    /// Each form parameter name at most once (Mandrill: the PHP code it
    /// documents reads one value per name, so a repeated name is refused
    /// rather than read one way there and another here).
    pub(crate) form_names_once: bool,
}

impl UrlRules {
    /// The URL as it is, and no digest parameter.
    pub(crate) const EXACT: Self = Self {
        port_variants: false,
        body_digest_query: None,
        form_names_once: false,
    };
}
