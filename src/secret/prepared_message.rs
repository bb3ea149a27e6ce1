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

#[cfg(test)]
mod tests {
    use sha2::Digest as _;

    use super::*;

    /// What the checks of a public-key delivery are given: for ECDSA and
    /// RSA only the message's 32-byte digest, so no check can hash (or
    /// read) the body again, however many keys and candidates there are;
    /// for Ed25519, which hashes inside its own algorithm, the message.
    #[test]
    fn ecdsa_and_rsa_checks_get_only_the_digest() {
        let body: &[u8] = b"a body an attacker sent, up to a megabyte";
        let digest: [u8; 32] = Sha256::digest(body).into();
        for algorithm in [Algorithm::EcdsaP256Sha256, Algorithm::RsaPkcs1v15Sha256] {
            let prepared = PreparedMessage::new(algorithm, &body);
            assert!(
                matches!(prepared, PreparedMessage::Sha256(held) if held == digest),
                "{algorithm:?}"
            );
            assert_eq!(prepared.sha256_of_message(), digest);
        }
        let whole = PreparedMessage::new(Algorithm::Ed25519, &body);
        assert!(matches!(&whole, PreparedMessage::Whole(held) if held.as_slice() == body));
        assert_eq!(whole.sha256_of_message(), digest);
    }
}
