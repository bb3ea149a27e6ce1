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
//! | `WEBHOOK_GUARD_REDIS_URL` | unset: share deliveries through Redis (`redis://…`; build with `--features axum,redis`) |
//! | `WEBHOOK_GUARD_DATABASE_URL` | unset: share deliveries through PostgreSQL (`postgres://…`; build with `--features axum,postgres`) |
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
//! sign requests with them.

use std::net::{Ipv4Addr, SocketAddr};
#[cfg(feature = "postgres")]
use std::time::Duration;
use std::time::SystemTime;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use webhook_guard::axum::Webhook;
#[cfg(feature = "postgres")]
use webhook_guard::idempotency::PostgresStore;
#[cfg(feature = "redis")]
use webhook_guard::idempotency::RedisStore;
use webhook_guard::idempotency::{IdempotencyStore, MemoryStore};
use webhook_guard::{Scheme, Signer, Verified, Verifier, WebhookLayer};

/// The providers served: route name, environment variable, development
/// default, scheme.
fn providers() -> [(&'static str, &'static str, &'static str, Scheme); 5] {
    [
        (
            "standard",
            "WEBHOOK_SECRET_STANDARD",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            Scheme::standard_webhooks(),
        ),
        (
            "stripe",
            "WEBHOOK_SECRET_STRIPE",
            "whsec_development_stripe",
            Scheme::stripe(),
        ),
        (
            "github",
            "WEBHOOK_SECRET_GITHUB",
            "development github secret",
            Scheme::github(),
        ),
        (
            "slack",
            "WEBHOOK_SECRET_SLACK",
            "development slack secret",
            Scheme::slack(),
        ),
        (
            "shopify",
            "WEBHOOK_SECRET_SHOPIFY",
            "development shopify secret",
            Scheme::shopify(),
        ),
    ]
}

/// The handler: the body arrives verified and deserialized (JSON, or
/// form-encoded for Slack's slash commands); 2xx records the event as
/// processed.
async fn on_event(verified: Verified, Webhook(_event): Webhook<serde_json::Value>) -> StatusCode {
    let id = verified.event_id().map_or_else(
        || format!("fp:{}", hex_prefix(&verified.fingerprint())),
        str::to_owned,
    );
    println!("processed provider={} id={id}", verified.provider());
    StatusCode::OK
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(6)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let port: u16 = match std::env::var("PORT") {
        Ok(text) => text
            .parse()
            .map_err(|_| format!("PORT={text} is not a port number"))?,
        Err(_) => 3000,
    };
    let redis_url = std::env::var("WEBHOOK_GUARD_REDIS_URL").ok();
    let database_url = std::env::var("WEBHOOK_GUARD_DATABASE_URL").ok();
    match (redis_url, database_url) {
        (Some(_), Some(_)) => {
            Err("set WEBHOOK_GUARD_REDIS_URL or WEBHOOK_GUARD_DATABASE_URL, not both".into())
        }
        (Some(url), None) => serve_with_redis(port, &url).await,
        (None, Some(url)) => serve_with_postgres(port, &url).await,
        (None, None) => {
            serve(
                port,
                MemoryStore::new(),
                "in-memory (this process only)".to_owned(),
            )
            .await
        }
    }
}

#[cfg(feature = "redis")]
async fn serve_with_redis(port: u16, url: &str) -> Result<(), Error> {
    let store = RedisStore::connect(url)
        .await
        .map_err(|error| format!("WEBHOOK_GUARD_REDIS_URL: {error}"))?;
    serve(
        port,
        store,
        format!("Redis at {}", without_credentials(url)),
    )
    .await
}

#[cfg(not(feature = "redis"))]
async fn serve_with_redis(_port: u16, _url: &str) -> Result<(), Error> {
    Err("WEBHOOK_GUARD_REDIS_URL is set, but this build has no Redis store: run with `--features axum,redis`".into())
}

#[cfg(feature = "postgres")]
async fn serve_with_postgres(port: u16, url: &str) -> Result<(), Error> {
    let store = PostgresStore::connect(url)
        .await
        .map_err(|error| format!("WEBHOOK_GUARD_DATABASE_URL: {error}"))?;
    store.migrate().await?;
    store.spawn_cleanup(Duration::from_secs(60));
    let description = format!("PostgreSQL at {}", without_credentials(url));
    serve(port, store, description).await
}

#[cfg(not(feature = "postgres"))]
async fn serve_with_postgres(_port: u16, _url: &str) -> Result<(), Error> {
    Err("WEBHOOK_GUARD_DATABASE_URL is set, but this build has no PostgreSQL store: run with `--features axum,postgres`".into())
}

/// `scheme://user:password@host/…` without `user:password@`, for the banner.
#[cfg_attr(not(any(feature = "redis", feature = "postgres")), allow(dead_code))]
fn without_credentials(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://{}", &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// One guarded route per provider, all sharing `store`, on `port`.
async fn serve<S: IdempotencyStore>(port: u16, store: S, description: String) -> Result<(), Error> {
    let mut app = Router::new();
    let mut banner = Vec::new();
    for (name, variable, default, scheme) in providers() {
        let (secret, origin) = match std::env::var(variable) {
            Ok(secret) => (secret, "from the environment"),
            Err(_) => (default.to_owned(), "development default"),
        };
        let verifier = Verifier::from_secrets(scheme, [&secret])
            .map_err(|error| format!("{variable}: {error}"))?;
        let guard = WebhookLayer::new(verifier).with_store(store.clone());
        app = app.route(&format!("/webhooks/{name}"), post(on_event).layer(guard));
        banner.push(format!(
            "  POST /webhooks/{name:<8} secret: {variable} ({origin})"
        ));
    }

    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!(
        "webhook-guard receiver listening on http://{address} (idempotency store: {description})"
    );
    for line in &banner {
        println!("{line}");
    }
    println!(
        "\nSend it a signed test event (valid for 5 minutes):\n\n{}\n",
        sample_curl(address)?
    );
    let stripe_secret = match std::env::var("WEBHOOK_SECRET_STRIPE") {
        Ok(_) => "\"$WEBHOOK_SECRET_STRIPE\"",
        Err(_) => "whsec_development_stripe",
    };
    println!(
        "Or sign any body with the CLI, and send it with the printed headers:\n  echo -n '{{\"id\":\"evt_1\"}}' | cargo run -q --features cli -- sign --provider stripe --secret {stripe_secret}\n"
    );
    axum::serve(listener, app).await?;
    Ok(())
}

/// A curl command carrying a Standard Webhooks event signed now with the
/// route's secret.
fn sample_curl(address: SocketAddr) -> Result<String, Error> {
    let secret = std::env::var("WEBHOOK_SECRET_STANDARD")
        .unwrap_or_else(|_| "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned());
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)?
        .as_secs();
    let id = format!("msg_demo{now}");
    let body = format!(r#"{{"type":"demo.ping","sent_at":{now}}}"#);
    let headers =
        Signer::standard_webhooks(&secret)?.sign(&id, SystemTime::now(), body.as_bytes())?;
    let mut command = format!(
        "  curl -i http://{address}/webhooks/standard \\\n    -H 'content-type: application/json'"
    );
    for (name, value) in &headers {
        command.push_str(&format!(" \\\n    -H '{name}: {}'", value.to_str()?));
    }
    command.push_str(&format!(" \\\n    -d '{body}'"));
    Ok(command)
}
