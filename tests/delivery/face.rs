//! What the suite needs of a framework: serve three routes on a loopback
//! port, all running the test's [`Handler`].
//!
//! * `POST /hook` — guarded; this crate's extractors (`Verified`,
//!   `Webhook<serde_json::Value>`); answers the handler's status.
//! * `POST /plain` — guarded; the framework's own extractors only (the facts
//!   from the request extensions, the body as bytes); echoes the body.
//! * `POST /payload` — guarded; answers the `Webhook<serde_json::Value>`
//!   it was given, as JSON;
//! * any method on `/any` — the `/hook` handler, guarded (for handshakes
//!   that `GET`);
//! * `POST /unguarded` — the `/hook` handler without the guard;
//! * `POST /unguarded-payload` — a handler taking only `Webhook<T>`,
//!   without the guard.
//!
//! Handlers count deliveries by [`label`](crate::fixtures::label).

use std::net::SocketAddr;

use bytes::Bytes;
use webhook_guard::WebhookLayer;
use webhook_guard::delivery::Responder;
use webhook_guard::idempotency::IdempotencyStore;

use crate::fixtures::Handler;

pub(crate) trait Face {
    /// Whether the framework drops a request's handler when its client
    /// hangs up (axum does; actix-web, allowing half-closed HTTP/1
    /// connections by default, lets it finish).
    const CANCELS_ON_DISCONNECT: bool;

    /// Serves the routes, guarded by `layer`, on a loopback port until the
    /// returned value is dropped.
    async fn serve<S, R>(layer: WebhookLayer<S, R>, handler: Handler) -> Served
    where
        S: IdempotencyStore,
        R: Responder<axum::body::Body> + Responder<Bytes>,
    {
        Self::serve_at(layer, handler, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// The same, bound to `address` (`[::1]:0`, `[::ffff:127.0.0.1]:0`),
    /// the peer's address given to the guard as the framework gives it
    /// (axum's `ConnectInfo`, actix-web's `peer_addr`).
    async fn serve_at<S, R>(
        layer: WebhookLayer<S, R>,
        handler: Handler,
        address: SocketAddr,
    ) -> Served
    where
        S: IdempotencyStore,
        R: Responder<axum::body::Body> + Responder<Bytes>;
}

/// A running server: its address, and (for actix-web) the server, which
/// stops when this is dropped.
pub(crate) struct Served {
    pub(crate) address: SocketAddr,
    #[cfg(feature = "actix")]
    _actix: Option<crate::actix_server::ActixServer>,
}

impl Served {
    /// A server that stops with the test's runtime.
    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    pub(crate) fn on_test_runtime(address: SocketAddr) -> Self {
        Self {
            address,
            #[cfg(feature = "actix")]
            _actix: None,
        }
    }

    /// An actix-web server on threads of its own.
    #[cfg(feature = "actix")]
    pub(crate) fn actix(server: crate::actix_server::ActixServer) -> Self {
        Self {
            address: server.address,
            _actix: Some(server),
        }
    }
}
