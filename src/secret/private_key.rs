use std::fmt;

use crate::crypto::Algorithm;
use crate::secret::PublicKey;
#[cfg(any(feature = "ed25519", feature = "p256"))]
use crate::secret::SecretError;

/// The private half of a key pair: what a sender signs with.
///
/// `Debug` prints `PrivateKey([redacted])`, and the key is zeroized when
/// dropped (`ed25519-dalek` and `p256` wipe their signing keys). Build one
/// with [`SecretFormat::parse_signing_key`] or [`KeyPair`].
///
/// [`SecretFormat::parse_signing_key`]: crate::secret::SecretFormat::parse_signing_key
/// [`KeyPair`]: crate::secret::KeyPair
#[derive(Clone)]
pub struct PrivateKey(pub(crate) Kind);

#[derive(Clone)]
pub(crate) enum Kind {
    #[cfg(feature = "ed25519")]
    Ed25519(ed25519_dalek::SigningKey),
    #[cfg(feature = "p256")]
    P256(p256::ecdsa::SigningKey),
}

// A signing key is as good as the secret: it must wipe itself when dropped.
#[cfg(any(feature = "ed25519", feature = "p256"))]
const _: () = {
    const fn wipes_itself_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    #[cfg(feature = "ed25519")]
    wipes_itself_on_drop::<ed25519_dalek::SigningKey>();
    #[cfg(feature = "p256")]
    wipes_itself_on_drop::<p256::ecdsa::SigningKey>();
};

impl PrivateKey {
    /// An Ed25519 private key from its 32-byte seed, or from the 64-byte
    /// `seed‖public key` some libraries write (the Standard Webhooks spec
    /// allows both); the halves of the 64-byte form must agree.
    #[cfg(feature = "ed25519")]
    pub fn ed25519(bytes: &[u8]) -> Result<Self, SecretError> {
        let key = match bytes.len() {
            32 => {
                let mut seed = zeroize::Zeroizing::new([0u8; 32]);
                seed.copy_from_slice(bytes);
                ed25519_dalek::SigningKey::from_bytes(&seed)
            }
            64 => {
                let mut pair = zeroize::Zeroizing::new([0u8; 64]);
                pair.copy_from_slice(bytes);
                ed25519_dalek::SigningKey::from_keypair_bytes(&pair)
                    .map_err(|_| SecretError::MismatchedKeyPair)?
            }
            _ => {
                return Err(SecretError::InvalidKey {
                    expected: "an Ed25519 private key: a 32-byte seed or 64-byte seed and public key",
                });
            }
        };
        Ok(Self(Kind::Ed25519(key)))
    }

    /// A P-256 private key from PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    #[cfg(feature = "p256")]
    pub fn p256_pem(pem: &str) -> Result<Self, SecretError> {
        use p256::pkcs8::DecodePrivateKey as _;
        p256::ecdsa::SigningKey::from_pkcs8_pem(pem)
            .map(|key| Self(Kind::P256(key)))
            .map_err(|_| SecretError::InvalidKey {
                expected: "a P-256 private key (PKCS#8 PEM `BEGIN PRIVATE KEY`)",
            })
    }

    /// A P-256 private key from PKCS#8 DER.
    #[cfg(feature = "p256")]
    pub fn p256_der(der: &[u8]) -> Result<Self, SecretError> {
        use p256::pkcs8::DecodePrivateKey as _;
        p256::ecdsa::SigningKey::from_pkcs8_der(der)
            .map(|key| Self(Kind::P256(key)))
            .map_err(|_| SecretError::InvalidKey {
                expected: "a P-256 private key (PKCS#8 DER)",
            })
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(_) => Algorithm::Ed25519,
            #[cfg(feature = "p256")]
            Kind::P256(_) => Algorithm::EcdsaP256Sha256,
        }
    }

    /// The public half, for the receiver.
    pub fn public_key(&self) -> PublicKey {
        #[cfg(any(feature = "ed25519", feature = "p256"))]
        use crate::secret::public_key::Kind as Public;
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => PublicKey(Public::Ed25519(key.verifying_key())),
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => PublicKey(Public::P256(*key.verifying_key())),
        }
    }

    /// This key's signature of `message`: Ed25519's 64 bytes, or a DER
    /// ECDSA signature (deterministic, RFC 6979).
    #[cfg_attr(
        not(any(feature = "ed25519", feature = "p256")),
        allow(unused_variables)
    )]
    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => {
                use ed25519_dalek::Signer as _;
                key.sign(message).to_bytes().to_vec()
            }
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => {
                use p256::ecdsa::signature::Signer as _;
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().to_bytes().into_vec()
            }
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey([redacted])")
    }
}

#[cfg(all(test, feature = "ed25519"))]
mod tests {
    use super::*;

    #[test]
    fn an_ed25519_key_is_a_seed_or_a_seed_and_its_public_key() {
        let seed = [7u8; 32];
        let from_seed = PrivateKey::ed25519(&seed).unwrap();
        let mut pair = seed.to_vec();
        pair.extend_from_slice(&from_seed.public_key().to_bytes());
        let from_pair = PrivateKey::ed25519(&pair).unwrap();
        assert_eq!(from_seed.public_key(), from_pair.public_key());

        // The second half must be the first half's public key.
        pair[40] ^= 1;
        assert_eq!(
            PrivateKey::ed25519(&pair).unwrap_err(),
            SecretError::MismatchedKeyPair
        );
        assert!(PrivateKey::ed25519(&[7u8; 31]).is_err());
        assert_eq!(format!("{from_seed:?}"), "PrivateKey([redacted])");
    }
}
