use std::future::Future;
use std::pin::Pin;
use std::task::Context;
use std::time::{Duration, Instant};

use tokio::time::Sleep;

/// A point in time, with a timer created only if something actually waits
/// for it: a store that answers at once never touches the timer wheel.
pub(crate) struct Deadline {
    at: When,
    timer: Option<Pin<Box<Sleep>>>,
}

#[derive(Clone, Copy)]
enum When {
    At(Instant),
    /// This long after the first wait: a step that never waits (a body
    /// already whole, a store that answers at once) reads no clock.
    AfterFirstWait(Duration),
}

impl Deadline {
    pub(crate) fn at(at: Instant) -> Self {
        Self {
            at: When::At(at),
            timer: None,
        }
    }

    /// `timeout` after the first [`poll_passed`](Self::poll_passed) that
    /// finds the step waiting. Only for steps polled at once when they
    /// start (a body, a store's answer): the time before that first wait
    /// is the step's own first poll, not a wait.
    pub(crate) fn after_first_wait(timeout: Duration) -> Self {
        Self {
            at: When::AfterFirstWait(timeout),
            timer: None,
        }
    }

    /// The same deadline, moved out (with its timer, if one was started);
    /// `self` is left without a timer, to be dropped.
    pub(crate) fn take(&mut self) -> Self {
        let at = self.at;
        std::mem::replace(self, Self { at, timer: None })
    }

    /// Whether the deadline has passed, by the clock alone (one that has
    /// not started has not passed).
    pub(crate) fn passed(&self) -> bool {
        match self.at {
            When::At(at) => Instant::now() >= at,
            When::AfterFirstWait(_) => false,
        }
    }

    /// Whether the deadline has passed; if not, arranges for `cx` to be
    /// woken when it does.
    pub(crate) fn poll_passed(&mut self, cx: &mut Context<'_>) -> bool {
        let at = match self.at {
            When::At(at) => at,
            When::AfterFirstWait(timeout) => {
                let now = Instant::now();
                let at = now.checked_add(timeout).unwrap_or(now);
                self.at = When::At(at);
                at
            }
        };
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(at.into())));
        timer.as_mut().poll(cx).is_ready()
    }
}
