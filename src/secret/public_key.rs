use std::fmt;

use crate::crypto::Algorithm;
use crate::secret::PreparedMessage;
#[cfg(any(feature = "ed25519", feature = "p256", feature = "rsa"))]
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
    #[cfg(feature = "rsa")]
    Rsa(Box<crate::secret::RsaVerifyingKey>),
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

    /// An RSA public key from DER: a `SubjectPublicKeyInfo`, a PKCS#1
    /// `RSAPublicKey`, or an X.509 certificate (its subject's key; the
    /// certificate itself is not checked here). Keys of 2048 to 4096 bits.
    #[cfg(feature = "rsa")]
    pub fn rsa_der(der: &[u8]) -> Result<Self, SecretError> {
        use rsa::pkcs1::DecodeRsaPublicKey as _;
        use rsa::pkcs8::DecodePublicKey as _;
        use x509_cert::der::Decode as _;
        let key = rsa::PublicKey::from_public_key_der(der)
            .or_else(|_| rsa::PublicKey::from_pkcs1_der(der))
            .or_else(|_| {
                let certificate = x509_cert::Certificate::from_der(der).map_err(|_| ())?;
                rsa_key_of(&certificate)
            })
            .map_err(|_| SecretError::InvalidKey {
                expected: "an RSA public key (DER SubjectPublicKeyInfo, PKCS#1, or an X.509 certificate)",
            })?;
        Self::rsa(key)
    }

    /// An RSA public key from PEM: `BEGIN PUBLIC KEY`, `BEGIN RSA PUBLIC
    /// KEY` or `BEGIN CERTIFICATE` (its subject's key; the certificate
    /// itself is not checked here). Keys of 2048 to 4096 bits.
    #[cfg(feature = "rsa")]
    pub fn rsa_pem(pem: &str) -> Result<Self, SecretError> {
        use rsa::pkcs1::DecodeRsaPublicKey as _;
        use rsa::pkcs8::DecodePublicKey as _;
        use x509_cert::der::DecodePem as _;
        let key = if pem.contains("BEGIN CERTIFICATE") {
            x509_cert::Certificate::from_pem(pem)
                .map_err(|_| ())
                .and_then(|certificate| rsa_key_of(&certificate))
        } else if pem.contains("BEGIN RSA PUBLIC KEY") {
            rsa::PublicKey::from_pkcs1_pem(pem).map_err(|_| ())
        } else {
            rsa::PublicKey::from_public_key_pem(pem).map_err(|_| ())
        };
        let key = key.map_err(|_| SecretError::InvalidKey {
            expected: "an RSA public key (PEM `BEGIN PUBLIC KEY`, `BEGIN RSA PUBLIC KEY` or `BEGIN CERTIFICATE`)",
        })?;
        Self::rsa(key)
    }

    #[cfg(feature = "rsa")]
    fn rsa(key: rsa::PublicKey) -> Result<Self, SecretError> {
        check_rsa_size(&key)?;
        Ok(Self(Kind::Rsa(Box::new(crate::secret::RsaVerifyingKey(
            rsa::pkcs1v15::VerifyingKey::new(key),
        )))))
    }

    /// The algorithm this key verifies.
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

    /// The key's bytes: Ed25519's 32, P-256's compressed SEC1 point, RSA's
    /// DER `SubjectPublicKeyInfo`.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => key.to_bytes().to_vec(),
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => key.to_sec1_bytes().into_vec(),
            #[cfg(feature = "rsa")]
            Kind::Rsa(ref key) => {
                use rsa::pkcs8::EncodePublicKey as _;
                key.0
                    .to_public_key_der()
                    .map(|der| der.into_vec())
                    .unwrap_or_default()
            }
        }
    }

    /// Whether `signature` is this key's signature of `message` (prepared
    /// for this key's algorithm), checked strictly: Ed25519 by
    /// `verify_strict` (no small-order points, no non-canonical `S`), ECDSA
    /// over the message's SHA-256 (DER or fixed `r‖s`), RSA PKCS#1 v1.5
    /// over the message's SHA-256 (a signature exactly as long as the
    /// modulus).
    #[cfg_attr(
        not(any(feature = "ed25519", feature = "p256", feature = "rsa")),
        allow(unused_variables)
    )]
    pub(crate) fn verifies(&self, message: &PreparedMessage, signature: &[u8]) -> bool {
        match self.0 {
            #[cfg(feature = "ed25519")]
            Kind::Ed25519(ref key) => {
                let Some(message) = message.whole() else {
                    return false;
                };
                ed25519_dalek::Signature::from_slice(signature)
                    .is_ok_and(|signature| key.verify_strict(message, &signature).is_ok())
            }
            #[cfg(feature = "p256")]
            Kind::P256(ref key) => {
                use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
                let Some(digest) = message.sha256() else {
                    return false;
                };
                let signature = p256::ecdsa::Signature::from_der(signature).or_else(|error| {
                    if signature.len() == 64 {
                        p256::ecdsa::Signature::from_slice(signature)
                    } else {
                        Err(error)
                    }
                });
                signature.is_ok_and(|signature| key.verify_prehash(digest, &signature).is_ok())
            }
            #[cfg(feature = "rsa")]
            Kind::Rsa(ref key) => {
                use rsa::signature::hazmat::PrehashVerifier as _;
                let Some(digest) = message.sha256() else {
                    return false;
                };
                let modulus = rsa::traits::PublicKeyParts::size(key.0.as_ref());
                if signature.len() != modulus {
                    return false;
                }
                rsa::pkcs1v15::Signature::try_from(signature)
                    .is_ok_and(|signature| key.0.verify_prehash(digest, &signature).is_ok())
            }
        }
    }
}

/// The subject's RSA key of a certificate.
#[cfg(feature = "rsa")]
fn rsa_key_of(certificate: &x509_cert::Certificate) -> Result<rsa::PublicKey, ()> {
    use rsa::pkcs8::DecodePublicKey as _;
    use x509_cert::der::Encode as _;
    let info = certificate
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|_| ())?;
    rsa::PublicKey::from_public_key_der(&info).map_err(|_| ())
}

/// RSA keys of 2048 to 4096 bits: shorter ones are breakable, longer ones
/// cost a verifier more than any sender needs (and are what a request would
/// bring to make the verifier work).
#[cfg(feature = "rsa")]
pub(crate) fn check_rsa_size(key: &impl rsa::traits::PublicKeyParts) -> Result<(), SecretError> {
    if (2048..=4096).contains(&key.n().bit_width()) {
        Ok(())
    } else {
        Err(SecretError::InvalidKey {
            expected: "an RSA key of 2048 to 4096 bits",
        })
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
