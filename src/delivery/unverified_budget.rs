use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use crate::delivery::Reservation;

/// The bytes of bodies not yet verified that a guard holds at once, across
/// all its routes and connections. An unauthenticated sender can make the
/// guard buffer a body before its signature can be checked; the budget caps
/// what all of them together can hold (the header check already turned
/// away every request whose headers cannot verify).
#[derive(Debug, Clone)]
pub(crate) struct UnverifiedBudget {
    in_use: Arc<AtomicUsize>,
    limit: usize,
}

impl UnverifiedBudget {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            in_use: Arc::default(),
            limit,
        }
    }

    /// Takes `bytes`, or `None` if that would pass the limit.
    pub(crate) fn reserve(&self, bytes: usize) -> Option<Reservation> {
        let mut reservation = Reservation::empty(self.in_use.clone(), self.limit);
        reservation.grow_to(bytes).then_some(reservation)
    }

    /// How many bytes are taken now.
    #[cfg(test)]
    pub(crate) fn in_use(&self) -> usize {
        self.in_use.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_share_one_limit_and_give_back_what_they_held() {
        let budget = UnverifiedBudget::new(100);
        let mut first = budget.reserve(60).unwrap();
        assert!(budget.reserve(41).is_none(), "past the limit");
        let second = budget.reserve(40).unwrap();
        assert_eq!(budget.in_use(), 100);
        assert!(!first.grow_to(61), "no room left");
        drop(second);
        assert!(first.grow_to(100));
        assert!(first.grow_to(50), "never shrinks");
        assert_eq!(budget.in_use(), 100);
        drop(first);
        assert_eq!(budget.in_use(), 0);
    }

    #[test]
    fn clones_are_the_same_budget() {
        let budget = UnverifiedBudget::new(10);
        let other = budget.clone();
        let _held = budget.reserve(10).unwrap();
        assert!(other.reserve(1).is_none());
    }
}
