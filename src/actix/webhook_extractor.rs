use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;

use crate::actix::verified_body::VerifiedBody;
use crate::extract::{Webhook, WebhookRejection};

/// The verified body of a resource wrapped in
/// [`WebhookLayer`](crate::WebhookLayer), deserialized. It reads the bytes
/// the middleware verified (no copy, and none of actix-web's own payload
/// limits apply: the layer's limit already did), so the payload stays
/// available to other extractors.
impl<T: DeserializeOwned> FromRequest for Webhook<T> {
    type Error = WebhookRejection;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let body = request.extensions().get::<VerifiedBody>().cloned();
        let Some(VerifiedBody(body)) = body else {
            return ready(Err(WebhookRejection::LayerMissing));
        };
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok());
        ready(Webhook::parse(content_type, &body))
    }
}
