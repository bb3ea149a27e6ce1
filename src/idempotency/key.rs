use std::fmt;
use std::sync::Arc;

/// The key a delivery is claimed under: `namespace:event-id`, or
/// `namespace:fp:<hex>` where the signature does not cover an event ID (the
/// delivery's [fingerprint](crate::Verified::fingerprint), which a retry or a
/// replay shares and which reveals nothing of the signature).
///
/// The namespace defaults to the provider's name, so one store can serve
/// several routes.
///
/// Built with one allocation; a clone shares it (the guard hands the key to
/// the store, the claim and the log without copying it).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(Arc<str>);

impl IdempotencyKey {
    /// `namespace:event_id`.
    pub fn new(namespace: &str, event_id: &str) -> Self {
        Self::joined(&[namespace, ":", event_id])
    }

    /// `namespace:fp:<hex of fingerprint>`.
    pub fn from_fingerprint(namespace: &str, fingerprint: &[u8; 16]) -> Self {
        let mut hex = [0u8; 32];
        if hex::encode_to_slice(fingerprint, &mut hex).is_ok()
            && let Ok(hex) = std::str::from_utf8(&hex)
        {
            return Self::joined(&[namespace, ":fp:", hex]);
        }
        // Never taken (32 bytes hold 16 in hex, and hex is ASCII); the
        // plain way keeps the key right if it were.
        Self::joined(&[namespace, ":fp:", &hex::encode(fingerprint)])
    }

    /// The pieces joined into the key's one allocation: gathered on the
    /// stack first where they fit (as almost every key does), so no
    /// formatting machinery and no intermediate `String`.
    fn joined(pieces: &[&str]) -> Self {
        const ON_STACK: usize = 256;
        let len: usize = pieces.iter().map(|piece| piece.len()).sum();
        if len > ON_STACK {
            return Self(Arc::from(pieces.concat()));
        }
        let mut gathered = [0u8; ON_STACK];
        let mut at = 0;
        for piece in pieces {
            gathered[at..at + piece.len()].copy_from_slice(piece.as_bytes());
            at += piece.len();
        }
        // Whole `&str`s joined are UTF-8; were they not, the plain way.
        match std::str::from_utf8(&gathered[..at]) {
            Ok(key) => Self(Arc::from(key)),
            Err(_) => Self(Arc::from(pieces.concat())),
        }
    }

    /// The key's text, shared: what a store keeps without copying it.
    pub(crate) fn shared(&self) -> &Arc<str> {
        &self.0
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

    #[test]
    fn long_and_non_ascii_keys_are_joined_whole() {
        let namespace = "ñ".repeat(200);
        let key = IdempotencyKey::new(&namespace, "évt_1");
        assert_eq!(key.as_str(), format!("{namespace}:évt_1"));
        let key = IdempotencyKey::from_fingerprint(&namespace, &[0x0f; 16]);
        assert_eq!(key.as_str(), format!("{namespace}:fp:{}", "0f".repeat(16)));
        // A clone shares the text.
        assert!(Arc::ptr_eq(key.shared(), key.clone().shared()));
    }
}
