//! What the framework extractors share: the [`Webhook<T>`] payload type, how
//! a verified body is deserialized, and the rejections with their statuses
//! and bodies. The `axum` and `actix` modules add only the framework traits
//! (`FromRequest`, `IntoResponse`, `ResponseError`) and re-export these.

mod verified_rejection;
mod webhook;
mod webhook_rejection;

pub use verified_rejection::VerifiedRejection;
pub use webhook::Webhook;
pub use webhook_rejection::WebhookRejection;
