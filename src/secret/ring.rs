use crate::secret::{Secret, SecretError, SecretFormat};

/// An ordered, non-empty set of keys: the current one first, older ones
/// after it while a rotation is under way.
///
/// A [`Verifier`](crate::Verifier) accepts a request when any key matches any
/// signature the request carries, and reports the index of the key that
/// matched ([`Verified::key_index`](crate::Verified::key_index)); index 0 is
/// the first key. A [`Signer`](crate::Signer) signs with every key where the
/// scheme carries several signatures, else with the first.
///
/// ```
/// use webhook_guard::secret::{KeyRing, SecretFormat};
///
/// let ring = KeyRing::parse(SecretFormat::Stripe, ["whsec_new", "whsec_old"])?;
/// assert_eq!(ring.len(), 2);
/// # Ok::<(), webhook_guard::secret::SecretError>(())
/// ```
#[derive(Debug, Clone)]
pub struct KeyRing {
    secrets: Vec<Secret>,
}

impl KeyRing {
    /// A ring holding one key.
    pub fn new(primary: Secret) -> Self {
        Self {
            secrets: vec![primary],
        }
    }

    /// Adds a key after the ones already held (an older key during rotation).
    pub fn with_key(mut self, secret: Secret) -> Self {
        self.secrets.push(secret);
        self
    }

    /// Parses every secret in `secrets` with `format`, keeping their order.
    ///
    /// Fails on the first secret that does not parse, or when there is none.
    pub fn parse<I, S>(format: SecretFormat, secrets: I) -> Result<Self, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let secrets = secrets
            .into_iter()
            .map(|secret| format.parse(secret.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        if secrets.is_empty() {
            return Err(SecretError::NoKeys);
        }
        Ok(Self { secrets })
    }

    /// How many keys the ring holds (at least one).
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Always `false`: a ring holds at least one key.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The keys, first (current) key first.
    pub(crate) fn secrets(&self) -> &[Secret] {
        &self.secrets
    }
}

impl From<Secret> for KeyRing {
    fn from(secret: Secret) -> Self {
        Self::new(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_order_and_rejects_empty_input() {
        let ring = KeyRing::parse(SecretFormat::Raw, ["a", "b", "c"]).unwrap();
        let keys: Vec<&[u8]> = ring.secrets().iter().map(Secret::expose).collect();
        assert_eq!(keys, [b"a", b"b", b"c"]);
        assert_eq!(
            KeyRing::parse(SecretFormat::Raw, Vec::<&str>::new()).unwrap_err(),
            SecretError::NoKeys
        );
    }

    #[test]
    fn one_bad_secret_fails_the_whole_ring() {
        let err = KeyRing::parse(SecretFormat::Stripe, ["whsec_ok", "sk_live_oops"]).unwrap_err();
        assert!(matches!(err, SecretError::WrongKind { .. }));
    }

    #[test]
    fn debug_shows_no_key_bytes() {
        let ring = KeyRing::parse(SecretFormat::Raw, ["topsecret"]).unwrap();
        assert!(!format!("{ring:?}").contains("topsecret"));
    }
}
