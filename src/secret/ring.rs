use crate::secret::{Key, SecretError, SecretFormat};

/// An ordered, non-empty set of keys: the current one first, older ones
/// after it while a rotation is under way. The keys may be of several kinds
/// (a Standard Webhooks ring may hold a `whsec_` secret and a `whpk_`
/// public key while a sender moves from `v1` to `v1a`).
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
    keys: Vec<Key>,
}

impl KeyRing {
    /// A ring holding one key (a [`Secret`](crate::secret::Secret), a
    /// [`PublicKey`](crate::secret::PublicKey) or a
    /// [`PrivateKey`](crate::secret::PrivateKey)).
    pub fn new(primary: impl Into<Key>) -> Self {
        Self {
            keys: vec![primary.into()],
        }
    }

    /// Adds a key after the ones already held (an older key during rotation).
    pub fn with_key(mut self, key: impl Into<Key>) -> Self {
        self.keys.push(key.into());
        self
    }

    /// Parses every key in `secrets` with `format` for a verifier (secrets
    /// and public keys), keeping their order.
    ///
    /// Fails on the first key that does not parse, or when there is none.
    pub fn parse<I, S>(format: SecretFormat, secrets: I) -> Result<Self, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self::parse_with(secrets, |text| format.parse_verifying_key(text))
    }

    /// Parses every key in `secrets` with `format` for a signer (secrets and
    /// private keys), keeping their order.
    pub fn parse_signing<I, S>(format: SecretFormat, secrets: I) -> Result<Self, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self::parse_with(secrets, |text| format.parse_signing_key(text))
    }

    fn parse_with<I, S>(
        secrets: I,
        parse: impl Fn(&str) -> Result<Key, SecretError>,
    ) -> Result<Self, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let keys = secrets
            .into_iter()
            .map(|text| parse(text.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(SecretError::NoKeys);
        }
        Ok(Self { keys })
    }

    /// How many keys the ring holds (at least one).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always `false`: a ring holds at least one key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, first (current) key first.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }
}

impl From<Key> for KeyRing {
    fn from(key: Key) -> Self {
        Self::new(key)
    }
}

impl From<crate::secret::Secret> for KeyRing {
    fn from(secret: crate::secret::Secret) -> Self {
        Self::new(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_order_and_rejects_empty_input() {
        let ring = KeyRing::parse(SecretFormat::Raw, ["a", "b", "c"]).unwrap();
        let keys: Vec<&[u8]> = ring
            .keys()
            .iter()
            .map(|key| match key {
                Key::Secret(secret) => secret.expose(),
                other => panic!("{other:?}"),
            })
            .collect();
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
