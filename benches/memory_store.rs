//! `MemoryStore` claim + complete per delivery, without a runtime or a
//! server: the store's own cost, and the memory it holds per record.
//!
//! * **claim + complete**: a fresh key claimed and completed, the futures
//!   (`std::future::Ready`) polled once with a no-op waker; keys built
//!   before the timed loop. On a store bounded well above the keys (no
//!   eviction), and on a full store (every claim evicts: the steady state
//!   of a store at its bound).
//! * **memory per record**: the bytes the store holds (allocated, not yet
//!   freed, by a counting global allocator) after N completed records,
//!   divided by N — the map's slots at its load factor and each key's text
//!   (`namespace:` + a 32-byte event ID here).
//!
//! ```sh
//! cargo bench --bench memory_store            # the table in BENCHMARKS.md
//! cargo bench --bench memory_store -- --test  # a short smoke run
//! ```

#[path = "support/counting_allocator.rs"]
mod counting_allocator;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use webhook_guard::idempotency::{Claim, IdempotencyKey, IdempotencyStore, MemoryStore};

use std::alloc::System;

use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

use crate::counting_allocator::{allocations, live_bytes};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const LEASE: Duration = Duration::from_secs(60);
const RETENTION: Duration = Duration::from_secs(3600);

fn now_ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("MemoryStore answers at once"),
    }
}

/// Keys like the guard's: `standard:` and a Standard Webhooks message ID.
fn keys(count: usize, tag: &str) -> Vec<IdempotencyKey> {
    (0..count)
        .map(|n| IdempotencyKey::new("standard", &format!("msg_{tag}{n:0>24}")))
        .collect()
}

fn deliver(store: &MemoryStore, key: &IdempotencyKey) {
    let Ok(Claim::Acquired(token)) = now_ready(store.claim(key, LEASE)) else {
        panic!("a fresh key must be acquired");
    };
    assert!(now_ready(store.complete(key, &token, RETENTION)).unwrap());
}

/// Nanoseconds and allocations per claim + complete of `keys`, on `store`.
fn per_delivery(store: &MemoryStore, keys: &[IdempotencyKey]) -> (f64, f64) {
    let allocated = allocations();
    let started = Instant::now();
    for key in keys {
        deliver(store, key);
    }
    let nanos = started.elapsed().as_nanos() as f64 / keys.len() as f64;
    let allocs = (allocations() - allocated) as f64 / keys.len() as f64;
    (nanos, allocs)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let smoke = std::env::args().any(|arg| arg == "--test");
    // The default bound (100 000: the map fits the caches less and less as
    // it grows) and ten times it.
    let (counts, rounds): (&[usize], usize) = if smoke {
        (&[20_000], 1)
    } else {
        (&[MemoryStore::DEFAULT_MAX_ENTRIES, 1_000_000], 5)
    };
    println!("| case | records | claim + complete | allocations per delivery |");
    println!("|---|---:|---:|---:|");
    for &count in counts {
        table_rows(count, rounds);
    }
    println!();
    for &count in counts {
        memory_per_record(count);
    }
}

fn table_rows(count: usize, rounds: usize) {
    // Not full: bounded at twice the keys, so nothing is evicted. The map
    // grows as it fills, which is part of what a store pays.
    let (mut nanos, mut allocs) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let keys = keys(count, &format!("a{round}_"));
        let store = MemoryStore::with_max_entries(count * 2);
        let (n, a) = per_delivery(&store, &keys);
        nanos.push(n);
        allocs.push(a);
    }
    println!(
        "| not full | {count} | {:.0} ns | {:.2} |",
        median(&mut nanos),
        median(&mut allocs)
    );
    // Full: a store bounded at a tenth of the keys; once it is full every
    // claim makes room (a sixteenth of a shard at a time).
    let (mut nanos, mut allocs) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let keys = keys(count, &format!("f{round}_"));
        let store = MemoryStore::with_max_entries(count / 10);
        for key in &keys[..count / 10] {
            deliver(&store, key);
        }
        let (n, a) = per_delivery(&store, &keys[count / 10..]);
        nanos.push(n);
        allocs.push(a);
    }
    println!(
        "| full (evicting) | {} | {:.0} ns | {:.2} |",
        count / 10,
        median(&mut nanos),
        median(&mut allocs)
    );
}

fn memory_per_record(count: usize) {
    // Memory per record: live bytes before and after N completed records,
    // their keys built in between and then dropped by the caller (the store
    // keeps each key's text, as it does behind the guard).
    let before = live_bytes();
    let store = MemoryStore::with_max_entries(count * 2);
    let keys = keys(count, "m_");
    let key_len: usize = keys.iter().map(|key| key.as_str().len()).sum();
    for key in &keys {
        deliver(&store, key);
    }
    drop(keys);
    let held = live_bytes() - before;
    assert_eq!(store.len(), count);
    println!(
        "memory per record: {:.0} bytes ({count} completed records, keys of {:.0} bytes on average)",
        held as f64 / count as f64,
        key_len as f64 / count as f64
    );
    drop(store);
}
