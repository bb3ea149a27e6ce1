//! The suite's routes on axum, guarded by `WebhookLayer` as a Tower layer.

use std::net::SocketAddr;

use axum::Extension;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{any, post};
use bytes::Bytes;
use webhook_guard::axum::Webhook;
use webhook_guard::delivery::Responder;
use webhook_guard::idempotency::IdempotencyStore;
use webhook_guard::{Verified, WebhookLayer};

use crate::face::{Face, Served};
use crate::fixtures::{Handler, label};

pub(crate) struct Axum;

async fn on_event(
    State(handler): State<Handler>,
    verified: Verified,
    Webhook(_event): Webhook<serde_json::Value>,
) -> StatusCode {
    let status = handler.run(label(&verified)).await;
    StatusCode::from_u16(status).unwrap()
}

async fn on_payload(Webhook(_event): Webhook<serde_json::Value>) -> StatusCode {
    StatusCode::OK
}

async fn echo_payload(Webhook(event): Webhook<serde_json::Value>) -> String {
    event.to_string()
}

async fn on_event_plain(
    State(handler): State<Handler>,
    Extension(verified): Extension<Verified>,
    body: Bytes,
) -> (StatusCode, Bytes) {
    let status = handler.run(label(&verified)).await;
    (StatusCode::from_u16(status).unwrap(), body)
}

impl Face for Axum {
    const CANCELS_ON_DISCONNECT: bool = true;

    async fn serve_at<S, R>(
        layer: WebhookLayer<S, R>,
        handler: Handler,
        address: SocketAddr,
    ) -> Served
    where
        S: IdempotencyStore,
        R: Responder<axum::body::Body> + Responder<Bytes>,
    {
        let app = Router::new()
            .route("/hook", post(on_event).layer(layer.clone()))
            .route("/plain", post(on_event_plain).layer(layer.clone()))
            .route("/payload", post(echo_payload).layer(layer.clone()))
            .route("/any", any(on_event).layer(layer))
            .route("/unguarded", post(on_event))
            .route("/unguarded-payload", post(on_payload))
            .with_state(handler);
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Served::on_test_runtime(address)
    }
}
