use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::actix::http_conversion::actix_status;
use crate::extract::{VerifiedRejection, WebhookRejection};

/// The status and the generic body of [`WebhookRejection::body_text`]; the
/// deserializer's detail goes to the logs only.
impl ResponseError for WebhookRejection {
    fn status_code(&self) -> StatusCode {
        actix_status(self.status())
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        plain_text(self.status_code(), self.body_text())
    }
}

/// 500, and a body naming the missing middleware.
impl ResponseError for VerifiedRejection {
    fn status_code(&self) -> StatusCode {
        actix_status(self.status())
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        plain_text(self.status_code(), self.body_text())
    }
}

/// A `text/plain` response: what the axum face's `(status, text)` answers.
fn plain_text(status: StatusCode, text: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(text)
}
