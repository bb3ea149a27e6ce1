use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Response};

use crate::delivery::{Rejection, Responder};

/// The header a duplicate's 200 carries.
pub const WEBHOOK_DUPLICATE: HeaderName = HeaderName::from_static("webhook-duplicate");

/// The default [`Responder`]: the rejection's status, the status's generic
/// reason phrase as a `text/plain` body (never which check failed), and the
/// [contract headers](Rejection::contract_headers): `Retry-After` where the
/// sender should retry, `webhook-duplicate: true` on a duplicate's 200; a
/// handshake gets its reply.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultResponder;

impl<B: From<Bytes>> Responder<B> for DefaultResponder {
    fn respond(&self, rejection: &Rejection) -> Response<B> {
        if let Rejection::Handshake(reply) = rejection {
            let mut response = Response::new(B::from(reply.body().clone()));
            for (name, value) in reply.headers() {
                response.headers_mut().insert(name, value.clone());
            }
            return response;
        }
        let status = rejection.status();
        let text = status.canonical_reason().unwrap_or("Error");
        let mut response = Response::new(B::from(Bytes::from_static(text.as_bytes())));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        headers.extend(rejection.contract_headers());
        response
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use http::header::RETRY_AFTER;

    use super::*;
    use crate::VerifyError;

    #[test]
    fn bodies_are_generic_and_retry_hints_round_up() {
        let mismatch: Response<Bytes> =
            DefaultResponder.respond(&Rejection::Unverified(VerifyError::SignatureMismatch));
        assert_eq!(mismatch.body(), "Unauthorized");

        let in_flight: Response<Bytes> = DefaultResponder.respond(&Rejection::InFlight {
            retry_after: Duration::from_millis(1500),
        });
        assert_eq!(in_flight.status(), 409);
        assert_eq!(in_flight.headers()[RETRY_AFTER], "2");

        let soon: Response<Bytes> = DefaultResponder.respond(&Rejection::StoreUnavailable {
            retry_after: Duration::ZERO,
        });
        assert_eq!(soon.headers()[RETRY_AFTER], "1");

        let forever: Response<Bytes> = DefaultResponder.respond(&Rejection::StoreUnavailable {
            retry_after: Duration::MAX,
        });
        assert_eq!(
            forever.headers()[RETRY_AFTER],
            u64::MAX.to_string().as_str()
        );

        let duplicate: Response<Bytes> = DefaultResponder.respond(&Rejection::Duplicate);
        assert_eq!(duplicate.status(), 200);
        assert_eq!(duplicate.headers()[WEBHOOK_DUPLICATE], "true");
    }
}
