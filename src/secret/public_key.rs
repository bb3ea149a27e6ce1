use std::fmt;

use crate::crypto::Algorithm;
#[cfg(any(feature = "ed25519", feature = "p256"))]
use crate::secret::SecretError;

/// The public half of a key pair: what a receiver holds to check a
/// provider's signatures (Discord's application public key, a Standard
/// Webhooks `whpk_` key, SendGrid's verification key).
///
/// Not secret, so `Debug` shows the algorithm and the key's first bytes.
/// Build one with [`SecretFormat::parse_verifying_key`] (the provider's way)
/// or the constructors here.
///
/// [`SecretFormat::parse_verifying_key`]: crate::secret::SecretFormat::parse_verifying_key
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(pub(crate) Kind);

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    #[cfg(feature = "ed25519")]
    Ed25519(ed25519_dalek::VerifyingKey),
    #[cfg(feature = "p256")]
    P256(p256::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// An Ed25519 public key from its 32 bytes. Keys of small order (which
    /// strict verification refuses to accept anything for) are rejected.
    #[cfg(feature = "ed25519")]
    pub fn ed25519(bytes: &[u8]) -> Result<Self, SecretError> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| SecretError::InvalidKey {
            expected: "an Ed25519 public key of 32 bytes",
        })?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| {
            SecretError::InvalidKey {
                expected: "an Ed25519 public key (a point on the curve)",
            }
        })?;
        if key.is_weak() {
            return Err(SecretError::InvalidKey {
                expected: "an Ed25519 public key that is not of small order",
            });
        }
        Ok(Self(Kind::Ed25519(key)))
    }

    /// A P-256 public key from its DER `SubjectPublicKeyInfo` (what SendGrid
    /// shows, base64-decoded).
    #[cfg(feature = "p256")]
    pub fn p256_der(der: &[u8]) -> Result<Self, SecretError> {
        use p256::pkcs8::DecodePublicKey as _;
        p256::ecdsa::VerifyingKey::from_public_key_der(der)
            .map(|key| Self(Kind::P256(key)))
            .map_err(|_| SecretError::InvalidKey {
                expected: "a P-256 public key (DER SubjectPublicKeyInfo)",
            })
    }

    /// A P-256 public key from PEM (`-----BEGIN PUBLIC KEY-----`).
    #[cfg(feature = "p256")]
    pub fn p256_pem(pem: &str) -> Result<Self, SecretError> {
        use p256::pkcs8::DecodePublicKey as _;
        p256::ecdsa::VerifyingKey::from_public_key_pem(pem)
            .map(|key| Self(Kind::P256(key)))
            .map_err(|_| SecretError::InvalidKey {
                expected: "a P-256 public key (PEM `BEGIN PUBLIC KEY`)",
            })
    }

    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(_) => Algorithm::Ed25519,
            #[cfg(feature = "p256")]
            Kind::P256(_) => Algorithm::EcdsaP256Sha256,
        }
    }

    /// The key's bytes: Ed25519's 32, P-256's compressed SEC1 point.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => key.to_bytes().to_vec(),
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => key.to_sec1_bytes().into_vec(),
        }
    }

    /// Whether `signature` is this key's signature of `message`, checked
    /// strictly: Ed25519 by `verify_strict` (no small-order points, no
    /// non-canonical `S`), ECDSA over SHA-256 of the message (DER or fixed
    /// `r‖s`).
    #[cfg_attr(
        not(any(feature = "ed25519", feature = "p256")),
        allow(unused_variables)
    )]
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify_strict(message, &signature).is_ok()),
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => {
                use p256::ecdsa::signature::Verifier as _;
                let signature = p256::ecdsa::Signature::from_der(signature).or_else(|error| {
                    if signature.len() == 64 {
                        p256::ecdsa::Signature::from_slice(signature)
                    } else {
                        Err(error)
                    }
                });
                signature.is_ok_and(|signature| key.verify(message, &signature).is_ok())
            }
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.to_bytes();
        write!(
            f,
            "PublicKey({:?}, {}…)",
            self.algorithm(),
            hex::encode(&bytes[..bytes.len().min(4)])
        )
    }
}
