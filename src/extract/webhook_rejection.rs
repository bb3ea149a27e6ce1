use std::fmt;

use http::StatusCode;

use crate::extract::verified_rejection::GUARD_MISSING;

/// Why [`Webhook<T>`](super::Webhook) could not extract. The body says
/// nothing of the payload; the detail goes to the logs.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The route has no [`WebhookLayer`](crate::WebhookLayer): 500, and
    /// the body says so (the developer's to fix).
    LayerMissing,
    /// The body could not be read: 400.
    BodyUnreadable,
    /// The verified body does not fit the target type: 422.
    InvalidPayload {
        /// The deserializer's message (logged, not sent).
        detail: String,
    },
}

impl WebhookRejection {
    /// The HTTP status of this rejection.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::LayerMissing => StatusCode::INTERNAL_SERVER_ERROR,
            Self::BodyUnreadable => StatusCode::BAD_REQUEST,
            Self::InvalidPayload { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The response body: generic, except for the missing layer, which is
    /// the developer's to fix.
    pub fn body_text(&self) -> String {
        match self {
            Self::LayerMissing => GUARD_MISSING.to_owned(),
            Self::BodyUnreadable => "Failed to read the webhook body".to_owned(),
            Self::InvalidPayload { .. } => {
                "The webhook payload does not have the expected shape".to_owned()
            }
        }
    }

    /// Logs the rejection: an error for the missing layer, a warning with
    /// the deserializer's detail for the rest.
    pub(crate) fn log(&self) {
        match self {
            Self::LayerMissing => tracing::error!("{self}"),
            _ => tracing::warn!("{self}"),
        }
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPayload { detail } => write!(f, "{}: {detail}", self.body_text()),
            _ => f.write_str(&self.body_text()),
        }
    }
}

impl std::error::Error for WebhookRejection {}
