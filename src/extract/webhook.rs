use serde::de::DeserializeOwned;

use crate::extract::WebhookRejection;

/// The verified body, deserialized: JSON, or form-encoded when the request
/// says `application/x-www-form-urlencoded` (Slack's slash commands and
/// interactivity).
///
/// It extracts only from a route guarded by
/// [`WebhookLayer`](crate::WebhookLayer) (a Tower layer for axum, a
/// `Transform` for actix-web's `wrap`); elsewhere it is rejected with 500
/// and a message saying the guard is missing. A body that does not fit `T`
/// is rejected with 422 — not 2xx, so the claim is released and the
/// sender's retry is processed once the handler is fixed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Webhook<T>(pub T);

impl<T: DeserializeOwned> Webhook<T> {
    /// `body` deserialized as its `Content-Type` says: form-encoded, or JSON.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Result<Self, WebhookRejection> {
        let parsed = if content_type.is_some_and(is_form) {
            serde_urlencoded::from_bytes(body).map_err(|error| error.to_string())
        } else {
            serde_json::from_slice(body).map_err(|error| error.to_string())
        };
        parsed
            .map(Webhook)
            .map_err(|detail| WebhookRejection::InvalidPayload { detail })
    }
}

/// Whether a `Content-Type` value names a form-encoded body.
fn is_form(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|essence| {
        essence
            .trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_are_recognised_by_their_media_type_only() {
        assert!(is_form("application/x-www-form-urlencoded"));
        assert!(is_form("Application/X-WWW-Form-Urlencoded; charset=utf-8"));
        assert!(!is_form("application/json"));
        assert!(!is_form("text/plain; application/x-www-form-urlencoded"));
    }
}
