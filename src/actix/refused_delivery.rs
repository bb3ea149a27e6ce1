use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use bytes::Bytes;

use crate::actix::http_conversion::{actix_response, actix_status};

/// A rejection decided after the next service took the request: the
/// handler outlived its lease, or succeeded but the store never recorded it
/// (both 503). An actix `ServiceResponse` needs the request, which went
/// with the cancelled or finished call, and keeping a clone of it would
/// break routing inside a wrapped scope (actix-web needs the only
/// reference to match the path). So the middleware answers with this
/// error, whose response is the responder's answer, status, headers and
/// body as they are.
#[derive(Debug)]
pub(crate) struct RefusedDelivery {
    reason: &'static str,
    response: http::Response<Bytes>,
}

impl RefusedDelivery {
    pub(crate) fn new(reason: &'static str, response: http::Response<Bytes>) -> Self {
        Self { reason, response }
    }
}

impl fmt::Display for RefusedDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "webhook delivery answered {}: {}",
            self.response.status(),
            self.reason
        )
    }
}

impl ResponseError for RefusedDelivery {
    fn status_code(&self) -> StatusCode {
        actix_status(self.response.status())
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = http::Response::new(self.response.body().clone());
        *response.status_mut() = self.response.status();
        *response.headers_mut() = self.response.headers().clone();
        actix_response(response)
    }
}
