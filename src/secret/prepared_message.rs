use sha2::{Digest as _, Sha256};

use crate::crypto::{Algorithm, Message};

/// A signed message made ready for public-key checks, once however many
/// keys and signatures are tried: its SHA-256 for ECDSA and RSA (fed piece
/// by piece, the body never copied), the whole message for Ed25519, whose
/// hash covers each signature's own `R` and so cannot be computed ahead.
pub(crate) enum PreparedMessage {
    Whole(Vec<u8>),
    Sha256([u8; 32]),
}

impl PreparedMessage {
    pub(crate) fn new(algorithm: Algorithm, message: &impl Message) -> Self {
        if algorithm == Algorithm::Ed25519 {
            return Self::Whole(message.to_vec());
        }
        let mut digest = Sha256::new();
        message.feed(&mut |piece| digest.update(piece));
        Self::Sha256(digest.finalize().into())
    }

    /// The message's SHA-256, whichever way it was prepared (computed now
    /// for a whole message).
    pub(crate) fn sha256_of_message(&self) -> [u8; 32] {
        match self {
            Self::Sha256(digest) => *digest,
            Self::Whole(bytes) => Sha256::digest(bytes).into(),
        }
    }

    /// The whole message, for Ed25519.
    #[cfg_attr(not(feature = "ed25519"), allow(dead_code))]
    pub(crate) fn whole(&self) -> Option<&[u8]> {
        match self {
            Self::Whole(bytes) => Some(bytes),
            Self::Sha256(_) => None,
        }
    }

    /// The message's SHA-256, for ECDSA and RSA.
    #[cfg_attr(not(any(feature = "p256", feature = "rsa")), allow(dead_code))]
    pub(crate) fn sha256(&self) -> Option<&[u8; 32]> {
        match self {
            Self::Sha256(digest) => Some(digest),
            Self::Whole(_) => None,
        }
    }
}
