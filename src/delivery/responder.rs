use http::Response;

use crate::delivery::Rejection;

/// Turns a [`Rejection`] into the response the sender gets.
///
/// [`DefaultResponder`](crate::delivery::DefaultResponder) is used unless a
/// layer is given another one; any `Fn(&Rejection) -> Response<B>` that is
/// `Clone + Send + Sync` is a responder too:
///
/// ```
/// use http::Response;
/// use webhook_guard::delivery::{Rejection, Responder};
///
/// let json = |rejection: &Rejection| {
///     Response::builder()
///         .status(rejection.status())
///         .header("content-type", "application/json")
///         .body(format!(r#"{{"error":"{}"}}"#, rejection.status().as_u16()))
///         .unwrap()
/// };
/// let response: Response<String> = json.respond(&Rejection::BodyTooLarge { limit: 1 });
/// assert_eq!(response.status(), 413);
/// ```
///
/// Keep the body generic: which check failed belongs in the logs (the
/// delivery span records it), not in the response.
pub trait Responder<B>: Clone + Send + Sync + 'static {
    /// The response for `rejection`.
    fn respond(&self, rejection: &Rejection) -> Response<B>;
}

impl<B, F> Responder<B> for F
where
    F: Fn(&Rejection) -> Response<B> + Clone + Send + Sync + 'static,
{
    fn respond(&self, rejection: &Rejection) -> Response<B> {
        self(rejection)
    }
}

/// The response `responder` gives `rejection`, with the contract's headers
/// ([`Rejection::contract_headers`]) added where it left them out: every
/// face answers rejections through this.
pub(crate) fn respond<B>(responder: &impl Responder<B>, rejection: &Rejection) -> Response<B> {
    let mut response = responder.respond(rejection);
    for (name, value) in rejection.contract_headers() {
        response.headers_mut().entry(name).or_insert(value);
    }
    response
}
