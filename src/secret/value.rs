use std::fmt;

use zeroize::Zeroize;

/// The bytes of one HMAC key.
///
/// `Debug` prints `Secret([redacted])`; the bytes are overwritten with zeros
/// when the value is dropped. Build one with [`SecretFormat::parse`]
/// (the provider's way) or [`Secret::from_bytes`] (already decoded).
///
/// [`SecretFormat::parse`]: crate::secret::SecretFormat::parse
#[derive(Clone)]
pub struct Secret {
    bytes: Box<[u8]>,
}

impl Secret {
    /// Copies key bytes that are already decoded. The copy is exactly as
    /// long as the key (no spare capacity left unwiped); wiping `bytes`
    /// itself is the caller's business.
    ///
    /// Fails only when `bytes` is empty: an empty HMAC key verifies anything
    /// an attacker signs with an empty key.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, crate::secret::SecretError> {
        if bytes.is_empty() {
            return Err(crate::secret::SecretError::Empty);
        }
        Ok(Self {
            bytes: Box::from(bytes),
        })
    }

    /// How many key bytes there are (after decoding).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always `false`: an empty secret cannot be built.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The key bytes, for keying a MAC.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Secret {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::from_bytes(b"hunter2").unwrap();
        let printed = format!("{secret:?} {secret:#?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("[redacted]"));
    }

    #[test]
    fn empty_bytes_are_rejected() {
        assert!(Secret::from_bytes(&[]).is_err());
    }
}
