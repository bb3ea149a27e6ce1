use std::ops::RangeInclusive;

/// How a signature is made: an HMAC over a hash function, or a public-key
/// signature.
///
/// The HMAC algorithms need only the `std` build; the public-key ones sit
/// behind the crate's `ed25519` and `p256` features (a scheme that names one
/// without its feature is refused when it is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA-1: only for senders that offer nothing better (GitHub's
    /// legacy `X-Hub-Signature`, Twilio).
    Sha1,
    /// HMAC-SHA-256: what almost every provider uses.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
    /// Ed25519 (RFC 8032), verified strictly: Standard Webhooks `v1a`,
    /// Discord. Feature `ed25519`.
    Ed25519,
    /// ECDSA over P-256 with SHA-256: SendGrid. A signature is accepted DER
    /// encoded or as the fixed 64-byte `r‖s`; a signer writes DER. Feature
    /// `p256`.
    EcdsaP256Sha256,
}

impl Algorithm {
    /// The tag length in bytes of an HMAC algorithm; for a public-key one,
    /// the longest signature it accepts.
    pub const fn output_len(self) -> usize {
        *self.signature_len().end()
    }

    /// How long a decoded signature may be, in bytes: exactly the tag
    /// length for HMAC and Ed25519; 8 to 72 for ECDSA P-256 (DER, or 64 for
    /// `r‖s`).
    pub(crate) const fn signature_len(self) -> RangeInclusive<usize> {
        match self {
            Self::Sha1 => 20..=20,
            Self::Sha256 => 32..=32,
            Self::Sha512 => 64..=64,
            Self::Ed25519 => 64..=64,
            Self::EcdsaP256Sha256 => 8..=72,
        }
    }

    /// Whether this is an HMAC: the receiver holds the same secret as the
    /// sender, and the tag is a keyed function of the message.
    pub const fn is_hmac(self) -> bool {
        matches!(self, Self::Sha1 | Self::Sha256 | Self::Sha512)
    }

    /// The crate feature that provides this algorithm, if it needs one.
    pub(crate) const fn feature(self) -> Option<&'static str> {
        match self {
            Self::Sha1 | Self::Sha256 | Self::Sha512 => None,
            Self::Ed25519 => Some("ed25519"),
            Self::EcdsaP256Sha256 => Some("p256"),
        }
    }

    /// Whether this build can verify and sign with it.
    pub(crate) const fn is_enabled(self) -> bool {
        match self {
            Self::Sha1 | Self::Sha256 | Self::Sha512 => true,
            Self::Ed25519 => cfg!(feature = "ed25519"),
            Self::EcdsaP256Sha256 => cfg!(feature = "p256"),
        }
    }
}
