use bytes::Bytes;
use http::{HeaderName, HeaderValue};

/// What the guard answers a provider's handshake: 200, this body, its
/// content type and any headers the provider needs back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeReply {
    body: Bytes,
    headers: Vec<(HeaderName, HeaderValue)>,
}

const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
const JSON: HeaderValue = HeaderValue::from_static("application/json");

impl HandshakeReply {
    /// A `text/plain` reply.
    pub(crate) fn text(body: impl Into<Bytes>) -> Self {
        Self {
            body: body.into(),
            headers: vec![(http::header::CONTENT_TYPE, TEXT)],
        }
    }

    /// An `application/json` reply.
    pub(crate) fn json(value: &serde_json::Value) -> Self {
        Self {
            body: Bytes::from(value.to_string()),
            headers: vec![(http::header::CONTENT_TYPE, JSON)],
        }
    }

    /// The same reply with one more header.
    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The body the provider expects.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The headers the reply carries: its `Content-Type`, and any the
    /// provider needs back (Asana's `X-Hook-Secret`).
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }
}
