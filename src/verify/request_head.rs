use http::{HeaderMap, Method, Uri};

/// What a verifier sees of a request besides its body: the method, the URI
/// as the server received it, and the headers.
///
/// Schemes that read only headers need only the headers
/// ([`Verifier::verify_at`](crate::Verifier::verify_at)); schemes that sign
/// the URL or the method (Twilio, Square) need the head
/// ([`Verifier::verify_request_at`](crate::Verifier::verify_request_at)).
/// Both guards pass it.
///
/// ```
/// use webhook_guard::verify::RequestHead;
///
/// let request = http::Request::post("/hooks/twilio").body(()).unwrap();
/// let (parts, ()) = request.into_parts();
/// let head = RequestHead::from(&parts);
/// assert_eq!(head.uri().path(), "/hooks/twilio");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RequestHead<'a> {
    method: &'a Method,
    uri: &'a Uri,
    headers: &'a HeaderMap,
}

impl<'a> RequestHead<'a> {
    /// A head made of its three parts.
    pub fn new(method: &'a Method, uri: &'a Uri, headers: &'a HeaderMap) -> Self {
        Self {
            method,
            uri,
            headers,
        }
    }

    /// The request method.
    pub fn method(&self) -> &'a Method {
        self.method
    }

    /// The URI as the server received it (usually only a path and query).
    pub fn uri(&self) -> &'a Uri {
        self.uri
    }

    /// The headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }
}

impl<'a> From<&'a http::request::Parts> for RequestHead<'a> {
    fn from(parts: &'a http::request::Parts) -> Self {
        Self::new(&parts.method, &parts.uri, &parts.headers)
    }
}
