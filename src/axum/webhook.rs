use axum_core::extract::{FromRequest, Request};
use http::header::CONTENT_TYPE;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

use crate::Verified;
use crate::axum::WebhookRejection;

/// The verified body, deserialized: JSON, or form-encoded when the request
/// says `application/x-www-form-urlencoded` (Slack's slash commands and
/// interactivity).
///
/// It extracts only from a route guarded by
/// [`WebhookLayer`](crate::WebhookLayer); elsewhere it is rejected with 500
/// and a message saying the layer is missing. A body that does not fit `T`
/// is rejected with 422 — not 2xx, so the claim is released and the sender's
/// retry is processed once the handler is fixed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Webhook<T>(pub T);

impl<T, S> FromRequest<S> for Webhook<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if request.extensions().get::<Verified>().is_none() {
            return Err(WebhookRejection::LayerMissing);
        }
        let form = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|essence| {
                essence
                    .trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        // The layer already bounded and collected the body (one frame), so
        // axum's `DefaultBodyLimit` must not cut a larger configured limit.
        let body = request
            .into_body()
            .collect()
            .await
            .map_err(|_| WebhookRejection::BodyUnreadable)?
            .to_bytes();
        let parsed = if form {
            serde_urlencoded::from_bytes(&body).map_err(|error| error.to_string())
        } else {
            serde_json::from_slice(&body).map_err(|error| error.to_string())
        };
        parsed
            .map(Webhook)
            .map_err(|detail| WebhookRejection::InvalidPayload { detail })
    }
}
