use axum_core::extract::FromRequestParts;
use http::request::Parts;

use crate::Verified;
use crate::extract::VerifiedRejection;

/// The [`Verified`] facts of the delivery, from a route guarded by
/// [`WebhookLayer`](crate::WebhookLayer).
impl<S: Send + Sync> FromRequestParts<S> for Verified {
    type Rejection = VerifiedRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Verified>()
            .cloned()
            .ok_or(VerifiedRejection)
    }
}
