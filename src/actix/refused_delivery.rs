use std::fmt;

use actix_web::HttpResponse;
use actix_web::ResponseError;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use bytes::Bytes;

use crate::actix::http_conversion::actix_response;
use crate::delivery::Rejection;

/// The answer to a delivery whose handler gave none: it outlived its
/// claim's lease and was cancelled (503 with `Retry-After`), or it panicked
/// (500). Either way its claim was released before this answer was made;
/// the layer's [`Responder`](crate::delivery::Responder) decides the rest.
///
/// The middleware returns this as an error rather than a response: an actix
/// response needs the request, which went with the handler, and
/// keeping a clone of it would break routing inside a wrapped scope. Its
/// [`error_response`](ResponseError::error_response) is the responder's
/// answer exactly; middleware outside this one can recognise it with
/// `error.as_error::<RefusedDelivery>()`. Every other answer of the
/// middleware is a response.
#[derive(Debug)]
pub struct RefusedDelivery {
    rejection: Rejection,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RefusedDelivery {
    pub(crate) fn new(rejection: Rejection, response: http::Response<Bytes>) -> Self {
        let response = actix_response(response);
        let (status, headers) = (response.status(), response.headers().clone());
        let body =
            actix_web::body::MessageBody::try_into_bytes(response.into_body()).unwrap_or_default();
        Self {
            rejection,
            status,
            headers,
            body,
        }
    }

    /// Why the delivery was refused.
    pub fn rejection(&self) -> &Rejection {
        &self.rejection
    }
}

impl fmt::Display for RefusedDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "webhook delivery answered {}: {}",
            self.status,
            self.rejection.reason()
        )
    }
}

impl std::error::Error for RefusedDelivery {}

impl ResponseError for RefusedDelivery {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::with_body(self.status, self.body.clone());
        *response.headers_mut() = self.headers.clone();
        response.map_into_boxed_body()
    }
}
