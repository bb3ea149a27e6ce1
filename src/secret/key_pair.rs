use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::crypto::Algorithm;
use crate::secret::{SecretError, SecretFormat};

/// A fresh key, written the way a provider writes it: the text a signer is
/// given and the text its receiver's verifier is given. For an HMAC scheme
/// both are the same secret; for a public-key scheme they are the private
/// and the public half.
///
/// For tests, local senders and `webhook-guard keys generate`. `Debug`
/// shows the verifying half only.
///
/// ```
/// use webhook_guard::scheme::Algorithm;
/// use webhook_guard::secret::{KeyPair, SecretFormat};
///
/// let secret = KeyPair::generate(SecretFormat::StandardWebhooks, Algorithm::Sha256)?;
/// assert!(secret.signing_key().starts_with("whsec_"));
/// assert_eq!(secret.signing_key(), secret.verifying_key());
/// # Ok::<(), webhook_guard::secret::SecretError>(())
/// ```
#[derive(Clone)]
pub struct KeyPair {
    signing: Zeroizing<String>,
    verifying: String,
}

impl KeyPair {
    /// A new key from the system's random source, for `algorithm` (which
    /// must be one `format` writes keys for: Standard Webhooks takes HMAC
    /// for `whsec_` and Ed25519 for `whsk_`/`whpk_`).
    pub fn generate(format: SecretFormat, algorithm: Algorithm) -> Result<Self, SecretError> {
        #[cfg(feature = "rsa")]
        if (format, algorithm) == (SecretFormat::Rsa, Algorithm::RsaPkcs1v15Sha256) {
            return rsa_generate();
        }
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|_| SecretError::InvalidKey {
            expected: "random bytes from the system (getrandom failed)",
        })?;
        Self::from_seed(format, algorithm, &seed)
    }

    /// The key derived from 32 `seed` bytes: the same seed always gives the
    /// same key. For reproducible tests and fuzzing only; a production key
    /// comes from [`generate`](Self::generate).
    pub fn from_seed(
        format: SecretFormat,
        algorithm: Algorithm,
        seed: &[u8; 32],
    ) -> Result<Self, SecretError> {
        let wrong = SecretError::InvalidKey {
            expected: "an algorithm this provider's keys are written for",
        };
        let (signing, verifying) = match (format, algorithm) {
            (format, algorithm) if algorithm.uses_shared_secret() => {
                let secret = match format {
                    SecretFormat::StandardWebhooks => format!("whsec_{}", STANDARD.encode(seed)),
                    SecretFormat::Stripe => format!("whsec_{}", hex::encode(seed)),
                    SecretFormat::GitHub
                    | SecretFormat::Slack
                    | SecretFormat::Shopify
                    | SecretFormat::Raw
                    | SecretFormat::Hex => hex::encode(seed),
                    SecretFormat::BasicCredentials => {
                        let (user, password) = seed.split_at(8);
                        format!("{}:{}", hex::encode(user), hex::encode(password))
                    }
                    SecretFormat::Ed25519Hex | SecretFormat::EcdsaP256 | SecretFormat::Rsa => {
                        return Err(wrong);
                    }
                };
                (Zeroizing::new(secret.clone()), secret)
            }
            #[cfg(feature = "ed25519")]
            (SecretFormat::StandardWebhooks | SecretFormat::Ed25519Hex, Algorithm::Ed25519) => {
                let key = ed25519_dalek::SigningKey::from_bytes(seed);
                let public = key.verifying_key().to_bytes();
                if format == SecretFormat::StandardWebhooks {
                    (
                        Zeroizing::new(format!("whsk_{}", STANDARD.encode(seed))),
                        format!("whpk_{}", STANDARD.encode(public)),
                    )
                } else {
                    (Zeroizing::new(hex::encode(seed)), hex::encode(public))
                }
            }
            #[cfg(feature = "p256")]
            (SecretFormat::EcdsaP256, Algorithm::EcdsaP256Sha256) => {
                use p256::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
                let key = p256_from_seed(seed);
                let private =
                    key.to_pkcs8_pem(LineEnding::LF)
                        .map_err(|_| SecretError::InvalidKey {
                            expected: "a P-256 key that encodes as PKCS#8",
                        })?;
                let public = key.verifying_key().to_public_key_der().map_err(|_| {
                    SecretError::InvalidKey {
                        expected: "a P-256 key that encodes as SubjectPublicKeyInfo",
                    }
                })?;
                (
                    Zeroizing::new(private.to_string()),
                    STANDARD.encode(public.as_bytes()),
                )
            }
            (SecretFormat::Rsa, Algorithm::RsaPkcs1v15Sha256) if algorithm.is_enabled() => {
                return Err(SecretError::InvalidKey {
                    expected: "a generated RSA key (`KeyPair::generate`): RSA keys are not derived from a seed",
                });
            }
            (_, algorithm) if !algorithm.is_enabled() => {
                return Err(SecretError::FeatureDisabled {
                    feature: algorithm.feature().unwrap_or_default(),
                });
            }
            _ => return Err(wrong),
        };
        Ok(Self { signing, verifying })
    }

    /// What the signer is given: the secret, or the private key.
    pub fn signing_key(&self) -> &str {
        &self.signing
    }

    /// What the receiver's verifier is given: the secret, or the public key.
    pub fn verifying_key(&self) -> &str {
        &self.verifying
    }

    /// Whether the two halves differ (a key pair, not a shared secret).
    pub fn is_asymmetric(&self) -> bool {
        *self.signing != self.verifying
    }
}

/// A fresh 2048-bit RSA key from the system's random source: the private
/// key as PKCS#8 PEM, the public one as PEM `SubjectPublicKeyInfo`.
#[cfg(feature = "rsa")]
fn rsa_generate() -> Result<KeyPair, SecretError> {
    use rsa::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
    let failed = |expected| SecretError::InvalidKey { expected };
    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, 2048)
        .map_err(|_| failed("an RSA key from the system's random source"))?;
    let private = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| failed("an RSA key that encodes as PKCS#8"))?;
    let public = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|_| failed("an RSA key that encodes as SubjectPublicKeyInfo"))?;
    Ok(KeyPair {
        signing: Zeroizing::new(private.to_string()),
        verifying: public,
    })
}

/// A valid P-256 scalar from `seed`: the seed itself, or (in the rare case
/// it is zero or not below the group order) its SHA-256, repeated.
#[cfg(feature = "p256")]
fn p256_from_seed(seed: &[u8; 32]) -> p256::ecdsa::SigningKey {
    use sha2::Digest as _;
    let mut candidate = Zeroizing::new(*seed);
    loop {
        if let Ok(key) = p256::ecdsa::SigningKey::from_slice(candidate.as_ref()) {
            return key;
        }
        let next: [u8; 32] = sha2::Sha256::digest(candidate.as_ref()).into();
        *candidate = next;
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("signing", &"[redacted]")
            .field("verifying", &self.verifying)
            .finish()
    }
}
