//! A webhook receiver: an axum server with one guarded route per provider.
//! Every handler runs only for authentic, fresh, first-time deliveries, and
//! prints one line per processed event.
//!
//! ```sh
//! cargo run --example receiver --features axum
//! ```
//!
//! Environment (all optional):
//!
//! | variable | default |
//! |---|---|
//! | `PORT` | `3000` |
//! | `WEBHOOK_SECRET_STANDARD` | `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw` (the Standard Webhooks test secret) |
//! | `WEBHOOK_SECRET_STRIPE` | `whsec_development_stripe` |
//! | `WEBHOOK_SECRET_GITHUB` | `development github secret` |
//! | `WEBHOOK_SECRET_SLACK` | `development slack secret` |
//! | `WEBHOOK_SECRET_SHOPIFY` | `development shopify secret` |
//! | `WEBHOOK_SECRET_RAZORPAY` | `development razorpay secret` |
//! | `WEBHOOK_SECRET_COINBASE` | `development coinbase secret` |
//! | `WEBHOOK_SECRET_MUX` | `development mux secret` |
//! | `WEBHOOK_SECRET_CLERK` | `whsec_ZGV2ZWxvcG1lbnQgY2xlcmsgc2VjcmV0` |
//! | `WEBHOOK_SECRET_RESEND` | `whsec_ZGV2ZWxvcG1lbnQgcmVzZW5kIHNlY3JldA` |
//! | `WEBHOOK_SECRET_PADDLE` | `pdl_ntfset_development_paddle_secret` |
//! | `WEBHOOK_SECRET_PAYPAL`, `WEBHOOK_PAYPAL_CERT` | `WH-DEVELOPMENT-PAYPAL` and the crate's test certificate, pinned (PayPal's route; build with `rsa` too) |
//! | `WEBHOOK_GUARD_REDIS_URL` | unset: share deliveries through Redis (`redis://…`; build with `--features axum,redis`) |
//! | `WEBHOOK_GUARD_DATABASE_URL` | unset: share deliveries through PostgreSQL (`postgres://…`; build with `--features axum,postgres`) |
//! | `TLS_CERT`, `TLS_KEY` | unset: plain HTTP. Both set: HTTPS (rustls), with the certificate chain and the private key in these PEM files |
//! | `WEBHOOK_GUARD_ALLOWED_SOURCES` | unset: any source. Comma-separated addresses or CIDR ranges: every route answers any other source 403, before reading the body |
//! | `WEBHOOK_GUARD_TRUSTED_PROXIES` | unset: no forwarding header is believed. Comma-separated CIDRs of your load balancers: behind them, the client is the right-most `X-Forwarded-For` hop that is not one of them |
//! | `WEBHOOK_GUARD_REQUIRE_HTTPS` | `0`; `1`: plain HTTP is answered 403 (unless a trusted proxy says the client used HTTPS) |
//! | `LOG_FORMAT` | `text`; `json`: one JSON object per line on standard error |
//! | `RUST_LOG` | `webhook_guard=info,receiver=info`: one line per delivery |
//!
//! Built with the `metrics` feature too (`--features axum,metrics`),
//! it serves `GET /metrics`: every guard's metrics in the Prometheus text
//! format.
//!
//! Without either URL, deliveries are deduplicated in this process's
//! memory. With one, every copy of the receiver pointed at the same server
//! processes each event once — two copies on two ports form a small fleet:
//!
//! ```sh
//! WEBHOOK_GUARD_REDIS_URL=redis://127.0.0.1:6379/ PORT=3001 cargo run --example receiver --features axum,redis
//! WEBHOOK_GUARD_REDIS_URL=redis://127.0.0.1:6379/ PORT=3002 cargo run --example receiver --features axum,redis
//! ```
//!
//! The defaults are for development only: anyone who reads this file can
//! sign requests with them. `examples/actix_receiver.rs` is the same
//! receiver on actix-web; `examples/receiver_setup/` is what they share.

mod receiver_setup;

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;
use webhook_guard::Verified;
use webhook_guard::axum::Webhook;
use webhook_guard::idempotency::IdempotencyStore;
use webhook_guard::source::Peer;

use receiver_setup::{Error, Framework, Route};

/// The handler: the body arrives verified and deserialized (JSON, or
/// form-encoded for Slack's slash commands); 2xx records the event as
/// processed.
async fn on_event(verified: Verified, Webhook(_event): Webhook<serde_json::Value>) -> StatusCode {
    println!("{}", receiver_setup::processed(&verified));
    StatusCode::OK
}

struct Axum;

impl Framework for Axum {
    const FEATURE: &'static str = "axum";

    /// One route per provider, each guarded by a `WebhookLayer` on `store`.
    async fn serve<S: IdempotencyStore>(
        self,
        listener: TcpListener,
        routes: Vec<Route>,
        store: S,
        tls: Option<ServerConfig>,
    ) -> Result<(), Error> {
        let mut app = Router::new();
        for route in routes {
            let path = format!("/webhooks/{}", route.name);
            // GET (and so HEAD) too, for the handshakes that use them (Meta,
            // Dropbox, Okta; Mandrill).
            let guard = route.guard(store.clone());
            app = app.route(&path, post(on_event).get(on_event).layer(guard));
        }
        #[cfg(feature = "metrics")]
        {
            app = app.route(
                "/metrics",
                axum::routing::get(|| async { receiver_setup::metrics_text() }),
            );
        }
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        match tls {
            Some(config) => serve_tls(listener, app, config).await,
            None => {
                // The peer's address in each request, as `ConnectInfo`.
                let app = app.into_make_service_with_connect_info::<SocketAddr>();
                axum::serve(listener, app).await?;
                Ok(())
            }
        }
    }
}

/// Serves `app` over HTTPS (HTTP/1.1) on `listener`: each connection
/// accepted, its TLS handshake done on a task of its own (a failed one is
/// logged and dropped), then served by hyper, with the peer's address in
/// each request as `ConnectInfo<SocketAddr>`, as `axum::serve` gives it,
/// and as a `Peer` over TLS for the guard.
async fn serve_tls(
    listener: tokio::net::TcpListener,
    app: Router,
    mut config: ServerConfig,
) -> Result<(), Error> {
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, say: as `axum::serve`, wait a
                // moment rather than spin.
                tracing::error!(%error, "could not accept a connection");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let stream = match acceptor.accept(stream).await {
                Ok(stream) => stream,
                Err(error) => {
                    tracing::warn!(%peer, %error, "TLS handshake failed");
                    return;
                }
            };
            let app = tower::ServiceBuilder::new()
                .map_request(move |mut request: Request<_>| {
                    // For handlers, as `axum::serve` gives it; and for the
                    // guard, with the fact that the connection is TLS.
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request.extensions_mut().insert(Peer::over_tls(peer));
                    request
                })
                .service(app);
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        });
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    receiver_setup::run(Axum).await
}
