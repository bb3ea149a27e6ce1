use std::fmt;

/// The key a delivery is claimed under: `namespace:event-id`, or
/// `namespace:fp:<hex>` where the signature does not cover an event ID (the
/// delivery's [fingerprint](crate::Verified::fingerprint), which a retry or a
/// replay shares and which reveals nothing of the signature).
///
/// The namespace defaults to the provider's name, so one store can serve
/// several routes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(Box<str>);

impl IdempotencyKey {
    /// `namespace:event_id`.
    pub fn new(namespace: &str, event_id: &str) -> Self {
        Self(format!("{namespace}:{event_id}").into_boxed_str())
    }

    /// `namespace:fp:<hex of fingerprint>`.
    pub fn from_fingerprint(namespace: &str, fingerprint: &[u8; 16]) -> Self {
        Self(format!("{namespace}:fp:{}", hex::encode(fingerprint)).into_boxed_str())
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_namespaced() {
        assert_eq!(
            IdempotencyKey::new("stripe", "evt_1").as_str(),
            "stripe:evt_1"
        );
        assert_eq!(
            IdempotencyKey::from_fingerprint("slack", &[0xab; 16]).as_str(),
            "slack:fp:abababababababababababababababab"
        );
    }
}
