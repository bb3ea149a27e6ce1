use std::hint::black_box;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, Zeroizing};

/// The longest tag or signature any supported algorithm produces: an
/// RSA-4096 signature.
pub(crate) const MAX_TAG_LEN: usize = 512;

/// The longest kept on the stack: a DER ECDSA P-256 signature (HMAC-SHA-512
/// and Ed25519 give 64 bytes). Longer ones (RSA) go to the heap, whose cost
/// is nothing beside an RSA operation's.
pub(crate) const INLINE_TAG_LEN: usize = 72;

/// A tag this crate computed (or a signature it made). It is what a forger
/// would need, so it is compared only in constant time and zeroized when
/// dropped.
pub(crate) enum Tag {
    Inline {
        bytes: [u8; INLINE_TAG_LEN],
        len: usize,
    },
    Heap(Zeroizing<Vec<u8>>),
}

impl Tag {
    /// Copies a finished MAC output or signature, never truncated.
    pub(crate) fn new(output: &[u8]) -> Self {
        if output.len() > INLINE_TAG_LEN {
            return Self::Heap(Zeroizing::new(output.to_vec()));
        }
        let mut bytes = [0; INLINE_TAG_LEN];
        bytes[..output.len()].copy_from_slice(output);
        Self::Inline {
            bytes,
            len: output.len(),
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Self::Inline { bytes, len } => &bytes[..*len],
            Self::Heap(bytes) => bytes,
        }
    }

    /// Constant-time equality with received bytes (lengths are public).
    pub(crate) fn ct_eq(&self, received: &[u8]) -> Choice {
        ct_eq(self.as_slice(), received)
    }
}

impl Drop for Tag {
    fn drop(&mut self) {
        if let Self::Inline { bytes, len } = self {
            bytes[..*len].zeroize();
        }
    }
}

/// Constant-time equality of two byte strings of public lengths: every byte
/// pair is XORed into one word, eight bytes at a time, with no branch on
/// their values; the word passes an optimization barrier after each step
/// (so the compiler cannot stop at the first difference) and is compared
/// with zero by `subtle`. The guarantee of `subtle`'s slice comparison,
/// which puts every byte through the barrier, at a tenth of the
/// instructions.
pub(crate) fn ct_eq(left: &[u8], right: &[u8]) -> Choice {
    if left.len() != right.len() {
        return Choice::from(0);
    }
    let (left_words, left_rest) = left.as_chunks::<8>();
    let (right_words, right_rest) = right.as_chunks::<8>();
    let mut difference = 0u64;
    for (left, right) in left_words.iter().zip(right_words) {
        difference =
            black_box(difference | (u64::from_ne_bytes(*left) ^ u64::from_ne_bytes(*right)));
    }
    for (left, right) in left_rest.iter().zip(right_rest) {
        difference = black_box(difference | u64::from(left ^ right));
    }
    difference.ct_eq(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_every_byte_and_the_length_are() {
        let a: Vec<u8> = (0..72).collect();
        for len in [0, 1, 7, 8, 9, 20, 32, 64, 72] {
            assert!(bool::from(ct_eq(&a[..len], &a[..len])), "{len}");
            for flip in 0..len {
                let mut b = a[..len].to_vec();
                b[flip] ^= 0x80;
                assert!(!bool::from(ct_eq(&a[..len], &b)), "{len} {flip}");
            }
        }
        assert!(!bool::from(ct_eq(&a[..32], &a[..31])));
    }

    #[test]
    fn a_long_signature_is_kept_whole() {
        let long = [7u8; MAX_TAG_LEN];
        let tag = Tag::new(&long);
        assert_eq!(tag.as_slice(), &long[..]);
        assert!(bool::from(tag.ct_eq(&long)));
        assert_eq!(
            Tag::new(&long[..INLINE_TAG_LEN]).as_slice().len(),
            INLINE_TAG_LEN
        );
    }
}
