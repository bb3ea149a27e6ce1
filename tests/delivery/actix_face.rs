//! The suite's routes on actix-web, guarded by `WebhookLayer` as actix
//! middleware (`wrap`), served by `HttpServer` with two workers on a thread
//! of its own (`tests/support/actix_server.rs`).

use std::net::SocketAddr;

use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use bytes::Bytes;
use webhook_guard::actix::Webhook;
use webhook_guard::delivery::Responder;
use webhook_guard::idempotency::IdempotencyStore;
use webhook_guard::{Verified, WebhookLayer};

use crate::actix_server::ActixServer;
use crate::face::{Face, Served};
use crate::fixtures::{Handler, label};

pub(crate) struct Actix;

async fn on_event(
    handler: web::Data<Handler>,
    verified: Verified,
    Webhook(_event): Webhook<serde_json::Value>,
) -> HttpResponse {
    let status = handler.run(label(&verified)).await;
    HttpResponse::new(StatusCode::from_u16(status).unwrap())
}

async fn on_payload(Webhook(_event): Webhook<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().finish()
}

async fn echo_payload(Webhook(event): Webhook<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().body(event.to_string())
}

async fn on_event_plain(
    handler: web::Data<Handler>,
    verified: web::ReqData<Verified>,
    body: web::Bytes,
) -> HttpResponse {
    let status = handler.run(label(&verified)).await;
    HttpResponse::build(StatusCode::from_u16(status).unwrap()).body(body)
}

impl Face for Actix {
    const CANCELS_ON_DISCONNECT: bool = false;

    async fn serve_at<S, R>(
        layer: WebhookLayer<S, R>,
        handler: Handler,
        address: SocketAddr,
    ) -> Served
    where
        S: IdempotencyStore,
        R: Responder<axum::body::Body> + Responder<Bytes>,
    {
        Self::serve_with(layer, handler, true, address)
    }
}

impl Actix {
    /// Serves the suite's routes; `allow_half_closed` is actix-web's
    /// `h1_allow_half_closed` (default `true`: a handler keeps running after
    /// its client hangs up).
    pub(crate) fn serve_with<S, R>(
        layer: WebhookLayer<S, R>,
        handler: Handler,
        allow_half_closed: bool,
        address: SocketAddr,
    ) -> Served
    where
        S: IdempotencyStore,
        R: Responder<Bytes>,
    {
        Served::actix(ActixServer::start_at(address, move |listener| {
            HttpServer::new(move || {
                App::new()
                    .app_data(web::Data::new(handler.clone()))
                    .service(
                        web::resource("/hook")
                            .wrap(layer.clone())
                            .route(web::post().to(on_event)),
                    )
                    .service(
                        web::resource("/plain")
                            .wrap(layer.clone())
                            .route(web::post().to(on_event_plain)),
                    )
                    .service(
                        web::resource("/payload")
                            .wrap(layer.clone())
                            .route(web::post().to(echo_payload)),
                    )
                    .service(
                        web::resource("/any")
                            .wrap(layer.clone())
                            .route(web::route().to(on_event)),
                    )
                    .service(web::resource("/unguarded").route(web::post().to(on_event)))
                    .service(web::resource("/unguarded-payload").route(web::post().to(on_payload)))
            })
            .workers(2)
            .h1_allow_half_closed(allow_half_closed)
            .disable_signals()
            .shutdown_timeout(1)
            .listen(listener)
            .unwrap()
            .run()
        }))
    }
}
