//! actix-web 4 speaks `http` 0.2; the core speaks `http` 1. Headers and
//! responses cross here, at the edge. Bodies never do: they stay the same
//! `Bytes`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use bytes::Bytes;

use crate::VerifyError;
use crate::delivery::Rejection;

/// The request's headers named in `names` (every occurrence, in order), or
/// all of them when `names` is `None` (a check that cannot name what it
/// reads), as an `http` 1 map: the pipeline reads a handful of headers, and
/// copying only those costs a fraction of copying all of them. Values are
/// re-validated; one that `http` 1 refuses (both crates validate alike, so
/// in practice none) refuses the request as malformed, rather than
/// crossing without it.
pub(crate) fn request_headers(
    headers: &HeaderMap,
    names: Option<&[http::HeaderName]>,
) -> Result<http::HeaderMap, Rejection> {
    let Some(names) = names else {
        let mut converted = http::HeaderMap::with_capacity(headers.len());
        for (name, value) in headers {
            let name = http::HeaderName::from_bytes(name.as_str().as_bytes()).map_err(|_| {
                Rejection::Unverified(VerifyError::MalformedHeader {
                    name: http::HeaderName::from_static("x-unreadable-header"),
                    reason: "not a valid header name",
                })
            })?;
            let value = converted_value(&name, value)?;
            converted.append(name, value);
        }
        return Ok(converted);
    };
    let mut converted = http::HeaderMap::with_capacity(names.len());
    for name in names {
        for value in headers.get_all(name.as_str()) {
            let value = converted_value(name, value)?;
            converted.append(name.clone(), value);
        }
    }
    Ok(converted)
}

fn converted_value(
    name: &http::HeaderName,
    value: &HeaderValue,
) -> Result<http::HeaderValue, Rejection> {
    http::HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
        Rejection::Unverified(VerifyError::MalformedHeader {
            name: name.clone(),
            reason: "not a valid header value",
        })
    })
}

/// The request's method and URI as `http` 1 values, for schemes that sign
/// them. actix-web has parsed and bounded both; one that `http` 1 refuses
/// refuses the request as malformed.
pub(crate) fn request_target(
    method: &actix_web::http::Method,
    uri: &actix_web::http::Uri,
) -> Result<(http::Method, http::Uri), Rejection> {
    let malformed = || {
        Rejection::Unverified(VerifyError::MalformedHeader {
            name: http::header::HOST,
            reason: "the request target is not a valid URI",
        })
    };
    let method = http::Method::from_bytes(method.as_str().as_bytes()).map_err(|_| malformed())?;
    let uri = http::Uri::try_from(uri.to_string()).map_err(|_| malformed())?;
    Ok((method, uri))
}

/// An `http` 1 response (a rejection's answer) as an actix response.
pub(crate) fn actix_response(response: http::Response<Bytes>) -> HttpResponse {
    let (parts, body) = response.into_parts();
    let status = actix_status(parts.status);
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
    fn the_named_headers_cross_with_every_value_in_order() {
        let mut headers = HeaderMap::new();
        let values = [
            ("webhook-signature", "v1,abc v1,def"),
            ("x-repeated", "one"),
            ("x-repeated", "two"),
            ("x-other", "left behind"),
        ];
        for (name, value) in values {
            headers.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        let names = [
            http::HeaderName::from_static("webhook-signature"),
            http::HeaderName::from_static("x-repeated"),
            http::HeaderName::from_static("x-absent"),
        ];
        let converted = request_headers(&headers, Some(&names)).unwrap();
        assert_eq!(converted["webhook-signature"], "v1,abc v1,def");
        let repeated: Vec<_> = converted.get_all("x-repeated").iter().collect();
        assert_eq!(repeated, ["one", "two"], "a repeated header stays repeated");
        assert!(!converted.contains_key("x-other"));
        assert_eq!(converted.len(), 3);
    }

    #[test]
    fn every_scheme_verifies_from_the_headers_that_cross() {
        use std::time::SystemTime;

        use crate::{Scheme, Signer, Verifier};

        let body = br#"{"id":"evt_1","event_id":"Ev1"}"#;
        use crate::scheme::{MessagePart, TimestampUnit};

        // A generic scheme signing its ID and timestamp headers too.
        let generic = Scheme::generic("acme")
            .with_signature_header("x-acme-signature")
            .with_timestamp_header("x-acme-timestamp", TimestampUnit::Seconds)
            .with_id_header("x-acme-delivery")
            .with_message([
                MessagePart::Id,
                MessagePart::literal("."),
                MessagePart::Timestamp,
                MessagePart::literal("."),
                MessagePart::Body,
            ])
            .build()
            .unwrap();
        let schemes = [
            generic,
            Scheme::standard_webhooks(),
            Scheme::stripe(),
            Scheme::github(),
            Scheme::github_with_sha1(),
            Scheme::slack(),
            Scheme::shopify(),
        ];
        for scheme in schemes {
            let secret = match scheme.secret_format() {
                crate::secret::SecretFormat::StandardWebhooks => {
                    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
                }
                _ => "whsec_a-test-secret",
            };
            let signed = Signer::from_secrets(scheme.clone(), [secret])
                .unwrap()
                .sign("delivery-1", SystemTime::now(), body)
                .unwrap();
            let mut actix_headers = HeaderMap::new();
            for (name, value) in &signed {
                actix_headers.append(
                    HeaderName::from_bytes(name.as_str().as_bytes()).unwrap(),
                    HeaderValue::from_bytes(value.as_bytes()).unwrap(),
                );
            }
            let names = scheme.header_names();
            let crossed = request_headers(&actix_headers, Some(&names)).unwrap();
            let verifier = Verifier::from_secrets(scheme.clone(), [secret]).unwrap();
            let from_all = verifier.verify(&signed, body).unwrap();
            let from_crossed = verifier.verify(&crossed, body).unwrap();
            assert_eq!(
                from_crossed.fingerprint(),
                from_all.fingerprint(),
                "{scheme:?}"
            );
            assert_eq!(from_crossed.event_id(), from_all.event_id(), "{scheme:?}");
            assert_eq!(
                crossed.len(),
                signed.len(),
                "{scheme:?}: every signed header crosses"
            );
        }
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
