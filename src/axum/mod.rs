//! axum extractors (feature `axum`): [`Webhook<T>`] for the verified body,
//! deserialized, and [`Verified`](crate::Verified) for the facts. Both need
//! [`WebhookLayer`](crate::WebhookLayer) on the route, and say so when it is
//! missing. Without this feature, `axum::Extension<Verified>` and a `Bytes`
//! body work the same way.
//!
//! ```
//! use axum::{Router, http::StatusCode, routing::post};
//! use serde::Deserialize;
//! use webhook_guard::axum::Webhook;
//! use webhook_guard::{Verified, Verifier, WebhookLayer};
//!
//! #[derive(Deserialize)]
//! struct Event {
//!     r#type: String,
//! }
//!
//! async fn on_event(verified: Verified, Webhook(event): Webhook<Event>) -> StatusCode {
//!     println!("{} {}", verified.event_id().unwrap_or("-"), event.r#type);
//!     StatusCode::NO_CONTENT // 2xx: the delivery is recorded as processed
//! }
//!
//! # fn main() -> Result<(), webhook_guard::secret::SecretError> {
//! let verifier = Verifier::stripe("whsec_…")?;
//! let app: Router = Router::new().route("/webhooks/stripe", post(on_event).layer(WebhookLayer::new(verifier)));
//! # Ok(())
//! # }
//! ```

mod rejection_responses;
mod verified_extractor;
mod webhook_extractor;

pub use crate::extract::{VerifiedRejection, Webhook, WebhookRejection};
