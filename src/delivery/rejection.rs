use std::net::IpAddr;
use std::time::Duration;

use http::header::RETRY_AFTER;
use http::{HeaderName, HeaderValue, StatusCode};

use crate::delivery::WEBHOOK_DUPLICATE;
use crate::handshake::HandshakeReply;

use crate::verify::VerifyError;

/// Why a delivery was answered without running the handler to completion.
/// Not every one is an error: a duplicate is answered 200.
///
/// [`status`](Rejection::status) is the one mapping to HTTP; a
/// [`Responder`](crate::delivery::Responder) turns a rejection into the
/// response (the default one sends the status, a generic body and the
/// headers the sender needs, never which check failed).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The body is longer than the limit (decided from `Content-Length`, or
    /// while reading the body): 413.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body could not be read (the client went away or sent a broken
    /// stream): 400.
    BodyUnreadable,
    /// The body did not arrive whole before the body timeout: 408, and
    /// nothing was claimed.
    BodyTimedOut,
    /// The guard already holds as many bytes of not-yet-verified bodies as
    /// it may: 503 with `Retry-After`, before this body is read.
    Overloaded {
        /// When to retry.
        retry_after: Duration,
    },
    /// The request is not authentic, not fresh or malformed: 400 or 401, as
    /// [`VerifyError::status`] says.
    Unverified(VerifyError),
    /// The event was processed already: 200 with `webhook-duplicate: true`,
    /// and the handler does not run.
    Duplicate,
    /// A first attempt at this event is still running: 409 with
    /// `Retry-After` (never 2xx: that attempt may still fail).
    InFlight {
        /// When to retry.
        retry_after: Duration,
    },
    /// The idempotency store could not be reached, or did not answer in
    /// time: 503 with `Retry-After` (fail closed: the sender retries later).
    StoreUnavailable {
        /// When to retry.
        retry_after: Duration,
    },
    /// The handler was still running when its claim's lease was about to
    /// end, so it was cancelled and the claim released — otherwise a retry
    /// could run it a second time alongside: 503 with `Retry-After`.
    HandlerTimedOut {
        /// When to retry.
        retry_after: Duration,
    },
    /// The handler panicked. The panic was caught, the claim released, and
    /// the sender gets 500 so it retries (the panic's message goes only to
    /// the logs).
    HandlerPanicked,
    /// The request came from outside the
    /// [allowed sources](crate::WebhookLayer::with_allowed_sources): 403,
    /// before a byte of the body is read, and nothing is claimed.
    SourceNotAllowed {
        /// The client's address as the guard saw it (the peer, or who a
        /// trusted proxy said), or `None` when it could not be told (no
        /// peer address, an unreadable forwarding header).
        client: Option<IpAddr>,
    },
    /// The request came over plain HTTP where
    /// [HTTPS is required](crate::WebhookLayer::with_required_https): 403,
    /// before a byte of the body is read.
    HttpsRequired,
    /// A provider's handshake, answered by the guard (see
    /// [`handshake`](crate::handshake)): 200 with the reply's body and
    /// headers. The handler does not run and nothing is recorded.
    Handshake(HandshakeReply),
}

impl Rejection {
    /// The HTTP status for this rejection.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyUnreadable => StatusCode::BAD_REQUEST,
            Self::BodyTimedOut => StatusCode::REQUEST_TIMEOUT,
            Self::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unverified(error) => error.status(),
            Self::Duplicate => StatusCode::OK,
            Self::InFlight { .. } => StatusCode::CONFLICT,
            Self::StoreUnavailable { .. } | Self::HandlerTimedOut { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::HandlerPanicked => StatusCode::INTERNAL_SERVER_ERROR,
            Self::SourceNotAllowed { .. } | Self::HttpsRequired => StatusCode::FORBIDDEN,
            Self::Handshake(_) => StatusCode::OK,
        }
    }

    /// A stable `snake_case` code for logs and metrics:
    /// `body_too_large`, `body_unreadable`, `body_timed_out`, `overloaded`,
    /// the [`VerifyError::reason`],
    /// `duplicate`, `in_flight`, `store_unavailable`, `handler_timed_out`,
    /// `handler_panicked`, `source_not_allowed`, `https_required`,
    /// `handshake`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::BodyTooLarge { .. } => "body_too_large",
            Self::BodyUnreadable => "body_unreadable",
            Self::BodyTimedOut => "body_timed_out",
            Self::Overloaded { .. } => "overloaded",
            Self::Unverified(error) => error.reason(),
            Self::Duplicate => "duplicate",
            Self::InFlight { .. } => "in_flight",
            Self::StoreUnavailable { .. } => "store_unavailable",
            Self::HandlerTimedOut { .. } => "handler_timed_out",
            Self::HandlerPanicked => "handler_panicked",
            Self::SourceNotAllowed { .. } => "source_not_allowed",
            Self::HttpsRequired => "https_required",
            Self::Handshake(_) => "handshake",
        }
    }

    /// How long the sender should wait before retrying, where it should.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::InFlight { retry_after }
            | Self::Overloaded { retry_after }
            | Self::StoreUnavailable { retry_after }
            | Self::HandlerTimedOut { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// The headers the delivery contract requires on this answer, whatever
    /// the [`Responder`](crate::delivery::Responder): `Retry-After` in whole
    /// seconds (at least 1) where the sender should retry, and
    /// `webhook-duplicate: true` on a duplicate, and a handshake's reply
    /// headers (its `Content-Type`, Asana's `X-Hook-Secret`). The layer adds
    /// any a custom responder left out.
    pub fn contract_headers(&self) -> Vec<(HeaderName, HeaderValue)> {
        let mut headers = Vec::new();
        if let Some(retry_after) = self.retry_after() {
            let seconds = retry_after
                .as_secs()
                .saturating_add(u64::from(retry_after.subsec_nanos() > 0))
                .max(1);
            headers.push((RETRY_AFTER, HeaderValue::from(seconds)));
        }
        if *self == Self::Duplicate {
            headers.push((WEBHOOK_DUPLICATE, HeaderValue::from_static("true")));
        }
        if let Self::Handshake(reply) = self {
            headers.extend(reply.headers().iter().cloned());
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_delivery_contract() {
        let second = Duration::from_secs(1);
        let cases = [
            (Rejection::BodyTooLarge { limit: 1 }, 413),
            (Rejection::BodyUnreadable, 400),
            (Rejection::Unverified(VerifyError::SignatureMismatch), 401),
            (
                Rejection::Unverified(VerifyError::MissingHeader {
                    name: http::HeaderName::from_static("x"),
                }),
                400,
            ),
            (Rejection::Duplicate, 200),
            (
                Rejection::InFlight {
                    retry_after: second,
                },
                409,
            ),
            (
                Rejection::StoreUnavailable {
                    retry_after: second,
                },
                503,
            ),
            (
                Rejection::HandlerTimedOut {
                    retry_after: second,
                },
                503,
            ),
            (Rejection::HandlerPanicked, 500),
            (Rejection::SourceNotAllowed { client: None }, 403),
            (Rejection::HttpsRequired, 403),
            (Rejection::BodyTimedOut, 408),
            (
                Rejection::Overloaded {
                    retry_after: second,
                },
                503,
            ),
        ];
        for (rejection, status) in cases {
            assert_eq!(rejection.status().as_u16(), status, "{rejection:?}");
        }
    }
}
