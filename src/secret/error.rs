/// Why a secret could not be used as a key.
///
/// The message never contains the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret is empty or only white space.
    #[error("the secret is empty")]
    Empty,
    /// The secret starts or ends with white space — usually a stray newline
    /// from a file or an environment variable.
    #[error(
        "the secret starts or ends with white space (a stray newline?); trim it, or pass the exact bytes with `Secret::from_bytes`"
    )]
    SurroundingWhitespace,
    /// A Standard Webhooks secret whose part after `whsec_` is not base64.
    #[error("the secret is not a Standard Webhooks secret: expected `whsec_` followed by base64")]
    InvalidBase64,
    /// A secret that should be hexadecimal is not.
    #[error("the secret is not hexadecimal")]
    InvalidHex,
    /// The value is a different kind of credential of the same provider (an
    /// API key or token where the webhook signing secret belongs).
    #[error("this is not a webhook signing secret: {hint}")]
    WrongKind {
        /// Where the right secret is found.
        hint: &'static str,
    },
    /// A public or private key that does not parse as what the provider
    /// uses.
    #[error("the key is not {expected}")]
    InvalidKey {
        /// What was expected.
        expected: &'static str,
    },
    /// A 64-byte Ed25519 private key whose second half is not the public
    /// key of its first half.
    #[error("the private key's two halves disagree: its public half does not belong to its seed")]
    MismatchedKeyPair,
    /// The key needs an algorithm this build lacks.
    #[error("this key needs the crate feature `{feature}`")]
    FeatureDisabled {
        /// The feature to enable.
        feature: &'static str,
    },
    /// A key ring was built from no secrets at all.
    #[error("no secret was given: a verifier needs at least one key")]
    NoKeys,
}
