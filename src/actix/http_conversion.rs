//! actix-web 4 speaks `http` 0.2; the core speaks `http` 1. Headers and
//! responses cross here, at the edge. Bodies never do: they stay the same
//! `Bytes`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use bytes::Bytes;

/// The request's headers as an `http` 1 map (names and values are
/// re-validated, so nothing invalid crosses).
pub(crate) fn request_headers(headers: &HeaderMap) -> http::HeaderMap {
    let mut converted = http::HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let name = http::HeaderName::from_bytes(name.as_str().as_bytes());
        let value = http::HeaderValue::from_bytes(value.as_bytes());
        if let (Ok(name), Ok(value)) = (name, value) {
            converted.append(name, value);
        }
    }
    converted
}

/// An `http` 1 response (a rejection's answer) as an actix response.
pub(crate) fn actix_response(response: http::Response<Bytes>) -> HttpResponse {
    let (parts, body) = response.into_parts();
    let status =
        StatusCode::from_u16(parts.status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut converted = HttpResponse::with_body(status, body).map_into_boxed_body();
    for (name, value) in &parts.headers {
        let name = HeaderName::from_bytes(name.as_str().as_bytes());
        let value = HeaderValue::from_bytes(value.as_bytes());
        if let (Ok(name), Ok(value)) = (name, value) {
            converted.headers_mut().append(name, value);
        }
    }
    converted
}

/// An `http` 1 status as actix's.
pub(crate) fn actix_status(status: http::StatusCode) -> StatusCode {
    StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_and_value_crosses_in_order() {
        let mut headers = HeaderMap::new();
        headers.append(
            HeaderName::from_static("webhook-signature"),
            HeaderValue::from_static("v1,abc v1,def"),
        );
        headers.append(
            HeaderName::from_static("x-repeated"),
            HeaderValue::from_static("one"),
        );
        headers.append(
            HeaderName::from_static("x-repeated"),
            HeaderValue::from_static("two"),
        );
        let converted = request_headers(&headers);
        assert_eq!(converted["webhook-signature"], "v1,abc v1,def");
        let repeated: Vec<_> = converted.get_all("x-repeated").iter().collect();
        assert_eq!(repeated, ["one", "two"]);
    }

    #[test]
    fn a_response_keeps_its_status_headers_and_bytes() {
        let body = Bytes::from_static(b"Conflict");
        let response = http::Response::builder()
            .status(409)
            .header("retry-after", "3")
            .body(body.clone())
            .unwrap();
        let converted = actix_response(response);
        assert_eq!(converted.status(), StatusCode::CONFLICT);
        assert_eq!(converted.headers().get("retry-after").unwrap(), "3");
        let bytes = actix_web::body::MessageBody::try_into_bytes(converted.into_body())
            .expect("an in-memory body");
        assert_eq!(bytes.as_ptr(), body.as_ptr(), "the body is not copied");
    }
}
