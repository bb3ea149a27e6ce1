use std::collections::HashMap;
use std::fmt;
use std::future::{Ready, ready};
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::idempotency::store::new_handle_number;
use crate::idempotency::{Claim, ClaimToken, IdempotencyKey, IdempotencyStore, StoreError};

/// Locks are per shard, so concurrent claims of different keys rarely wait.
const SHARDS: usize = 16;

/// The embedded idempotency store: one process, no server, bounded.
///
/// Safe under concurrency (the map is split into 16 independently locked
/// shards; a claim is one short critical section). Leases and retention
/// expire by time (a monotonic clock).
///
/// **Bounded.** It holds at most [`max_entries`](MemoryStore::max_entries)
/// records (default 100 000). When a shard is full, it first drops the
/// records whose lease or retention has ended; if still full, it evicts the
/// *completed* records closest to the end of their retention, a sixteenth of
/// the shard at a time. Claims in flight are never evicted: a shard holding
/// nothing else answers [`StoreError::Full`] (and the layer answers 503).
/// An evicted record means a very late retry of that event would be
/// processed again, so size it as deliveries per day × retention in days.
///
/// It deduplicates only its own process's traffic: a fleet needs a shared
/// store (Redis or PostgreSQL).
#[derive(Clone)]
pub struct MemoryStore {
    shared: Arc<Shared>,
}

/// One independently locked part of the map, keyed by the hash computed
/// once per operation.
type Shard = HashMap<StoredKey, Record, BuildHasherDefault<ComputedHash>>;

/// A key as the map holds it: its text, shared with the
/// [`IdempotencyKey`] it came from (no copy), and its hash under the
/// store's random SipHash key, computed once per claim or finish and used
/// both to pick the shard and to find the record within it.
#[derive(Clone)]
struct StoredKey {
    hash: u64,
    text: Arc<str>,
}

impl PartialEq for StoredKey {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for StoredKey {}

impl Hash for StoredKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The hasher of a shard: hands on the hash a [`StoredKey`] carries.
#[derive(Default)]
struct ComputedHash(u64);

impl Hasher for ComputedHash {
    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is ever called; anything else still hashes
        // (FNV-1a), so the map stays correct.
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

struct Shared {
    shards: Box<[Mutex<Shard>]>,
    hasher: std::collections::hash_map::RandomState,
    per_shard: usize,
    max_entries: usize,
    /// Tokens need only be unique within this store: a random prefix and a
    /// counter, without a system call per claim.
    token_prefix: [u8; 8],
    token_counter: AtomicU64,
    /// Which store this is, for [`IdempotencyStore::records_identity`].
    handle: u64,
}

#[derive(Debug, Clone)]
enum Record {
    InFlight { token: ClaimToken, until: Instant },
    Completed { until: Instant },
}

impl Record {
    fn until(&self) -> Instant {
        match self {
            Self::InFlight { until, .. } | Self::Completed { until } => *until,
        }
    }
}

impl MemoryStore {
    /// How many records a store holds unless told otherwise.
    pub const DEFAULT_MAX_ENTRIES: usize = 100_000;

    /// A store bounded at [`DEFAULT_MAX_ENTRIES`](Self::DEFAULT_MAX_ENTRIES).
    pub fn new() -> Self {
        Self::with_max_entries(Self::DEFAULT_MAX_ENTRIES)
    }

    /// A store bounded at `max_entries` records (at least one per shard).
    pub fn with_max_entries(max_entries: usize) -> Self {
        let per_shard = max_entries.div_ceil(SHARDS).max(1);
        let prefix = ClaimToken::random();
        let mut token_prefix = [0u8; 8];
        token_prefix.copy_from_slice(&prefix.as_bytes()[..8]);
        Self {
            shared: Arc::new(Shared {
                shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
                hasher: Default::default(),
                per_shard,
                max_entries: per_shard * SHARDS,
                token_prefix,
                token_counter: AtomicU64::new(0),
                handle: new_handle_number(),
            }),
        }
    }

    /// The most records this store holds.
    pub fn max_entries(&self) -> usize {
        self.shared.max_entries
    }

    /// How many records are held now (records past their end are dropped
    /// lazily, so they may still count).
    pub fn len(&self) -> usize {
        self.shared
            .shards
            .iter()
            .map(|shard| lock(shard).len())
            .sum()
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key as the map holds it, and its shard, locked.
    fn shard(&self, key: &IdempotencyKey) -> (StoredKey, MutexGuard<'_, Shard>) {
        let hash = self.shared.hasher.hash_one(key.as_str());
        // Bits the map does not use for a shard's buckets (the low ones) or
        // their tags (the top seven).
        let index = (hash >> 32) as usize % SHARDS;
        let key = StoredKey {
            hash,
            text: key.shared().clone(),
        };
        (key, lock(&self.shared.shards[index]))
    }

    fn next_token(&self) -> ClaimToken {
        let count = self.shared.token_counter.fetch_add(1, Ordering::Relaxed);
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.shared.token_prefix);
        bytes[8..].copy_from_slice(&count.to_be_bytes());
        ClaimToken::from_bytes(bytes)
    }

    fn claim_now(&self, key: &IdempotencyKey, lease: Duration) -> Result<Claim, StoreError> {
        let now = Instant::now();
        let (key, mut shard) = self.shard(key);
        match shard.get(&key) {
            Some(Record::InFlight { until, .. }) if *until > now => {
                return Ok(Claim::InFlight {
                    retry_after: *until - now,
                });
            }
            Some(Record::Completed { until }) if *until > now => return Ok(Claim::Completed),
            Some(_) => {} // its lease or retention ended: free again
            None if shard.len() >= self.shared.per_shard => {
                make_room(&mut shard, now, self.shared.per_shard)?;
            }
            None => {}
        }
        let token = self.next_token();
        shard.insert(
            key,
            Record::InFlight {
                token: token.clone(),
                until: deadline(now, lease),
            },
        );
        Ok(Claim::Acquired(token))
    }

    /// Applies `finish` to the record if `token` still holds its lease.
    fn finish_now(
        &self,
        key: &IdempotencyKey,
        token: &ClaimToken,
        finish: impl FnOnce(&mut Shard, &StoredKey, Instant),
    ) -> bool {
        let now = Instant::now();
        let (key, mut shard) = self.shard(key);
        let held = matches!(
            shard.get(&key),
            Some(Record::InFlight { token: holder, until }) if holder == token && *until > now
        );
        if held {
            finish(&mut shard, &key, now);
        }
        held
    }
}

/// Frees at least one slot in a full shard, or says it cannot.
fn make_room(shard: &mut Shard, now: Instant, capacity: usize) -> Result<(), StoreError> {
    shard.retain(|_, record| record.until() > now);
    if shard.len() < capacity {
        return Ok(());
    }
    let mut completed: Vec<(Instant, StoredKey)> = shard
        .iter()
        .filter(|(_, record)| matches!(record, Record::Completed { .. }))
        .map(|(key, record)| (record.until(), key.clone()))
        .collect();
    if completed.is_empty() {
        return Err(StoreError::Full);
    }
    let batch = (capacity / SHARDS).clamp(1, completed.len());
    completed.select_nth_unstable_by_key(batch - 1, |(until, _)| *until);
    for (_, key) in &completed[..batch] {
        shard.remove(key);
    }
    Ok(())
}

/// `now + duration`, saturating far in the future instead of overflowing.
fn deadline(now: Instant, duration: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    now.checked_add(duration.min(FAR))
        .or_else(|| now.checked_add(Duration::from_secs(24 * 3600)))
        .unwrap_or(now)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a shard cannot leave a record half-written (every
    // critical section is one map operation), so a poisoned lock is usable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("entries", &self.len())
            .field("max_entries", &self.shared.max_entries)
            .finish()
    }
}

impl IdempotencyStore for MemoryStore {
    type ClaimFuture = Ready<Result<Claim, StoreError>>;
    type FinishFuture = Ready<Result<bool, StoreError>>;

    fn claim(&self, key: &IdempotencyKey, lease: Duration) -> Self::ClaimFuture {
        ready(self.claim_now(key, lease))
    }

    fn complete(
        &self,
        key: &IdempotencyKey,
        token: &ClaimToken,
        retention: Duration,
    ) -> Self::FinishFuture {
        ready(Ok(self.finish_now(key, token, |shard, key, now| {
            if let Some(record) = shard.get_mut(key) {
                *record = Record::Completed {
                    until: deadline(now, retention),
                };
            }
        })))
    }

    fn release(&self, key: &IdempotencyKey, token: &ClaimToken) -> Self::FinishFuture {
        ready(Ok(self.finish_now(key, token, |shard, key, _| {
            shard.remove(key);
        })))
    }

    /// `true`: records are evicted when the store is full, and all of them
    /// go with the process.
    fn may_lose_records(&self) -> bool {
        true
    }

    fn records_identity(&self) -> Option<String> {
        Some(format!("memory#{}", self.shared.handle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(store: &MemoryStore, key: &str, lease: Duration) -> Claim {
        store
            .claim_now(&IdempotencyKey::new("t", key), lease)
            .unwrap()
    }

    fn complete(store: &MemoryStore, key: &str, claim: Claim, retention: Duration) {
        let Claim::Acquired(token) = claim else {
            panic!("not acquired: {claim:?}")
        };
        let key = IdempotencyKey::new("t", key);
        let completed = IdempotencyStore::complete(store, &key, &token, retention).into_inner();
        assert!(completed.unwrap());
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_full_shard_evicts_the_completed_records_closest_to_their_end() {
        let now = Instant::now();
        let stored = |text: &str| StoredKey {
            hash: std::hash::RandomState::new().hash_one(text),
            text: Arc::from(text),
        };
        let mut shard = Shard::default();
        for (key, minutes) in [("late", 30), ("soon", 1), ("middle", 10)] {
            shard.insert(
                stored(key),
                Record::Completed {
                    until: now + MINUTE * minutes,
                },
            );
        }
        shard.insert(
            stored("running"),
            Record::InFlight {
                token: ClaimToken::random(),
                until: now + Duration::from_secs(1),
            },
        );
        let full = shard.len();
        make_room(&mut shard, now, full).unwrap();
        let mut left: Vec<&str> = shard.keys().map(|key| &*key.text).collect();
        left.sort_unstable();
        assert_eq!(left, ["late", "middle", "running"]);
    }

    #[test]
    fn a_store_at_its_bound_still_takes_new_claims() {
        let store = MemoryStore::with_max_entries(SHARDS);
        for n in 0..SHARDS * 8 {
            let key = format!("done-{n}");
            let claimed = claim(&store, &key, MINUTE);
            complete(&store, &key, claimed, MINUTE);
            assert!(store.len() <= store.max_entries());
        }
    }

    /// Claims fresh keys until every shard holds one record; keys that land
    /// in a shard already full are answered `Full` and not kept.
    fn fill_every_shard(store: &MemoryStore, lease: Duration) -> Vec<IdempotencyKey> {
        let mut held = Vec::new();
        for n in 0.. {
            let key = IdempotencyKey::new("t", &format!("fill-{n}"));
            match store.claim_now(&key, lease) {
                Ok(Claim::Acquired(_)) => held.push(key),
                Err(StoreError::Full) => {}
                other => panic!("unexpected {other:?}"),
            }
            if held.len() == SHARDS {
                return held;
            }
        }
        unreachable!()
    }

    #[test]
    fn in_flight_claims_are_never_evicted() {
        let store = MemoryStore::with_max_entries(SHARDS); // one record per shard
        let held = fill_every_shard(&store, MINUTE);
        let error = store
            .claim_now(&IdempotencyKey::new("t", "one-more"), MINUTE)
            .unwrap_err();
        assert!(matches!(error, StoreError::Full));
        for key in &held {
            assert!(matches!(
                store.claim_now(key, MINUTE).unwrap(),
                Claim::InFlight { .. }
            ));
        }
    }

    #[test]
    fn expired_records_make_room_first() {
        let store = MemoryStore::with_max_entries(SHARDS);
        fill_every_shard(&store, Duration::from_millis(1));
        std::thread::sleep(Duration::from_millis(5));
        // Every shard is full of expired claims: each new claim purges them.
        for n in 0..SHARDS * 4 {
            let key = IdempotencyKey::new("t", &format!("next-{n}"));
            let Claim::Acquired(token) = store.claim_now(&key, MINUTE).unwrap() else {
                panic!("a fresh key must be acquired");
            };
            assert!(store.finish_now(&key, &token, |shard, key, _| {
                shard.remove(key);
            }));
        }
    }

    #[test]
    fn huge_durations_saturate_instead_of_panicking() {
        let store = MemoryStore::new();
        assert!(matches!(
            claim(&store, "k", Duration::MAX),
            Claim::Acquired(_)
        ));
        assert!(matches!(
            claim(&store, "k", Duration::MAX),
            Claim::InFlight { .. }
        ));
    }
}
