use std::fmt;

use crate::crypto::Algorithm;
#[cfg(any(feature = "ed25519", feature = "p256", feature = "rsa"))]
use crate::secret::SecretError;
use crate::secret::{PreparedMessage, PublicKey};

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

// An RSA key (a kilobyte of big integers) is boxed, so that a `Key`
// stays small; the curve keys are a few hundred bytes at most.
#[derive(Clone)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum Kind {
    #[cfg(feature = "ed25519")]
    Ed25519(ed25519_dalek::SigningKey),
    #[cfg(feature = "p256")]
    P256(p256::ecdsa::SigningKey),
    #[cfg(feature = "rsa")]
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
}

// A signing key is as good as the secret: it must wipe itself when dropped.
#[cfg(any(feature = "ed25519", feature = "p256", feature = "rsa"))]
const _: () = {
    const fn wipes_itself_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    #[cfg(feature = "ed25519")]
    wipes_itself_on_drop::<ed25519_dalek::SigningKey>();
    #[cfg(feature = "p256")]
    wipes_itself_on_drop::<p256::ecdsa::SigningKey>();
    #[cfg(feature = "rsa")]
    wipes_itself_on_drop::<rsa::pkcs1v15::SigningKey<sha2::Sha256>>();
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

    /// An RSA private key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`), 2048 to 4096 bits.
    #[cfg(feature = "rsa")]
    pub fn rsa_pem(pem: &str) -> Result<Self, SecretError> {
        use rsa::pkcs1::DecodeRsaPrivateKey as _;
        use rsa::pkcs8::DecodePrivateKey as _;
        let key = if pem.contains("BEGIN RSA PRIVATE KEY") {
            rsa::PrivateKey::from_pkcs1_pem(pem).ok()
        } else {
            rsa::PrivateKey::from_pkcs8_pem(pem).ok()
        };
        let key = key.ok_or(SecretError::InvalidKey {
            expected: "an RSA private key (PEM `BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`)",
        })?;
        Self::rsa(key)
    }

    /// An RSA private key from DER: PKCS#8 or PKCS#1, 2048 to 4096 bits.
    #[cfg(feature = "rsa")]
    pub fn rsa_der(der: &[u8]) -> Result<Self, SecretError> {
        use rsa::pkcs1::DecodeRsaPrivateKey as _;
        use rsa::pkcs8::DecodePrivateKey as _;
        let key = rsa::PrivateKey::from_pkcs8_der(der)
            .or_else(|_| rsa::PrivateKey::from_pkcs1_der(der))
            .map_err(|_| SecretError::InvalidKey {
                expected: "an RSA private key (DER PKCS#8 or PKCS#1)",
            })?;
        Self::rsa(key)
    }

    #[cfg(feature = "rsa")]
    pub(crate) fn rsa(key: rsa::PrivateKey) -> Result<Self, SecretError> {
        crate::secret::public_key::check_rsa_size(&key)?;
        Ok(Self(Kind::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(
            key,
        )))))
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(_) => Algorithm::Ed25519,
            #[cfg(feature = "p256")]
            Kind::P256(_) => Algorithm::EcdsaP256Sha256,
            #[cfg(feature = "rsa")]
            Kind::Rsa(_) => Algorithm::RsaPkcs1v15Sha256,
        }
    }

    /// The public half, for the receiver.
    pub fn public_key(&self) -> PublicKey {
        #[cfg(any(feature = "ed25519", feature = "p256", feature = "rsa"))]
        use crate::secret::public_key::Kind as Public;
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => PublicKey(Public::Ed25519(key.verifying_key())),
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => PublicKey(Public::P256(*key.verifying_key())),
            #[cfg(feature = "rsa")]
            Kind::Rsa(ref key) => {
                use rsa::signature::Keypair as _;
                PublicKey(Public::Rsa(Box::new(crate::secret::RsaVerifyingKey(
                    key.verifying_key(),
                ))))
            }
        }
    }

    /// This key's signature of `message` (prepared for its algorithm):
    /// Ed25519's 64 bytes, a DER ECDSA signature (deterministic, RFC 6979),
    /// an RSA PKCS#1 v1.5 signature (as long as the modulus). `None` if the
    /// message was prepared for another algorithm or the signing failed.
    #[cfg_attr(
        not(any(feature = "ed25519", feature = "p256", feature = "rsa")),
        allow(unused_variables)
    )]
    pub(crate) fn sign(&self, message: &PreparedMessage) -> Option<Vec<u8>> {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => {
                use ed25519_dalek::Signer as _;
                message
                    .whole()
                    .map(|message| key.sign(message).to_bytes().to_vec())
            }
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => {
                use p256::ecdsa::signature::hazmat::PrehashSigner as _;
                let signature: p256::ecdsa::Signature = key.sign_prehash(message.sha256()?).ok()?;
                Some(signature.to_der().to_bytes().into_vec())
            }
            #[cfg(feature = "rsa")]
            Kind::Rsa(ref key) => {
                use rsa::signature::SignatureEncoding as _;
                use rsa::signature::hazmat::PrehashSigner as _;
                let signature = key.sign_prehash(message.sha256()?).ok()?;
                Some(signature.to_vec())
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
