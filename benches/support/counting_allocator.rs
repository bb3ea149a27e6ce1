//! The benchmarks' counting global allocator (`stats_alloc` around the
//! system allocator): allocations per delivery, and the bytes a store holds.
//! Each bench that uses it declares
//! `#[global_allocator] static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;`.

use stats_alloc::{INSTRUMENTED_SYSTEM, Stats};

fn stats() -> Stats {
    INSTRUMENTED_SYSTEM.stats()
}

/// Allocations (and reallocations) so far, by every thread.
pub(crate) fn allocations() -> usize {
    let stats = stats();
    stats.allocations + stats.reallocations
}

/// Bytes allocated and not yet freed, by every thread.
pub(crate) fn live_bytes() -> isize {
    let stats = stats();
    stats.bytes_allocated as isize - stats.bytes_deallocated as isize + stats.bytes_reallocated
}
