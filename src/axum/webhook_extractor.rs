use axum_core::extract::{FromRequest, Request};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

use crate::Verified;
use crate::extract::{Webhook, WebhookRejection};

/// The verified body of a route guarded by
/// [`WebhookLayer`](crate::WebhookLayer), deserialized.
impl<T, S> FromRequest<S> for Webhook<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(format) = request
            .extensions()
            .get::<Verified>()
            .map(Verified::payload_format)
        else {
            return Err(WebhookRejection::LayerMissing);
        };
        // The layer already bounded and collected the body (one frame), so
        // axum's `DefaultBodyLimit` must not cut a larger configured limit.
        let body = request
            .into_body()
            .collect()
            .await
            .map_err(|_| WebhookRejection::BodyUnreadable)?
            .to_bytes();
        Webhook::parse(format, &body)
    }
}
