use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes taken from an [`UnverifiedBudget`](crate::delivery::UnverifiedBudget), given back when dropped (the
/// body verified, was refused, or its request went away).
#[derive(Debug)]
pub(crate) struct Reservation {
    in_use: Arc<AtomicUsize>,
    limit: usize,
    held: usize,
}

impl Reservation {
    /// Holding nothing yet, of a budget counted in `in_use` up to `limit`.
    pub(crate) fn empty(in_use: Arc<AtomicUsize>, limit: usize) -> Self {
        Self {
            in_use,
            limit,
            held: 0,
        }
    }

    /// Holds `bytes` in all (at least what it holds already), or says it
    /// cannot without passing the limit (and holds what it held).
    pub(crate) fn grow_to(&mut self, bytes: usize) -> bool {
        let more = bytes.saturating_sub(self.held);
        if more == 0 {
            return true;
        }
        let taken = self
            .in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |in_use| {
                in_use
                    .checked_add(more)
                    .filter(|total| *total <= self.limit)
            })
            .is_ok();
        if taken {
            self.held += more;
        }
        taken
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.in_use.fetch_sub(self.held, Ordering::AcqRel);
    }
}
