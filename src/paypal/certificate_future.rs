use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::{HeaderValue, Request, Response, StatusCode};
use pin_project_lite::pin_project;
use tower_service::Service;

use crate::paypal::FetchError;

/// How long PayPal is asked to wait before retrying a delivery whose
/// certificate could not be fetched.
const RETRY_AFTER_SECS: u32 = 30;

/// A fetch in progress (the slow path only: a cached certificate calls the
/// guard at once).
pub(crate) type Resolving = Pin<Box<dyn Future<Output = Result<(), FetchError>> + Send>>;

pin_project! {
    /// The future of a [`CertificateService`](crate::paypal::CertificateService):
    /// the certificate's fetch, if it is not cached, then the guard's call.
    pub struct CertificateFuture<S, ReqBody, ResBody>
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    {
        #[pin]
        state: State<S, ReqBody, ResBody>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<S, ReqBody, ResBody>
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    {
        Resolving {
            resolving: Resolving,
            request: Option<Request<ReqBody>>,
            inner: S,
        },
        Calling {
            #[pin]
            call: S::Future,
        },
    }
}

impl<S, ReqBody, ResBody> CertificateFuture<S, ReqBody, ResBody>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    pub(crate) fn calling(call: S::Future) -> Self {
        Self {
            state: State::Calling { call },
        }
    }

    pub(crate) fn resolving(resolving: Resolving, request: Request<ReqBody>, inner: S) -> Self {
        Self {
            state: State::Resolving {
                resolving,
                request: Some(request),
                inner,
            },
        }
    }
}

impl<S, ReqBody, ResBody> Future for CertificateFuture<S, ReqBody, ResBody>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Output = Result<Response<ResBody>, S::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            match this.state.as_mut().project() {
                StateProjection::Calling { call } => return call.poll(cx),
                StateProjection::Resolving {
                    resolving,
                    request,
                    inner,
                } => {
                    let resolved = ready!(resolving.as_mut().poll(cx));
                    if let Err(error) = resolved
                        && error.is_transient()
                    {
                        return Poll::Ready(Ok(unavailable()));
                    }
                    // Resolved, or refused: the guard decides (a refused
                    // certificate is not in the cache, so it answers 401).
                    let Some(request) = request.take() else {
                        return Poll::Ready(Ok(unavailable()));
                    };
                    let call = inner.call(request);
                    this.state.set(State::Calling { call });
                }
            }
        }
    }
}

/// 503 with `Retry-After`: PayPal retries the delivery.
fn unavailable<ResBody: Default>() -> Response<ResBody> {
    let mut response = Response::new(ResBody::default());
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response.headers_mut().insert(
        http::header::RETRY_AFTER,
        HeaderValue::from(RETRY_AFTER_SECS),
    );
    response
}
