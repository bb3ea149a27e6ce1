//! What both receiver examples share: the providers and their secrets, the
//! store chosen by the environment, the banner. Each example adds only its
//! framework: the routes and the server.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
#[cfg(feature = "postgres")]
use std::time::Duration;
use std::time::SystemTime;

#[cfg(feature = "postgres")]
use webhook_guard::idempotency::PostgresStore;
#[cfg(feature = "redis")]
use webhook_guard::idempotency::RedisStore;
use webhook_guard::idempotency::{IdempotencyStore, MemoryStore};
use webhook_guard::{Scheme, Signer, Verified, Verifier};

pub(crate) type Error = Box<dyn std::error::Error>;

/// One guarded route: `POST /webhooks/{name}`, checked by `verifier`.
pub(crate) struct Route {
    pub(crate) name: &'static str,
    pub(crate) verifier: Verifier,
}

/// A web framework serving the receiver's routes.
pub(crate) trait Framework {
    /// The crate feature that builds this receiver (`axum` or `actix`),
    /// named when a store's feature is missing.
    #[cfg_attr(all(feature = "redis", feature = "postgres"), allow(dead_code))]
    const FEATURE: &'static str;

    /// Serves `routes` on `listener` until the process is stopped, every
    /// route claiming deliveries in `store`.
    async fn serve<S: IdempotencyStore>(
        self,
        listener: TcpListener,
        routes: Vec<Route>,
        store: S,
    ) -> Result<(), Error>;
}

/// The line a handler prints for each processed event.
pub(crate) fn processed(verified: &Verified) -> String {
    let id = verified.event_id().map_or_else(
        || format!("fp:{}", hex_prefix(&verified.fingerprint())),
        str::to_owned,
    );
    format!("processed provider={} id={id}", verified.provider())
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(6)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The providers served: route name, environment variable, development
/// default, scheme.
fn providers() -> [(&'static str, &'static str, &'static str, Scheme); 11] {
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
        (
            "razorpay",
            "WEBHOOK_SECRET_RAZORPAY",
            "development razorpay secret",
            Scheme::razorpay(),
        ),
        (
            "coinbase",
            "WEBHOOK_SECRET_COINBASE",
            "development coinbase secret",
            Scheme::coinbase(),
        ),
        (
            "mux",
            "WEBHOOK_SECRET_MUX",
            "development mux secret",
            Scheme::mux(),
        ),
        (
            "clerk",
            "WEBHOOK_SECRET_CLERK",
            "whsec_ZGV2ZWxvcG1lbnQgY2xlcmsgc2VjcmV0",
            Scheme::clerk(),
        ),
        (
            "resend",
            "WEBHOOK_SECRET_RESEND",
            "whsec_ZGV2ZWxvcG1lbnQgcmVzZW5kIHNlY3JldA",
            Scheme::resend(),
        ),
        (
            "paddle",
            "WEBHOOK_SECRET_PADDLE",
            "pdl_ntfset_development_paddle_secret",
            Scheme::paddle(),
        ),
    ]
}

/// Reads the environment, connects the store it names, prints the banner
/// and serves with `framework`.
pub(crate) async fn run<F: Framework>(framework: F) -> Result<(), Error> {
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
        (Some(url), None) => serve_with_redis(framework, port, &url).await,
        (None, Some(url)) => serve_with_postgres(framework, port, &url).await,
        (None, None) => {
            let description = "in-memory (this process only)".to_owned();
            serve(framework, port, MemoryStore::new(), description).await
        }
    }
}

#[cfg(feature = "redis")]
async fn serve_with_redis<F: Framework>(framework: F, port: u16, url: &str) -> Result<(), Error> {
    let store = RedisStore::connect(url)
        .await
        .map_err(|error| format!("WEBHOOK_GUARD_REDIS_URL: {error}"))?;
    let description = format!("Redis at {}", without_credentials(url));
    serve(framework, port, store, description).await
}

#[cfg(not(feature = "redis"))]
async fn serve_with_redis<F: Framework>(_: F, _port: u16, _url: &str) -> Result<(), Error> {
    Err(format!(
        "WEBHOOK_GUARD_REDIS_URL is set, but this build has no Redis store: run with `--features {},redis`",
        F::FEATURE
    )
    .into())
}

#[cfg(feature = "postgres")]
async fn serve_with_postgres<F: Framework>(
    framework: F,
    port: u16,
    url: &str,
) -> Result<(), Error> {
    let store = PostgresStore::connect(url)
        .await
        .map_err(|error| format!("WEBHOOK_GUARD_DATABASE_URL: {error}"))?;
    store.migrate().await?;
    store.spawn_cleanup(Duration::from_secs(60));
    let description = format!("PostgreSQL at {}", without_credentials(url));
    serve(framework, port, store, description).await
}

#[cfg(not(feature = "postgres"))]
async fn serve_with_postgres<F: Framework>(_: F, _port: u16, _url: &str) -> Result<(), Error> {
    Err(format!(
        "WEBHOOK_GUARD_DATABASE_URL is set, but this build has no PostgreSQL store: run with `--features {},postgres`",
        F::FEATURE
    )
    .into())
}

/// `scheme://user:password@host/…` without `user:password@`, for the banner.
#[cfg_attr(not(any(feature = "redis", feature = "postgres")), allow(dead_code))]
fn without_credentials(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://{}", &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// One route per provider, all sharing `store`, on `port`.
async fn serve<F: Framework, S: IdempotencyStore>(
    framework: F,
    port: u16,
    store: S,
    description: String,
) -> Result<(), Error> {
    let mut routes = Vec::new();
    let mut banner = Vec::new();
    for (name, variable, default, scheme) in providers() {
        let (secret, origin) = match std::env::var(variable) {
            Ok(secret) => (secret, "from the environment"),
            Err(_) => (default.to_owned(), "development default"),
        };
        let verifier = Verifier::from_secrets(scheme, [&secret])
            .map_err(|error| format!("{variable}: {error}"))?;
        routes.push(Route { name, verifier });
        banner.push(format!(
            "  POST /webhooks/{name:<8} secret: {variable} ({origin})"
        ));
    }

    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = TcpListener::bind(address)?;
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
    framework.serve(listener, routes, store).await
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
