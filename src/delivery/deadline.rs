use std::future::Future;
use std::pin::Pin;
use std::task::Context;
use std::time::Instant;

use tokio::time::Sleep;

/// A point in time, with a timer created only if something actually waits
/// for it: a store that answers at once never touches the timer wheel.
pub(crate) struct Deadline {
    at: Instant,
    timer: Option<Pin<Box<Sleep>>>,
}

impl Deadline {
    pub(crate) fn at(at: Instant) -> Self {
        Self { at, timer: None }
    }

    /// The same point in time, moved out (with its timer, if one was
    /// started); `self` is left passed.
    pub(crate) fn take(&mut self) -> Self {
        let passed = Self::at(self.at.min(Instant::now()));
        std::mem::replace(self, passed)
    }

    /// Whether the deadline has passed, by the clock alone.
    pub(crate) fn passed(&self) -> bool {
        Instant::now() >= self.at
    }

    /// Whether the deadline has passed; if not, arranges for `cx` to be
    /// woken when it does.
    pub(crate) fn poll_passed(&mut self, cx: &mut Context<'_>) -> bool {
        let at = self.at;
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(at.into())));
        timer.as_mut().poll(cx).is_ready()
    }
}
