use std::fmt;

/// Proof of holding a claim, so that a holder whose lease ended cannot
/// complete or release a newer claim of the same key. Stores shared by
/// several processes draw 128 random bits per claim ([`random`](Self::random));
/// the memory store, alone in its process, uses a random prefix and a counter.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClaimToken([u8; 16]);

impl ClaimToken {
    /// A fresh random token.
    ///
    /// Falls back to a time-and-counter token only if the operating system
    /// cannot provide randomness (unique within this process, still unguessable
    /// across processes only in practice).
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            bytes = fallback_bytes();
        }
        Self(bytes)
    }

    /// Rebuilds a token from its 32-character hex form ([`Display`](fmt::Display)),
    /// as stores that keep it as text read it back.
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }

    /// A token made of these bytes (a store reading one back, or minting
    /// its own unique tokens).
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The token's bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

fn fallback_bytes() -> [u8; 16] {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_nanos() as u64)
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&nanos.to_be_bytes());
    bytes[8..].copy_from_slice(&(count ^ u64::from(std::process::id())).to_be_bytes());
    bytes
}

impl fmt::Display for ClaimToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for ClaimToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClaimToken({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_round_trip_through_hex() {
        let first = ClaimToken::random();
        let second = ClaimToken::random();
        assert_ne!(first, second);
        assert_eq!(ClaimToken::from_hex(&first.to_string()), Some(first));
        assert_eq!(ClaimToken::from_hex("zz"), None);
    }
}
