use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::Verified;
use crate::extract::VerifiedRejection;

/// The [`Verified`] facts of the delivery, on a resource wrapped in
/// [`WebhookLayer`](crate::WebhookLayer).
impl FromRequest for Verified {
    type Error = VerifiedRejection;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            request
                .extensions()
                .get::<Verified>()
                .cloned()
                .ok_or(VerifiedRejection),
        )
    }
}
