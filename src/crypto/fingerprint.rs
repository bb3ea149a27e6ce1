use sha2::{Digest, Sha256};

/// Names the hash's purpose, so a fingerprint cannot be mistaken for any
/// other SHA-256 of a tag.
const DOMAIN: &[u8] = b"webhook-guard delivery fingerprint v1\0";

/// An identifier of one exact delivery, derived from the tag that the
/// scheme's main header set carries for it: the same for every retry or
/// replay of that delivery, and revealing nothing of the tag (so it can go
/// into logs and store keys where a signature must not).
pub(crate) fn fingerprint(tag: &[u8]) -> [u8; 16] {
    let digest = Sha256::new()
        .chain_update(DOMAIN)
        .chain_update(tag)
        .finalize();
    let mut fingerprint = [0u8; 16];
    fingerprint.copy_from_slice(&digest[..16]);
    fingerprint
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_tags_give_equal_fingerprints_that_do_not_contain_them() {
        let tag = [0xabu8; 32];
        assert_eq!(fingerprint(&tag), fingerprint(&tag));
        assert_ne!(fingerprint(&tag), fingerprint(&[0xacu8; 32]));
        assert!(!hex::encode(fingerprint(&tag)).contains("abab"));
    }
}
