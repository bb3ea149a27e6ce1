use actix_web::dev::ServiceResponse;

use crate::delivery::HandlerResponse;

/// An actix handler succeeded when it answered 2xx.
impl<B> HandlerResponse for ServiceResponse<B> {
    fn succeeded(&self) -> bool {
        self.status().is_success()
    }
}
