//! A webhook receiver on actix-web: one guarded resource per provider, the
//! same routes, environment and output as `examples/receiver.rs` (axum).
//! Every handler runs only for authentic, fresh, first-time deliveries, and
//! prints one line per processed event.
//!
//! ```sh
//! cargo run --example actix_receiver --features actix
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
//! | `WEBHOOK_GUARD_REDIS_URL` | unset: share deliveries through Redis (`redis://…`; build with `--features actix,redis`) |
//! | `WEBHOOK_GUARD_DATABASE_URL` | unset: share deliveries through PostgreSQL (`postgres://…`; build with `--features actix,postgres`) |
//! | `TLS_CERT`, `TLS_KEY` | unset: plain HTTP. Both set: HTTPS (rustls), with the certificate chain and the private key in these PEM files |
//! | `WEBHOOK_GUARD_ALLOWED_SOURCES` | unset: any source. Comma-separated addresses or CIDR ranges: every route answers any other source 403, before reading the body |
//! | `WEBHOOK_GUARD_TRUSTED_PROXIES` | unset: no forwarding header is believed. Comma-separated CIDRs of your load balancers: behind them, the client is the right-most `X-Forwarded-For` hop that is not one of them |
//! | `WEBHOOK_GUARD_REQUIRE_HTTPS` | `0`; `1`: plain HTTP is answered 403 (unless a trusted proxy says the client used HTTPS) |
//! | `LOG_FORMAT` | `text`; `json`: one JSON object per line on standard error |
//! | `RUST_LOG` | `webhook_guard=info,actix_receiver=info`: one line per delivery |
//!
//! Built with the `metrics` feature too (`--features actix,metrics`),
//! it serves `GET /metrics`: every guard's metrics in the Prometheus text
//! format.
//!
//! Without either URL, deliveries are deduplicated in this process's
//! memory. With one, every copy of the receiver pointed at the same server
//! processes each event once — two copies on two ports form a small fleet:
//!
//! ```sh
//! WEBHOOK_GUARD_REDIS_URL=redis://127.0.0.1:6379/ PORT=3001 cargo run --example actix_receiver --features actix,redis
//! WEBHOOK_GUARD_REDIS_URL=redis://127.0.0.1:6379/ PORT=3002 cargo run --example actix_receiver --features actix,redis
//! ```
//!
//! The defaults are for development only: anyone who reads this file can
//! sign requests with them. `examples/receiver_setup/` is what the two
//! receivers share.

mod receiver_setup;

use std::net::TcpListener;

use actix_web::{App, HttpResponse, HttpServer, web};
use rustls::ServerConfig;
use webhook_guard::Verified;
use webhook_guard::actix::Webhook;
use webhook_guard::idempotency::IdempotencyStore;

use receiver_setup::{Error, Framework, Route};

/// The handler: the body arrives verified and deserialized (JSON, or
/// form-encoded for Slack's slash commands); 2xx records the event as
/// processed.
async fn on_event(verified: Verified, Webhook(_event): Webhook<serde_json::Value>) -> HttpResponse {
    println!("{}", receiver_setup::processed(&verified));
    HttpResponse::Ok().finish()
}

struct Actix;

impl Framework for Actix {
    const FEATURE: &'static str = "actix";

    /// One resource per provider, each wrapped in a `WebhookLayer` on
    /// `store`; every worker shares the same store.
    async fn serve<S: IdempotencyStore>(
        self,
        listener: TcpListener,
        routes: Vec<Route>,
        store: S,
        tls: Option<ServerConfig>,
    ) -> Result<(), Error> {
        let guards: Vec<_> = routes
            .into_iter()
            .map(|route: Route| (route.name, route.guard(store.clone())))
            .collect();
        let server = HttpServer::new(move || {
            #[cfg(feature = "metrics")]
            let app = App::new().route(
                "/metrics",
                web::get().to(|| async {
                    HttpResponse::Ok()
                        .content_type("text/plain; version=0.0.4")
                        .body(receiver_setup::metrics_text())
                }),
            );
            #[cfg(not(feature = "metrics"))]
            let app = App::new();
            guards.iter().fold(app, |app, (name, guard)| {
                app.service(
                    web::resource(format!("/webhooks/{name}"))
                        .wrap(guard.clone())
                        .route(web::post().to(on_event))
                        // For the handshakes that use them (Meta, Dropbox, Okta;
                        // Mandrill).
                        .route(web::get().to(on_event))
                        .route(web::head().to(on_event)),
                )
            })
        });
        let server = match tls {
            // actix-web does the handshakes (and adds the `http/1.1` ALPN).
            Some(config) => server.listen_rustls_0_23(listener, config)?,
            None => server.listen(listener)?,
        };
        server.run().await?;
        Ok(())
    }
}

#[actix_web::main]
async fn main() -> Result<(), Error> {
    receiver_setup::run(Actix).await
}
