//! Signed deliveries for your handlers' tests (feature `test-util`):
//! [`TestDelivery`] builds the request a provider would send (a body of
//! yours, or one of its [`fixtures`](crate::fixtures)), fresh, stale or
//! tampered, as an [`http::Request`] or an actix-web `TestRequest`.
//!
//! A handler that takes [`Verified`](crate::Verified) can also be called
//! without the guard: [`Verified::by_signed_event_id`](crate::Verified::by_signed_event_id)
//! makes the facts it would be given.

mod test_delivery;

pub use test_delivery::TestDelivery;
