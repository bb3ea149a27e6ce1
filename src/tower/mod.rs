//! The Tower face: [`WebhookLayer`] guards a route so its handler runs only
//! for authentic, fresh, first-time deliveries — once each.
//!
//! ```
//! use std::convert::Infallible;
//! use std::time::SystemTime;
//! use bytes::Bytes;
//! use http::{Request, Response};
//! use http_body_util::Full;
//! use tower::{ServiceBuilder, ServiceExt};
//! use webhook_guard::{Signer, Verified, Verifier, WebhookLayer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! let service = ServiceBuilder::new()
//!     .layer(WebhookLayer::new(Verifier::standard_webhooks(secret)?))
//!     .service_fn(|request: Request<Full<Bytes>>| async move {
//!         let event_id = request.extensions().get::<Verified>().unwrap().event_id().unwrap().to_owned();
//!         Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(format!("processed {event_id}")))))
//!     });
//!
//! let body = Bytes::from_static(br#"{"type":"ping"}"#);
//! let headers = Signer::standard_webhooks(secret)?.sign("msg_1", SystemTime::now(), &body)?;
//! let request = || {
//!     let mut request = Request::new(Full::from(body.clone()));
//!     *request.headers_mut() = headers.clone();
//!     request
//! };
//!
//! let first = service.clone().oneshot(request()).await?;
//! assert_eq!(first.status(), 200);
//! let again = service.oneshot(request()).await?;
//! assert_eq!(again.headers()["webhook-duplicate"], "true"); // not processed twice
//! # Ok(())
//! # }
//! ```

mod connection;
mod future;
mod layer;
mod service;

pub(crate) use connection::connection_of;

pub use future::ResponseFuture;
pub use layer::WebhookLayer;
pub use service::WebhookService;
