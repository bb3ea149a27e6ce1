//! actix-web (feature `actix`): [`WebhookLayer`](crate::WebhookLayer) is
//! also actix-web middleware — `wrap` it around a resource or a scope — and
//! [`Webhook<T>`] and [`Verified`](crate::Verified) are extractors. The
//! order of checks, the idempotency contract and the status codes are the
//! Tower layer's, from the same code: only the edges (reading the payload,
//! `http` 0.2 headers and responses) are actix's.
//!
//! ```
//! use actix_web::{App, HttpResponse, test, web};
//! use serde::Deserialize;
//! use webhook_guard::actix::Webhook;
//! use webhook_guard::{Signer, Verified, Verifier, WebhookLayer};
//!
//! #[derive(Deserialize)]
//! struct Event {
//!     r#type: String,
//! }
//!
//! async fn on_event(verified: Verified, Webhook(event): Webhook<Event>) -> HttpResponse {
//!     println!("{} {}", verified.event_id().unwrap_or("-"), event.r#type);
//!     HttpResponse::NoContent().finish() // 2xx: the delivery is recorded as processed
//! }
//!
//! # #[actix_web::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! let app = test::init_service(App::new().service(
//!     web::resource("/webhooks/standard")
//!         .wrap(WebhookLayer::new(Verifier::standard_webhooks(secret)?))
//!         .route(web::post().to(on_event)),
//! ))
//! .await;
//!
//! let body = br#"{"type":"invoice.paid"}"#;
//! let headers = Signer::standard_webhooks(secret)?.sign("msg_1", std::time::SystemTime::now(), body)?;
//! let request = || {
//!     let mut request = test::TestRequest::post().uri("/webhooks/standard").set_payload(&body[..]);
//!     for (name, value) in &headers {
//!         request = request.insert_header((name.as_str(), value.to_str().unwrap()));
//!     }
//!     request.to_request()
//! };
//! assert_eq!(test::call_service(&app, request()).await.status(), 204);
//! let again = test::call_service(&app, request()).await;
//! assert_eq!(again.headers().get("webhook-duplicate").unwrap(), "true"); // not processed twice
//! # Ok(())
//! # }
//! ```
//!
//! Build the layer once, outside `HttpServer::new`'s factory, and `clone` it
//! into each worker's `App`: clones share one store, while a layer built
//! inside the factory gives every worker a `MemoryStore` of its own, and a
//! duplicate reaching another worker would run again.
//!
//! actix-web lets a handler run to its end after its client hangs up (it
//! allows half-closed HTTP/1 connections by default); its answer then
//! completes or releases the claim as usual. With
//! `HttpServer::h1_allow_half_closed(false)` the request is dropped instead,
//! and the claim released at once.
//!
//! Two answers are errors rather than responses: a handler cancelled as
//! its lease ends (503 with `Retry-After`), or one that panicked (500), is
//! answered with a [`RefusedDelivery`] error whose response is the
//! responder's answer, since the request went with the handler. Middleware outside this one
//! sees it as an `Err` (actix-web's `Logger` does not log those).
//!
//! actix-web's HTTP/2 dispatcher runs each request on a task of its own, so
//! a stream the client resets does not cancel its handler either.
//!
//! Without the extractors, `web::ReqData<Verified>` and `web::Bytes` work
//! too: the handler gets the verified bytes as its payload. Mind that
//! actix-web's own payload limits (`web::PayloadConfig`, 256 KiB by default;
//! `web::JsonConfig`, 2 MiB) still apply to those extractors, while
//! [`Webhook<T>`] is bounded by the layer's limit alone.
//!
//! A custom [`Responder`](crate::delivery::Responder) for actix-web answers
//! with `http::Response<Bytes>`; it is converted at the edge, as are the
//! request headers (actix-web 4 uses `http` 0.2, the core `http` 1). The
//! body is never copied.

mod handler_response;
pub(crate) mod http_conversion;
mod next_service;
mod refused_delivery;
mod rejection_responses;
mod transform;
pub(crate) mod verified_body;
mod verified_extractor;
mod webhook_extractor;
mod webhook_middleware;

pub use crate::extract::{VerifiedRejection, Webhook, WebhookRejection};
pub use refused_delivery::RefusedDelivery;
pub use webhook_middleware::WebhookMiddleware;
