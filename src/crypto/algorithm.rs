use std::ops::RangeInclusive;

/// How a signature is made: an HMAC over a hash function, or a public-key
/// signature.
///
/// The HMAC algorithms need only the `std` build; the public-key ones sit
/// behind the crate's `ed25519`, `p256` and `rsa` features (a scheme that names one
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
    /// RSA PKCS#1 v1.5 with SHA-256 (RSASSA-PKCS1-v1_5, `SHA256withRSA`):
    /// PayPal. Keys of 2048 to 4096 bits (shorter ones are refused when
    /// parsed), signatures as long as the modulus. Feature `rsa`.
    RsaPkcs1v15Sha256,
    /// Plain SHA-256 of the secret followed by the message (HubSpot's v1
    /// and v2 signatures). **Not a MAC:** SHA-256 is open to length
    /// extension, so whoever holds one valid signature can compute the
    /// signature of the same message with bytes appended (after SHA-256's
    /// padding). Only for senders that offer nothing better; the secret is
    /// hashed in once, and each message continues from that state.
    Sha256SecretPrefixed,
    /// No signature at all: the header carries the shared secret itself
    /// (GitLab's `X-Gitlab-Token`, Telegram's
    /// `X-Telegram-Bot-Api-Secret-Token`), compared in constant time, by
    /// its SHA-256, so that not even its length shows. It proves that the
    /// sender knows the token, not that the body is the sender's, and a
    /// captured request carries it for anyone to reuse. Deliveries are
    /// keyed by the ID header where the scheme has one (GitLab's
    /// `Idempotency-Key`: whoever holds the token could send any ID anyway),
    /// otherwise by a digest of the message (the body) — never by the token.
    SharedToken,
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
            // The modulus length of a 2048- to 4096-bit key.
            Self::RsaPkcs1v15Sha256 => 256..=512,
            Self::Sha256SecretPrefixed => 32..=32,
            // The digest a received token is compared by.
            Self::SharedToken => 32..=32,
        }
    }

    /// Whether this is an HMAC: the receiver holds the same secret as the
    /// sender, and the tag is a keyed function of the message.
    pub const fn is_hmac(self) -> bool {
        matches!(self, Self::Sha1 | Self::Sha256 | Self::Sha512)
    }

    /// Whether the receiver holds the same secret as the sender (an HMAC, a
    /// secret-prefixed hash, a shared token), rather than a public key.
    pub const fn uses_shared_secret(self) -> bool {
        matches!(
            self,
            Self::Sha1
                | Self::Sha256
                | Self::Sha512
                | Self::Sha256SecretPrefixed
                | Self::SharedToken
        )
    }

    /// Whether a signature is a deterministic, keyed function of the
    /// message alone, so that it can identify a delivery: an HMAC tag or a
    /// secret-prefixed hash. Not a public-key signature (ECDSA's are
    /// randomized and malleable), nor a token (the same for every request).
    pub(crate) const fn identifies_message(self) -> bool {
        matches!(
            self,
            Self::Sha1 | Self::Sha256 | Self::Sha512 | Self::Sha256SecretPrefixed
        )
    }

    /// The crate feature that provides this algorithm, if it needs one.
    pub(crate) const fn feature(self) -> Option<&'static str> {
        match self {
            Self::Sha1
            | Self::Sha256
            | Self::Sha512
            | Self::Sha256SecretPrefixed
            | Self::SharedToken => None,
            Self::Ed25519 => Some("ed25519"),
            Self::EcdsaP256Sha256 => Some("p256"),
            Self::RsaPkcs1v15Sha256 => Some("rsa"),
        }
    }

    /// Whether this build can verify and sign with it.
    pub(crate) const fn is_enabled(self) -> bool {
        match self {
            Self::Sha1
            | Self::Sha256
            | Self::Sha512
            | Self::Sha256SecretPrefixed
            | Self::SharedToken => true,
            Self::Ed25519 => cfg!(feature = "ed25519"),
            Self::EcdsaP256Sha256 => cfg!(feature = "p256"),
            Self::RsaPkcs1v15Sha256 => cfg!(feature = "rsa"),
        }
    }
}
