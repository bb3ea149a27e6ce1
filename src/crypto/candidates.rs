use std::ops::RangeInclusive;

use subtle::Choice;

use crate::crypto::{Algorithm, Encoding};
use crate::crypto::{CandidateError, MAX_TAG_LEN, Tag};
use crate::limits::MAX_SIGNATURES;

/// The decoded signatures a request carries, on the stack.
///
/// At most [`MAX_SIGNATURES`]; each of a length the algorithm allows
/// (exactly the tag length for HMAC and Ed25519), never truncated.
pub(crate) struct Candidates {
    tags: [[u8; MAX_TAG_LEN]; MAX_SIGNATURES],
    lens: [u8; MAX_SIGNATURES],
    count: usize,
    lengths: RangeInclusive<usize>,
    /// Kept as the SHA-256 of the bytes received (a shared token).
    digested: bool,
}

impl Candidates {
    pub(crate) fn new(algorithm: Algorithm) -> Self {
        Self {
            tags: [[0; MAX_TAG_LEN]; MAX_SIGNATURES],
            lens: [0; MAX_SIGNATURES],
            count: 0,
            lengths: algorithm.signature_len(),
            digested: algorithm == Algorithm::SharedToken,
        }
    }

    /// Decodes one received signature and keeps it.
    pub(crate) fn push(
        &mut self,
        encoded: &[u8],
        encoding: Encoding,
    ) -> Result<(), CandidateError> {
        let slot = self
            .tags
            .get_mut(self.count)
            .ok_or(CandidateError::TooMany)?;
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
        // At most MAX_TAG_LEN (72), so it fits a byte.
        self.lens[self.count] = len as u8;
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
        (index < self.count).then(|| &self.tags[index][..usize::from(self.lens[index])])
    }

    /// Every candidate, in the order received.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.tags[..self.count]
            .iter()
            .zip(&self.lens)
            .map(|(tag, len)| &tag[..usize::from(*len)])
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
