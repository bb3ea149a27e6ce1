// Without a public-key feature the key-pair types are uninhabited, and the
// code handling them is unreachable by construction.
#![cfg_attr(
    not(any(feature = "ed25519", feature = "p256", feature = "rsa")),
    allow(unreachable_code)
)]

use hmac::{EagerHash, Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};
use zeroize::Zeroizing;

use crate::crypto::{Algorithm, Candidates, Message, Tag};
use crate::limits::MAX_PUBLIC_KEY_CHECKS;
use crate::secret::{Key, KeyRing, PreparedMessage, PrivateKey, PublicKey, Secret};

/// Every key of a ring, made ready for use: each secret keyed into HMAC
/// state once for each HMAC algorithm a scheme uses (each message clones
/// that state), each public key parsed, each private key kept for signing
/// (and its public half for verifying). Every entry remembers its index in
/// the ring. The `hmac` crate is built with its `zeroize` feature, so the
/// keyed state and every clone of it is wiped when dropped.
#[derive(Clone)]
pub(crate) struct PreparedKeys {
    sha1: Vec<(usize, Hmac<Sha1>)>,
    sha256: Vec<(usize, Hmac<Sha256>)>,
    sha512: Vec<(usize, Hmac<Sha512>)>,
    /// SHA-256 state with the secret hashed in (wiped on drop, as HMAC's).
    prefixed: Vec<(usize, Sha256)>,
    /// Each shared token's SHA-256 (what a received one is compared by),
    /// and the token itself, for signing.
    tokens: Vec<(usize, Zeroizing<[u8; 32]>, Secret)>,
    public: Vec<(usize, PublicKey)>,
    private: Vec<(usize, PrivateKey)>,
    count: usize,
}

impl PreparedKeys {
    /// Keys every secret of `ring` for each HMAC algorithm of `algorithms`;
    /// the secrets themselves are not kept.
    pub(crate) fn new(ring: &KeyRing, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        let mut prepared = Self {
            sha1: Vec::new(),
            sha256: Vec::new(),
            sha512: Vec::new(),
            prefixed: Vec::new(),
            tokens: Vec::new(),
            public: Vec::new(),
            private: Vec::new(),
            count: ring.len(),
        };
        for algorithm in algorithms {
            match algorithm {
                Algorithm::Sha1 => key_all(&mut prepared.sha1, ring),
                Algorithm::Sha256 => key_all(&mut prepared.sha256, ring),
                Algorithm::Sha512 => key_all(&mut prepared.sha512, ring),
                Algorithm::Sha256SecretPrefixed if prepared.prefixed.is_empty() => {
                    prepared.prefixed = secrets(ring)
                        .map(|(index, secret)| (index, Sha256::new().chain_update(secret.expose())))
                        .collect();
                }
                Algorithm::SharedToken if prepared.tokens.is_empty() => {
                    prepared.tokens = secrets(ring)
                        .map(|(index, secret)| {
                            let digest = Zeroizing::new(Sha256::digest(secret.expose()).into());
                            (index, digest, secret.clone())
                        })
                        .collect();
                }
                Algorithm::Sha256SecretPrefixed
                | Algorithm::SharedToken
                | Algorithm::Ed25519
                | Algorithm::EcdsaP256Sha256
                | Algorithm::RsaPkcs1v15Sha256 => {}
            }
        }
        for (index, key) in ring.keys().iter().enumerate() {
            match key {
                Key::Secret(_) => {}
                Key::Public(public) => prepared.public.push((index, public.clone())),
                Key::Private(private) => {
                    prepared.public.push((index, private.public_key()));
                    prepared.private.push((index, private.clone()));
                }
            }
        }
        prepared
    }

    /// How many keys the ring had.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// Whether any key can verify signatures of `algorithm`.
    pub(crate) fn verifies(&self, algorithm: Algorithm) -> bool {
        match algorithm {
            Algorithm::Sha1 => !self.sha1.is_empty(),
            Algorithm::Sha256 => !self.sha256.is_empty(),
            Algorithm::Sha512 => !self.sha512.is_empty(),
            Algorithm::Sha256SecretPrefixed => !self.prefixed.is_empty(),
            Algorithm::SharedToken => !self.tokens.is_empty(),
            Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 | Algorithm::RsaPkcs1v15Sha256 => self
                .public
                .iter()
                .any(|(_, key)| key.algorithm() == algorithm),
        }
    }

    /// How many keys can sign with `algorithm`.
    pub(crate) fn signing_count(&self, algorithm: Algorithm) -> usize {
        match algorithm {
            Algorithm::Sha1 => self.sha1.len(),
            Algorithm::Sha256 => self.sha256.len(),
            Algorithm::Sha512 => self.sha512.len(),
            Algorithm::Sha256SecretPrefixed => self.prefixed.len(),
            Algorithm::SharedToken => self.tokens.len(),
            Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 | Algorithm::RsaPkcs1v15Sha256 => self
                .private
                .iter()
                .filter(|(_, key)| key.algorithm() == algorithm)
                .count(),
        }
    }

    /// The first key (in ring order) that signed `message` as one of
    /// `candidates`: `(key's ring index, candidate index)`. For HMAC one MAC
    /// per key, however many candidates there are, compared in constant
    /// time; for a public-key algorithm one verification per key and
    /// candidate, at most [`MAX_PUBLIC_KEY_CHECKS`] in all.
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
            Algorithm::Sha256SecretPrefixed => self.prefixed.iter().find_map(|(index, state)| {
                candidates
                    .position_of(&prefixed_tag(state, message))
                    .map(|candidate| (*index, candidate))
            }),
            // Every token compared with every candidate, in constant time.
            Algorithm::SharedToken => self.tokens.iter().find_map(|(index, digest, _)| {
                candidates
                    .position_of(&Tag::new(digest.as_ref()))
                    .map(|candidate| (*index, candidate))
            }),
            Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 | Algorithm::RsaPkcs1v15Sha256 => {
                let mut keys = self
                    .public
                    .iter()
                    .filter(|(_, key)| key.algorithm() == algorithm)
                    .peekable();
                // Hashed once (or, for Ed25519, gathered once), and only if
                // there is a key to check.
                keys.peek()?;
                let prepared = PreparedMessage::new(algorithm, message);
                self.find_public_match(algorithm, &prepared, candidates)
            }
        }
    }

    /// The first public key of `algorithm` (in ring order) that signed the
    /// `prepared` message as one of `candidates`: one verification per key
    /// and candidate, at most [`MAX_PUBLIC_KEY_CHECKS`] in all, over a
    /// message hashed (or gathered) once.
    pub(crate) fn find_public_match(
        &self,
        algorithm: Algorithm,
        prepared: &PreparedMessage,
        candidates: &Candidates,
    ) -> Option<(usize, usize)> {
        self.public
            .iter()
            .filter(|(_, key)| key.algorithm() == algorithm)
            .flat_map(|(index, key)| {
                candidates
                    .iter()
                    .enumerate()
                    .map(move |(candidate, signature)| (*index, key, candidate, signature))
            })
            .take(MAX_PUBLIC_KEY_CHECKS)
            .find(|(_, key, _, signature)| key.verifies(prepared, signature))
            .map(|(index, _, candidate, _)| (index, candidate))
    }

    /// The HMAC tag of `message` under the key at ring index `index`, if
    /// that key is a secret keyed for `algorithm`.
    pub(crate) fn tag_with(
        &self,
        algorithm: Algorithm,
        index: usize,
        message: &impl Message,
    ) -> Option<Tag> {
        match algorithm {
            Algorithm::Sha1 => tag_at(&self.sha1, index, message),
            Algorithm::Sha256 => tag_at(&self.sha256, index, message),
            Algorithm::Sha512 => tag_at(&self.sha512, index, message),
            Algorithm::Sha256SecretPrefixed => self
                .prefixed
                .iter()
                .find(|(at, _)| *at == index)
                .map(|(_, state)| prefixed_tag(state, message)),
            Algorithm::SharedToken
            | Algorithm::Ed25519
            | Algorithm::EcdsaP256Sha256
            | Algorithm::RsaPkcs1v15Sha256 => None,
        }
    }

    /// The tags (or signatures) of `message` under the first `limit` keys
    /// that sign with `algorithm`, in ring order.
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
            Algorithm::Sha256SecretPrefixed => self
                .prefixed
                .iter()
                .take(limit)
                .map(|(_, state)| prefixed_tag(state, message))
                .collect(),
            // A token is sent as it is: see `tokens`.
            Algorithm::SharedToken => Vec::new(),
            Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256 | Algorithm::RsaPkcs1v15Sha256 => {
                let mut keys = self
                    .private
                    .iter()
                    .filter(|(_, key)| key.algorithm() == algorithm)
                    .take(limit)
                    .peekable();
                if keys.peek().is_none() {
                    return Vec::new();
                }
                let prepared = PreparedMessage::new(algorithm, message);
                // A key that fails to sign leaves its tag out: the signer
                // refuses to write a header short of one.
                keys.filter_map(|(_, key)| {
                    key.sign(&prepared).map(|signature| Tag::new(&signature))
                })
                .collect()
            }
        }
    }

    /// The first `limit` shared tokens, in ring order, as a signer sends
    /// them.
    pub(crate) fn tokens(&self, limit: usize) -> impl Iterator<Item = &[u8]> {
        self.tokens
            .iter()
            .take(limit)
            .map(|(_, _, token)| token.expose())
    }

    /// One short fingerprint per key, revealing nothing of it: an HMAC of
    /// `label` under a secret, a hash of `label` and the public key for a
    /// key pair.
    pub(crate) fn fingerprints(&self, label: &[u8]) -> Vec<[u8; 8]> {
        (0..self.count)
            .filter_map(|index| {
                let tag = [
                    Algorithm::Sha256,
                    Algorithm::Sha512,
                    Algorithm::Sha1,
                    Algorithm::Sha256SecretPrefixed,
                ]
                .into_iter()
                .find_map(|algorithm| self.tag_with(algorithm, index, &label));
                let token = self.tokens.iter().find(|(at, _, _)| *at == index);
                let digest = match (tag, token) {
                    (Some(tag), _) => Sha256::digest(tag.as_slice()),
                    (None, Some((_, digest, _))) => Sha256::new()
                        .chain_update(label)
                        .chain_update(digest.as_ref())
                        .finalize(),
                    (None, None) => {
                        let (_, key) = self.public.iter().find(|(at, _)| *at == index)?;
                        Sha256::new()
                            .chain_update(label)
                            .chain_update(key.to_bytes())
                            .finalize()
                    }
                };
                let mut fingerprint = [0; 8];
                fingerprint.copy_from_slice(&digest[..8]);
                Some(fingerprint)
            })
            .collect()
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
    // The secret-prefixed state: the core and the buffer holding the
    // secret's tail.
    wipes_itself_on_drop::<Sha256>();
};

/// Every secret of `ring` with its index.
fn secrets(ring: &KeyRing) -> impl Iterator<Item = (usize, &Secret)> {
    ring.keys()
        .iter()
        .enumerate()
        .filter_map(|(index, key)| match key {
            Key::Secret(secret) => Some((index, secret)),
            Key::Public(_) | Key::Private(_) => None,
        })
}

/// SHA-256 of the secret (hashed into `state` already) and `message`.
fn prefixed_tag(state: &Sha256, message: &impl Message) -> Tag {
    let mut hash = state.clone();
    message.feed(&mut |piece| hash.update(piece));
    Tag::new(&hash.finalize())
}

fn key_all<M: KeyInit>(slot: &mut Vec<(usize, M)>, ring: &KeyRing) {
    if slot.is_empty() {
        // HMAC takes keys of any length (longer ones are hashed first), so
        // this cannot fail whatever the key; it never depends on request input.
        *slot = ring
            .keys()
            .iter()
            .enumerate()
            .filter_map(|(index, key)| match key {
                Key::Secret(secret) => Some((
                    index,
                    M::new_from_slice(secret.expose()).expect("HMAC accepts keys of any length"),
                )),
                Key::Public(_) | Key::Private(_) => None,
            })
            .collect();
    }
}

fn tag<M: Mac + Clone>(key: &M, message: &impl Message) -> Tag {
    let mut mac = key.clone();
    message.feed(&mut |piece| mac.update(piece));
    Tag::new(&mac.finalize().into_bytes())
}

fn tag_at<M: Mac + Clone>(
    keys: &[(usize, M)],
    index: usize,
    message: &impl Message,
) -> Option<Tag> {
    keys.iter()
        .find(|(at, _)| *at == index)
        .map(|(_, key)| tag(key, message))
}

fn find_match<M: Mac + Clone>(
    keys: &[(usize, M)],
    message: &impl Message,
    candidates: &Candidates,
) -> Option<(usize, usize)> {
    keys.iter().find_map(|(key_index, key)| {
        candidates
            .position_of(&tag(key, message))
            .map(|candidate| (*key_index, candidate))
    })
}

fn tags<M: Mac + Clone>(keys: &[(usize, M)], message: &impl Message, limit: usize) -> Vec<Tag> {
    keys.iter()
        .take(limit)
        .map(|(_, key)| tag(key, message))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{KeyRing, Secret};

    // RFC 2202 / RFC 4231 test case 2 (key "Jefe").
    struct Rfc;
    impl Message for Rfc {
        fn feed(&self, sink: &mut impl FnMut(&[u8])) {
            sink(b"what do ya want ");
            sink(b"for nothing?");
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

    /// A message that counts how often it is fed.
    #[cfg(feature = "p256")]
    struct Counted(std::cell::Cell<usize>);

    #[cfg(feature = "p256")]
    impl Message for Counted {
        fn feed(&self, sink: &mut impl FnMut(&[u8])) {
            self.0.set(self.0.get() + 1);
            sink(b"a body an attacker sent, up to a megabyte");
        }
    }

    #[test]
    #[cfg(feature = "p256")]
    fn a_public_key_message_is_hashed_once_however_many_checks() {
        use crate::secret::{KeyPair, SecretFormat};
        let texts: Vec<String> = (1..=2u8)
            .map(|seed| {
                KeyPair::from_seed(
                    SecretFormat::EcdsaP256,
                    Algorithm::EcdsaP256Sha256,
                    &[seed; 32],
                )
                .unwrap()
                .verifying_key()
                .to_owned()
            })
            .collect();
        let ring = KeyRing::parse(SecretFormat::EcdsaP256, &texts).unwrap();
        let keys = PreparedKeys::new(&ring, [Algorithm::EcdsaP256Sha256]);
        let mut candidates = Candidates::new(Algorithm::EcdsaP256Sha256);
        for forged in 1..=4u8 {
            let r_s = [forged; 64];
            candidates
                .push(
                    crate::crypto::Encoding::Base64.encode(&r_s).as_bytes(),
                    crate::crypto::Encoding::Base64,
                )
                .unwrap();
        }
        let message = Counted(std::cell::Cell::new(0));
        assert_eq!(
            keys.find_match(Algorithm::EcdsaP256Sha256, &message, &candidates),
            None
        );
        assert_eq!(message.0.get(), 1, "eight checks, one hash of the message");
        // No key of the algorithm: nothing is hashed at all.
        let none = PreparedKeys::new(
            &KeyRing::new(Secret::from_bytes(b"k").unwrap()),
            [Algorithm::Sha256],
        );
        let message = Counted(std::cell::Cell::new(0));
        assert_eq!(
            none.find_match(Algorithm::EcdsaP256Sha256, &message, &candidates),
            None
        );
        assert_eq!(message.0.get(), 0);
    }
}
