use bytes::Bytes;

/// The verified body, kept in the request extensions by the middleware, so
/// [`Webhook<T>`](crate::actix::Webhook) reads it without taking the payload
/// (which stays for `web::Bytes` and the like) and without a copy.
#[derive(Clone)]
pub(crate) struct VerifiedBody(pub(crate) Bytes);
