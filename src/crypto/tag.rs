use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroize;

/// The longest tag or signature any supported algorithm produces: a DER
/// ECDSA P-256 signature (HMAC-SHA-512 and Ed25519 give 64 bytes).
pub(crate) const MAX_TAG_LEN: usize = 72;

/// A tag this crate computed. It is what a forger would need, so it is
/// compared only in constant time and zeroized when dropped.
pub(crate) struct Tag {
    bytes: [u8; MAX_TAG_LEN],
    len: usize,
}

impl Tag {
    /// Copies a finished MAC output (at most [`MAX_TAG_LEN`] bytes).
    pub(crate) fn new(output: &[u8]) -> Self {
        let mut bytes = [0; MAX_TAG_LEN];
        let len = output.len().min(MAX_TAG_LEN);
        bytes[..len].copy_from_slice(&output[..len]);
        Self { bytes, len }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Constant-time equality with received bytes (lengths are public).
    pub(crate) fn ct_eq(&self, received: &[u8]) -> Choice {
        self.as_slice().ct_eq(received)
    }
}

impl Drop for Tag {
    fn drop(&mut self) {
        self.bytes[..self.len].zeroize();
    }
}
