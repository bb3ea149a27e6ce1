use crate::crypto::Algorithm;
use crate::secret::{PrivateKey, PublicKey, Secret};

/// One key of a [`KeyRing`](crate::secret::KeyRing): a shared HMAC secret,
/// or one half of a key pair.
///
/// A verifier uses secrets and public keys (and the public half of a
/// private key); a signer uses secrets and private keys.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Key {
    /// A shared secret: signs and verifies HMAC tags.
    Secret(Secret),
    /// A public key: verifies a provider's signatures.
    Public(PublicKey),
    /// A private key: signs (and, through its public half, verifies).
    Private(PrivateKey),
}

impl Key {
    /// The public-key algorithm of a key pair's half; `None` for a secret,
    /// which serves every HMAC algorithm.
    pub fn algorithm(&self) -> Option<Algorithm> {
        match self {
            Self::Secret(_) => None,
            Self::Public(key) => Some(key.algorithm()),
            Self::Private(key) => Some(key.algorithm()),
        }
    }
}

impl From<Secret> for Key {
    fn from(secret: Secret) -> Self {
        Self::Secret(secret)
    }
}

impl From<PublicKey> for Key {
    fn from(key: PublicKey) -> Self {
        Self::Public(key)
    }
}

impl From<PrivateKey> for Key {
    fn from(key: PrivateKey) -> Self {
        Self::Private(key)
    }
}
