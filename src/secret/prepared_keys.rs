use hmac::{EagerHash, Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use crate::crypto::{Algorithm, Candidates, Message, Tag};
use crate::secret::KeyRing;

/// Every key of a ring, keyed into HMAC state once for each algorithm a
/// scheme uses; each message clones that state. The `hmac` crate is built
/// with its `zeroize` feature, so the keyed state and every clone of it is
/// wiped when dropped.
#[derive(Clone)]
pub(crate) struct PreparedKeys {
    sha1: Vec<Hmac<Sha1>>,
    sha256: Vec<Hmac<Sha256>>,
    sha512: Vec<Hmac<Sha512>>,
    count: usize,
}

impl PreparedKeys {
    /// Keys every secret of `ring` for each of `algorithms`; the secrets
    /// themselves are not kept.
    pub(crate) fn new(ring: &KeyRing, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        let mut prepared = Self {
            sha1: Vec::new(),
            sha256: Vec::new(),
            sha512: Vec::new(),
            count: ring.len(),
        };
        for algorithm in algorithms {
            match algorithm {
                Algorithm::Sha1 => key_all(&mut prepared.sha1, ring),
                Algorithm::Sha256 => key_all(&mut prepared.sha256, ring),
                Algorithm::Sha512 => key_all(&mut prepared.sha512, ring),
            }
        }
        prepared
    }

    /// How many keys the ring had.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// The first key (in ring order) whose tag of `message` equals one of
    /// `candidates`: `(key index, candidate index)`. One MAC per key, however
    /// many candidates there are.
    pub(crate) fn find_match(
        &self,
        algorithm: Algorithm,
        message: &impl Message,
        candidates: &Candidates,
    ) -> Option<(usize, usize)> {
        match algorithm {
            Algorithm::Sha1 => find_match(&self.sha1, message, candidates),
            Algorithm::Sha256 => find_match(&self.sha256, message, candidates),
            Algorithm::Sha512 => find_match(&self.sha512, message, candidates),
        }
    }

    /// The tag of `message` under the key at `index`, if the ring has it.
    pub(crate) fn tag_with(
        &self,
        algorithm: Algorithm,
        index: usize,
        message: &impl Message,
    ) -> Option<Tag> {
        match algorithm {
            Algorithm::Sha1 => self.sha1.get(index).map(|key| tag(key, message)),
            Algorithm::Sha256 => self.sha256.get(index).map(|key| tag(key, message)),
            Algorithm::Sha512 => self.sha512.get(index).map(|key| tag(key, message)),
        }
    }

    /// The tags of `message` under the first `limit` keys, in ring order.
    pub(crate) fn tags(
        &self,
        algorithm: Algorithm,
        message: &impl Message,
        limit: usize,
    ) -> Vec<Tag> {
        match algorithm {
            Algorithm::Sha1 => tags(&self.sha1, message, limit),
            Algorithm::Sha256 => tags(&self.sha256, message, limit),
            Algorithm::Sha512 => tags(&self.sha512, message, limit),
        }
    }
}

// Keyed HMAC state is as good as the key, so every clone of it must wipe
// itself when dropped. `Hmac<D>` holds two keyed hash cores (inner and outer)
// and a block buffer; the cores wipe themselves only when `sha1`/`sha2` are
// built with their `zeroize` feature (this fails to compile otherwise), the
// buffer when `digest`'s is (enabled by `hmac`'s `zeroize` feature).
const _: () = {
    const fn wipes_itself_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wipes_itself_on_drop::<<Sha1 as EagerHash>::Core>();
    wipes_itself_on_drop::<<Sha256 as EagerHash>::Core>();
    wipes_itself_on_drop::<<Sha512 as EagerHash>::Core>();
};

fn key_all<M: KeyInit>(slot: &mut Vec<M>, ring: &KeyRing) {
    if slot.is_empty() {
        // HMAC takes keys of any length (longer ones are hashed first), so
        // this cannot fail whatever the key; it never depends on request input.
        *slot = ring
            .secrets()
            .iter()
            .map(|secret| {
                M::new_from_slice(secret.expose()).expect("HMAC accepts keys of any length")
            })
            .collect();
    }
}

fn tag<M: Mac + Clone>(key: &M, message: &impl Message) -> Tag {
    let mut mac = key.clone();
    message.feed(&mut mac);
    Tag::new(&mac.finalize().into_bytes())
}

fn find_match<M: Mac + Clone>(
    keys: &[M],
    message: &impl Message,
    candidates: &Candidates,
) -> Option<(usize, usize)> {
    keys.iter().enumerate().find_map(|(key_index, key)| {
        candidates
            .position_of(&tag(key, message))
            .map(|candidate| (key_index, candidate))
    })
}

fn tags<M: Mac + Clone>(keys: &[M], message: &impl Message, limit: usize) -> Vec<Tag> {
    keys.iter()
        .take(limit)
        .map(|key| tag(key, message))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{KeyRing, Secret};

    // RFC 2202 / RFC 4231 test case 2 (key "Jefe").
    struct Rfc;
    impl Message for Rfc {
        fn feed<M: Mac>(&self, mac: &mut M) {
            mac.update(b"what do ya want ");
            mac.update(b"for nothing?");
        }
    }

    fn tag_hex(algorithm: Algorithm) -> String {
        let ring = KeyRing::new(Secret::from_bytes(b"Jefe").unwrap());
        let keys = PreparedKeys::new(&ring, [algorithm]);
        hex::encode(keys.tags(algorithm, &Rfc, 1)[0].as_slice())
    }

    #[test]
    fn matches_rfc_known_answers() {
        assert_eq!(
            tag_hex(Algorithm::Sha1),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert_eq!(
            tag_hex(Algorithm::Sha256),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            tag_hex(Algorithm::Sha512),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    #[test]
    fn one_mac_per_key_finds_the_matching_key_and_candidate() {
        let ring = KeyRing::new(Secret::from_bytes(b"new").unwrap())
            .with_key(Secret::from_bytes(b"Jefe").unwrap());
        let keys = PreparedKeys::new(&ring, [Algorithm::Sha256]);
        let mut candidates = Candidates::new(Algorithm::Sha256);
        candidates
            .push(&[b'0'; 64], crate::crypto::Encoding::Hex)
            .unwrap();
        candidates
            .push(
                b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                crate::crypto::Encoding::Hex,
            )
            .unwrap();
        assert_eq!(
            keys.find_match(Algorithm::Sha256, &Rfc, &candidates),
            Some((1, 1))
        );
        assert_eq!(keys.find_match(Algorithm::Sha1, &Rfc, &candidates), None);
    }
}
