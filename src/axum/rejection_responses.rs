use axum_core::response::{IntoResponse, Response};

use crate::extract::{VerifiedRejection, WebhookRejection};

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        self.log();
        (self.status(), self.body_text()).into_response()
    }
}

impl IntoResponse for VerifiedRejection {
    fn into_response(self) -> Response {
        self.log();
        (self.status(), self.body_text()).into_response()
    }
}
