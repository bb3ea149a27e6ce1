use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};

/// The next actix service, seen as a `tower_service::Service`: the shape
/// [`Dispatch`](crate::delivery::Dispatch) runs handlers in.
pub(crate) struct NextService<Srv>(pub(crate) Rc<Srv>);

impl<Srv, B> tower_service::Service<ServiceRequest> for NextService<Srv>
where
    Srv: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = Srv::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: ServiceRequest) -> Self::Future {
        self.0.call(request)
    }
}
