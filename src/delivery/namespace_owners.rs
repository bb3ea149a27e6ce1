use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

/// Who claims under each namespace of each shared store, in this process:
/// the fingerprints of the keys of the guards that do.
///
/// Two guards that share a store and a namespace claim each other's event
/// IDs: a sender of one can claim an ID of the other first, and the other's
/// genuine delivery is then answered "duplicate" and lost. Guards of one
/// sender share a key (the same route served twice, a worker per thread,
/// a key ring in rotation: `[new, old]` beside `[old]`); guards whose keys
/// share none are different senders, and the second one is refused. A
/// guard counts while any of its services lives: a router rebuilt with new
/// keys after the old one was dropped is not refused.
#[derive(Default)]
pub(crate) struct NamespaceOwners {
    owners: Mutex<HashMap<StoreNamespace, Vec<Owner>>>,
}

/// One guard claiming under a namespace: its keys, while it lives.
struct Owner {
    alive: Weak<()>,
    keys: Vec<KeyFingerprint>,
}

/// A store's records identity, and a namespace in it.
type StoreNamespace = (String, String);

/// What [`Verifier::key_fingerprints`](crate::Verifier) gives for a key.
type KeyFingerprint = [u8; 8];

/// A namespace of a store already claimed by a guard with unrelated keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamespaceTaken {
    pub(crate) namespace: String,
}

impl NamespaceOwners {
    /// The registry of this process.
    pub(crate) fn global() -> &'static Self {
        static OWNERS: OnceLock<NamespaceOwners> = OnceLock::new();
        OWNERS.get_or_init(Self::default)
    }

    /// Records that a guard with `keys`, alive while `guard` is, claims
    /// under `namespace` in the store named `store` — unless live guards
    /// whose keys share none with these do. Guards that share a key with
    /// one another count as one sender.
    pub(crate) fn register(
        &self,
        store: &str,
        namespace: &str,
        keys: &[KeyFingerprint],
        guard: &Arc<()>,
    ) -> Result<(), NamespaceTaken> {
        let mut owners = self.owners.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = owners
            .entry((store.to_owned(), namespace.to_owned()))
            .or_default();
        entry.retain(|owner| owner.alive.strong_count() > 0);
        let related = |owner: &Owner| keys.iter().any(|key| owner.keys.contains(key));
        if !entry.is_empty() && !entry.iter().any(related) {
            return Err(NamespaceTaken {
                namespace: namespace.to_owned(),
            });
        }
        let alive = Arc::downgrade(guard);
        if !entry.iter().any(|owner| owner.alive.ptr_eq(&alive)) {
            entry.push(Owner {
                alive,
                keys: keys.to_vec(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unrelated_keys_may_not_share_a_namespace_of_one_store() {
        let owners = NamespaceOwners::default();
        let (tenant_a, tenant_b) = ([1; 8], [2; 8]);
        let (guard_a, guard_b) = (Arc::new(()), Arc::new(()));
        owners
            .register("memory#1", "stripe", &[tenant_a], &guard_a)
            .unwrap();
        // The same guard again (another route, another worker).
        owners
            .register("memory#1", "stripe", &[tenant_a], &guard_a)
            .unwrap();
        assert_eq!(
            owners.register("memory#1", "stripe", &[tenant_b], &guard_b),
            Err(NamespaceTaken {
                namespace: "stripe".to_owned()
            })
        );
        // Another namespace, or another store, is free.
        owners
            .register("memory#1", "stripe:b", &[tenant_b], &guard_b)
            .unwrap();
        owners
            .register("memory#2", "stripe", &[tenant_b], &guard_b)
            .unwrap();
    }

    #[test]
    fn a_rotating_key_ring_belongs_to_the_guards_of_its_old_key() {
        let owners = NamespaceOwners::default();
        let (old, new) = ([1; 8], [3; 8]);
        let first = Arc::new(());
        owners
            .register("redis#1:wg:", "github", &[old], &first)
            .unwrap();
        let rotating = Arc::new(());
        owners
            .register("redis#1:wg:", "github", &[new, old], &rotating)
            .unwrap();
        // Once rotated, the new key alone is the same sender.
        owners
            .register("redis#1:wg:", "github", &[new], &Arc::new(()))
            .unwrap();
    }

    #[test]
    fn a_dropped_guard_no_longer_owns_its_namespace() {
        let owners = NamespaceOwners::default();
        let old = Arc::new(());
        owners
            .register("memory#1", "stripe", &[[1; 8]], &old)
            .unwrap();
        let replacement = Arc::new(());
        assert!(
            owners
                .register("memory#1", "stripe", &[[2; 8]], &replacement)
                .is_err()
        );
        drop(old);
        owners
            .register("memory#1", "stripe", &[[2; 8]], &replacement)
            .unwrap();
    }
}
