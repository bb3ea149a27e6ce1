use std::ops::RangeInclusive;

use subtle::Choice;

use crate::crypto::{Algorithm, Encoding};
use crate::crypto::{CandidateError, INLINE_TAG_LEN, MAX_TAG_LEN, Tag};
use crate::limits::MAX_SIGNATURES;

/// The decoded signatures a request carries: on the stack for every
/// algorithm whose signatures fit [`INLINE_TAG_LEN`] bytes, in one heap
/// buffer (made on the first signature) for longer ones (RSA).
///
/// At most [`MAX_SIGNATURES`]; each of a length the algorithm allows
/// (exactly the tag length for HMAC and Ed25519), never truncated.
pub(crate) struct Candidates {
    tags: [[u8; INLINE_TAG_LEN]; MAX_SIGNATURES],
    /// `MAX_SIGNATURES` slots of [`MAX_TAG_LEN`] bytes, for signatures
    /// longer than the inline slots.
    long: Vec<u8>,
    lens: [u16; MAX_SIGNATURES],
    count: usize,
    lengths: RangeInclusive<usize>,
    /// Kept as the SHA-256 of the bytes received (a shared token).
    digested: bool,
}

impl Candidates {
    pub(crate) fn new(algorithm: Algorithm) -> Self {
        Self {
            tags: [[0; INLINE_TAG_LEN]; MAX_SIGNATURES],
            long: Vec::new(),
            lens: [0; MAX_SIGNATURES],
            count: 0,
            lengths: algorithm.signature_len(),
            digested: algorithm == Algorithm::SharedToken,
        }
    }

    fn is_long(&self) -> bool {
        *self.lengths.end() > INLINE_TAG_LEN
    }

    /// Decodes one received signature and keeps it.
    pub(crate) fn push(
        &mut self,
        encoded: &[u8],
        encoding: Encoding,
    ) -> Result<(), CandidateError> {
        if self.count == MAX_SIGNATURES {
            return Err(CandidateError::TooMany);
        }
        if self.is_long() && self.long.is_empty() {
            self.long = vec![0; MAX_SIGNATURES * MAX_TAG_LEN];
        }
        let index = self.count;
        let slot: &mut [u8] = if self.is_long() {
            &mut self.long[index * MAX_TAG_LEN..(index + 1) * MAX_TAG_LEN]
        } else {
            &mut self.tags[index]
        };
        let len = if self.digested {
            // A token is compared as it is, by its digest: in constant time
            // whatever its length, and never truncated.
            use sha2::Digest as _;
            slot[..32].copy_from_slice(&sha2::Sha256::digest(encoded));
            32
        } else {
            encoding
                .decode_signature(encoded, slot, self.lengths.clone())
                .ok_or(CandidateError::Malformed)?
        };
        // At most MAX_TAG_LEN (512), so it fits two bytes.
        self.lens[index] = len as u16;
        self.count += 1;
        Ok(())
    }

    /// Keeps the signature if it decodes; one that does not can never match,
    /// so it is dropped. Past the capacity nothing more is kept.
    pub(crate) fn push_if_readable(&mut self, encoded: &[u8], encoding: Encoding) {
        let _ = self.push(encoded, encoding);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    #[cfg(any(test, fuzzing))]
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// The index of a candidate equal to `tag`, comparing every candidate in
    /// constant time (the loop does not stop at the first match).
    pub(crate) fn position_of(&self, tag: &Tag) -> Option<usize> {
        let mut found = None;
        for (index, candidate) in self.iter().enumerate() {
            let equal: Choice = tag.ct_eq(candidate);
            if bool::from(equal) {
                found = Some(index);
            }
        }
        found
    }

    /// The candidate at `index`.
    pub(crate) fn get(&self, index: usize) -> Option<&[u8]> {
        (index < self.count).then(|| self.slot(index))
    }

    /// Every candidate, in the order received.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.count).map(|index| self.slot(index))
    }

    fn slot(&self, index: usize) -> &[u8] {
        let len = usize::from(self.lens[index]);
        if self.is_long() {
            &self.long[index * MAX_TAG_LEN..][..len]
        } else {
            &self.tags[index][..len]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_the_limit() {
        let mut candidates = Candidates::new(Algorithm::Sha256);
        let hex = "00".repeat(32);
        for _ in 0..MAX_SIGNATURES {
            candidates.push(hex.as_bytes(), Encoding::Hex).unwrap();
        }
        assert_eq!(
            candidates.push(hex.as_bytes(), Encoding::Hex),
            Err(CandidateError::TooMany)
        );
        assert_eq!(candidates.len(), MAX_SIGNATURES);
    }

    #[test]
    fn wrong_length_is_malformed() {
        let mut candidates = Candidates::new(Algorithm::Sha256);
        assert_eq!(
            candidates.push("00".repeat(20).as_bytes(), Encoding::Hex),
            Err(CandidateError::Malformed)
        );
        assert_eq!(
            candidates.push("00".repeat(33).as_bytes(), Encoding::Hex),
            Err(CandidateError::Malformed)
        );
        assert!(candidates.is_empty());
    }

    #[test]
    fn finds_the_matching_candidate() {
        let mut candidates = Candidates::new(Algorithm::Sha1);
        candidates
            .push("11".repeat(20).as_bytes(), Encoding::Hex)
            .unwrap();
        candidates
            .push("22".repeat(20).as_bytes(), Encoding::Hex)
            .unwrap();
        let tag = Tag::new(&[0x22; 20]);
        assert_eq!(candidates.position_of(&tag), Some(1));
        assert_eq!(candidates.get(1), Some(&[0x22; 20][..]));
        assert_eq!(candidates.position_of(&Tag::new(&[0x33; 20])), None);
    }
}
