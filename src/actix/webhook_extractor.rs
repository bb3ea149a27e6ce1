use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;

use crate::Verified;
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
        let extensions = request.extensions();
        let format = extensions.get::<Verified>().map(Verified::payload_format);
        let (Some(VerifiedBody(body)), Some(format)) = (extensions.get::<VerifiedBody>(), format)
        else {
            return ready(Err(WebhookRejection::LayerMissing));
        };
        ready(Webhook::parse(format, body))
    }
}
