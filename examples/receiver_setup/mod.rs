//! What both receiver examples share: the providers and their secrets, the
//! store chosen by the environment, the HTTPS configuration, the logs, the
//! banner. Each example adds only its framework: the routes and the server.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
#[cfg(feature = "postgres")]
use std::time::Duration;
use std::time::SystemTime;

use base64::Engine as _;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use webhook_guard::handshake::Handshake;
#[cfg(feature = "postgres")]
use webhook_guard::idempotency::PostgresStore;
#[cfg(feature = "redis")]
use webhook_guard::idempotency::RedisStore;
use webhook_guard::idempotency::{IdempotencyStore, MemoryStore};
use webhook_guard::providers::KeyKind;
use webhook_guard::secret::SecretFormat;
use webhook_guard::source::{AllowedSources, TrustedProxies};
use webhook_guard::{Scheme, Signer, Verified, Verifier, WebhookLayer};

pub(crate) type Error = Box<dyn std::error::Error>;

/// One guarded route: `/webhooks/{name}`, checked by `verifier`,
/// answering the provider's `handshake` if it has one.
pub(crate) struct Route {
    pub(crate) name: &'static str,
    /// The guard of its check (a `Verifier`, or PayPal's `PayPalVerifier`).
    pub(crate) layer: WebhookLayer,
    pub(crate) handshake: Option<Handshake>,
}

impl Route {
    /// The route's guard, claiming deliveries in `store`.
    pub(crate) fn guard<S: IdempotencyStore>(self, store: S) -> WebhookLayer<S> {
        let guard = self.layer.with_store(store);
        match self.handshake {
            Some(handshake) => guard.with_handshake(handshake),
            None => guard,
        }
    }
}

/// Where deliveries may come from, applied to every route:
/// `WEBHOOK_GUARD_ALLOWED_SOURCES` and `WEBHOOK_GUARD_TRUSTED_PROXIES`
/// (comma-separated addresses or CIDR ranges; unset: anywhere, and no
/// forwarding header is believed), and `WEBHOOK_GUARD_REQUIRE_HTTPS=1`
/// (plain HTTP answered 403, unless a trusted proxy says the client used
/// HTTPS).
struct SourceRules {
    allowed: Option<AllowedSources>,
    proxies: Option<TrustedProxies>,
    https_required: bool,
}

impl SourceRules {
    fn from_env() -> Result<Self, Error> {
        let list = |variable: &str| {
            std::env::var(variable)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        let allowed = list("WEBHOOK_GUARD_ALLOWED_SOURCES")
            .map(|text| AllowedSources::parse(&text))
            .transpose()
            .map_err(|error| format!("WEBHOOK_GUARD_ALLOWED_SOURCES: {error}"))?;
        let proxies = list("WEBHOOK_GUARD_TRUSTED_PROXIES")
            .map(|text| TrustedProxies::parse(&text))
            .transpose()
            .map_err(|error| format!("WEBHOOK_GUARD_TRUSTED_PROXIES: {error}"))?;
        let https_required = match list("WEBHOOK_GUARD_REQUIRE_HTTPS").as_deref() {
            None | Some("0" | "false") => false,
            Some("1" | "true") => true,
            Some(other) => {
                return Err(format!("WEBHOOK_GUARD_REQUIRE_HTTPS={other}: say 1 or 0").into());
            }
        };
        Ok(Self {
            allowed,
            proxies,
            https_required,
        })
    }

    fn apply(&self, mut layer: WebhookLayer) -> WebhookLayer {
        if let Some(allowed) = &self.allowed {
            layer = layer.with_allowed_sources(allowed.clone());
        }
        if let Some(proxies) = &self.proxies {
            layer = layer.with_trusted_proxies(proxies.clone());
        }
        if self.https_required {
            layer = layer.with_required_https();
        }
        layer
    }

    /// The banner's line, if any rule is set.
    fn describe(&self) -> Option<String> {
        let ranges = |sources: &AllowedSources| {
            sources
                .ranges()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (&self.allowed, &self.proxies) {
            (None, None) => None,
            (Some(allowed), None) => Some(format!("deliveries only from {}", ranges(allowed))),
            (None, Some(_)) => Some(
                "trusted proxies set, but no WEBHOOK_GUARD_ALLOWED_SOURCES: every source is let in"
                    .to_owned(),
            ),
            (Some(allowed), Some(_)) => Some(format!(
                "deliveries only from {} (behind the trusted proxies: the right-most X-Forwarded-For hop not theirs)",
                ranges(allowed)
            )),
        }
    }
}

/// The Prometheus recorder every guard's metrics go to (feature `metrics`).
#[cfg(feature = "metrics")]
static METRICS: std::sync::OnceLock<metrics_exporter_prometheus::PrometheusHandle> =
    std::sync::OnceLock::new();

#[cfg(feature = "metrics")]
fn install_metrics() -> Result<(), Error> {
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|error| format!("metrics: {error}"))?;
    let _ = METRICS.set(handle);
    Ok(())
}

/// `GET /metrics`: every guard's metrics in the Prometheus text format.
#[cfg(feature = "metrics")]
pub(crate) fn metrics_text() -> String {
    METRICS.get().map_or_else(String::new, |handle| {
        handle.run_upkeep();
        handle.render()
    })
}

/// A web framework serving the receiver's routes.
pub(crate) trait Framework {
    /// The crate feature that builds this receiver (`axum` or `actix`),
    /// named when a store's feature is missing.
    #[cfg_attr(all(feature = "redis", feature = "postgres"), allow(dead_code))]
    const FEATURE: &'static str;

    /// Serves `routes` on `listener` until the process is stopped, every
    /// route claiming deliveries in `store`: over HTTPS with `tls` (from
    /// [`tls_config`]), else plain HTTP.
    async fn serve<S: IdempotencyStore>(
        self,
        listener: TcpListener,
        routes: Vec<Route>,
        store: S,
        tls: Option<ServerConfig>,
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

/// The keys in a `WEBHOOK_SECRET_<NAME>` value: several, for a rotation,
/// separated by `,` (the current key first; white space around a comma is
/// not part of a key, as no key may start or end with it). Each is checked
/// here, so a bad one is named by its place; a value that looks like
/// several keys joined by spaces, or a Stripe secret without its `whsec_`,
/// gets a warning.
fn keys_of(variable: &str, value: &str, scheme: &Scheme) -> Result<Vec<String>, Error> {
    let keys: Vec<String> = value.split(',').map(|key| key.trim().to_owned()).collect();
    let count = keys.len();
    for (index, key) in keys.iter().enumerate() {
        let place = if count == 1 {
            String::new()
        } else {
            format!(" (key {} of {count})", index + 1)
        };
        if key.is_empty() {
            return Err(format!("{variable}{place}: empty; separate keys with one `,`").into());
        }
        scheme
            .keys([key])
            .map_err(|error| format!("{variable}{place}: {error}"))?;
        let format = scheme.secret_format();
        if format == SecretFormat::Stripe && !key.starts_with("whsec_") {
            eprintln!(
                "warning: {variable}{place} does not start with `whsec_`: Stripe signs with the endpoint's whole `whsec_…` signing secret"
            );
        }
        if key.contains(char::is_whitespace)
            && matches!(
                format,
                SecretFormat::Stripe | SecretFormat::StandardWebhooks
            )
        {
            eprintln!(
                "warning: {variable}{place} holds white space: if it is several keys, separate them with `,`"
            );
        }
    }
    Ok(keys)
}

/// The development default key of a provider, written its way.
fn development_secret(name: &str, format: SecretFormat) -> String {
    match (name, format) {
        // The secret of Standard Webhooks' own examples, and the ones the
        // README's commands use.
        ("standard", _) => "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned(),
        ("stripe", _) => "whsec_development_stripe".to_owned(),
        ("paddle", _) => "pdl_ntfset_development_paddle_secret".to_owned(),
        (_, SecretFormat::StandardWebhooks) => format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(format!("development {name} secret"))
        ),
        (_, SecretFormat::BasicCredentials) => format!("development:{name}"),
        // Upper-case hex, as Adyen shows its HMAC keys.
        (_, SecretFormat::Hex) => hex::encode_upper(format!("development {name} secret")),
        _ => format!("development {name} secret"),
    }
}

/// The providers served: every provider of the registry but PayPal (its
/// own route, below): route name, environment variable, scheme, key kind.
fn providers() -> impl Iterator<Item = (&'static str, String, Scheme, KeyKind)> {
    webhook_guard::providers::all()
        .iter()
        .filter(|provider| provider.name() != "paypal")
        .map(|provider| {
            let variable = format!("WEBHOOK_SECRET_{}", provider.name().to_uppercase());
            (
                provider.name(),
                variable,
                provider.scheme(),
                provider.key_kind(),
            )
        })
}

/// PayPal's route: the webhook ID from `WEBHOOK_SECRET_PAYPAL`, the
/// certificate pinned from the file `WEBHOOK_PAYPAL_CERT` (by default the
/// crate's test certificate, whose private key is in the repository:
/// development only). Nothing is fetched.
#[cfg(feature = "rsa")]
fn paypal_route() -> Result<(Route, String), Error> {
    let webhook_id = std::env::var("WEBHOOK_SECRET_PAYPAL")
        .unwrap_or_else(|_| "WH-DEVELOPMENT-PAYPAL".to_owned());
    let file = std::env::var("WEBHOOK_PAYPAL_CERT").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/rsa/certificate-2048.pem"
        )
        .to_owned()
    });
    let certificate = std::fs::read_to_string(&file)
        .map_err(|error| format!("WEBHOOK_PAYPAL_CERT {file}: {error}"))?;
    let verifier = webhook_guard::paypal::PayPalVerifier::pinned(&webhook_id, &certificate)
        .map_err(|error| format!("WEBHOOK_SECRET_PAYPAL / WEBHOOK_PAYPAL_CERT: {error}"))?;
    let route = Route {
        name: "paypal",
        layer: WebhookLayer::new(verifier),
        handshake: None,
    };
    let line = format!(
        "  POST /webhooks/{:<12} webhook ID: WEBHOOK_SECRET_PAYPAL, certificate: WEBHOOK_PAYPAL_CERT ({file})",
        "paypal"
    );
    Ok((route, line))
}

/// The handshake a provider's route answers, if it has one: on by default
/// here, as a provider checking the endpoint expects.
fn handshake(name: &str, secret: &str) -> Result<Option<Handshake>, Error> {
    Ok(match name {
        "slack" => Some(Handshake::slack()),
        "zoom" => Some(Handshake::zoom(secret)?),
        "twitch" => Some(Handshake::twitch()),
        "meta" => {
            let token = std::env::var("WEBHOOK_META_VERIFY_TOKEN")
                .unwrap_or_else(|_| "development meta verify token".to_owned());
            Some(Handshake::meta(&token)?)
        }
        "dropbox" => Some(Handshake::dropbox()),
        "okta" => Some(Handshake::okta(secret)?),
        "woocommerce" => Some(Handshake::woocommerce()),
        "mandrill" => Some(Handshake::mandrill()),
        "discord" => Some(Handshake::discord()),
        "asana" => Some(Handshake::asana(|hook_secret| {
            // A real receiver stores it (only while it creates the webhook);
            // this one prints it, once, for `WEBHOOK_SECRET_ASANA`.
            static KEPT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
            let first = KEPT.set(()).is_ok();
            if first {
                println!(
                    "asana hook secret received: restart with WEBHOOK_SECRET_ASANA={hook_secret}"
                );
            }
            first
        })),
        _ => None,
    })
}

/// Logs to standard error, filtered by `RUST_LOG` (default
/// `webhook_guard=info`: one line per delivery — processed (`claim
/// finished`, outcome `accepted`), duplicate, in flight, or rejected with
/// its reason (warn) — every store failure, and this receiver's own lines,
/// such as a failed TLS handshake). `LOG_FORMAT=json`: one JSON object per
/// line, the delivery's span (provider, event ID, key, outcome) in it.
fn install_logging() -> Result<(), Error> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!(
            "webhook_guard=info,{}=info",
            env!("CARGO_CRATE_NAME")
        ))
    });
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match std::env::var("LOG_FORMAT").as_deref() {
        Ok("json") => logs.json().init(),
        Ok("text") | Err(_) => logs.init(),
        Ok(other) => {
            return Err(format!("LOG_FORMAT={other}: say `json`, or `text` (the default)").into());
        }
    }
    Ok(())
}

/// The HTTPS configuration of `TLS_CERT` and `TLS_KEY` (PEM files: the
/// certificate chain, leaf first, and its private key), or `None` when
/// neither is set: plain HTTP. One without the other is an error.
pub(crate) fn tls_config() -> Result<Option<ServerConfig>, Error> {
    let file = |variable| std::env::var_os(variable).filter(|value| !value.is_empty());
    let (cert_file, key_file) = match (file("TLS_CERT"), file("TLS_KEY")) {
        (None, None) => return Ok(None),
        (Some(cert), Some(key)) => (PathBuf::from(cert), PathBuf::from(key)),
        (Some(_), None) => {
            return Err("TLS_CERT is set but TLS_KEY is not: set both (PEM files: the certificate chain and its private key) to serve HTTPS, or neither for HTTP".into());
        }
        (None, Some(_)) => {
            return Err("TLS_KEY is set but TLS_CERT is not: set both (PEM files: the certificate chain and its private key) to serve HTTPS, or neither for HTTP".into());
        }
    };
    let chain = CertificateDer::pem_file_iter(&cert_file)
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .map_err(|error| format!("TLS_CERT {}: {error}", cert_file.display()))?;
    if chain.is_empty() {
        return Err(format!("TLS_CERT {}: no certificate in it", cert_file.display()).into());
    }
    let key = PrivateKeyDer::from_pem_file(&key_file)
        .map_err(|error| format!("TLS_KEY {}: {error}", key_file.display()))?;
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|error| format!("TLS_CERT / TLS_KEY: {error}"))?;
    Ok(Some(config))
}

/// Reads the environment, connects the store it names, prints the banner
/// and serves with `framework`.
pub(crate) async fn run<F: Framework>(framework: F) -> Result<(), Error> {
    install_logging()?;
    #[cfg(feature = "metrics")]
    install_metrics()?;
    let tls = tls_config()?;
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
        (Some(url), None) => serve_with_redis(framework, port, tls, &url).await,
        (None, Some(url)) => serve_with_postgres(framework, port, tls, &url).await,
        (None, None) => {
            let description = "in-memory (this process only)".to_owned();
            serve(framework, port, tls, MemoryStore::new(), description).await
        }
    }
}

#[cfg(feature = "redis")]
async fn serve_with_redis<F: Framework>(
    framework: F,
    port: u16,
    tls: Option<ServerConfig>,
    url: &str,
) -> Result<(), Error> {
    let store = RedisStore::connect(url)
        .await
        .map_err(|error| format!("WEBHOOK_GUARD_REDIS_URL: {error}"))?;
    let description = format!("Redis at {}", without_credentials(url));
    serve(framework, port, tls, store, description).await
}

#[cfg(not(feature = "redis"))]
async fn serve_with_redis<F: Framework>(
    _: F,
    _port: u16,
    _tls: Option<ServerConfig>,
    _url: &str,
) -> Result<(), Error> {
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
    tls: Option<ServerConfig>,
    url: &str,
) -> Result<(), Error> {
    let store = PostgresStore::connect(url)
        .await
        .map_err(|error| format!("WEBHOOK_GUARD_DATABASE_URL: {error}"))?;
    store.migrate().await?;
    store.spawn_cleanup(Duration::from_secs(60));
    let description = format!("PostgreSQL at {}", without_credentials(url));
    serve(framework, port, tls, store, description).await
}

#[cfg(not(feature = "postgres"))]
async fn serve_with_postgres<F: Framework>(
    _: F,
    _port: u16,
    _tls: Option<ServerConfig>,
    _url: &str,
) -> Result<(), Error> {
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

/// One route per provider, all sharing `store`, on `port`, over HTTPS
/// with `tls`.
async fn serve<F: Framework, S: IdempotencyStore>(
    framework: F,
    port: u16,
    tls: Option<ServerConfig>,
    store: S,
    description: String,
) -> Result<(), Error> {
    let mut routes = Vec::new();
    let mut banner = Vec::new();
    // URL-signing providers (Twilio, Square, HubSpot, Mandrill) sign the
    // URL they call: this receiver's, as the world reaches it.
    let scheme = if tls.is_some() { "https" } else { "http" };
    let public_url = std::env::var("WEBHOOK_GUARD_PUBLIC_URL").unwrap_or_else(|_| {
        format!(
            "{scheme}://{}",
            SocketAddr::from((Ipv4Addr::LOCALHOST, port))
        )
    });
    for (name, variable, scheme, kind) in providers() {
        let (secret, origin) = match (std::env::var(&variable), kind) {
            (Ok(secret), _) => (secret, "from the environment"),
            // A provider's public key cannot have a development default.
            (Err(_), KeyKind::PublicKey) => {
                banner.push(format!(
                    "  (not served) /webhooks/{name:<12} set {variable} to the provider's public key"
                ));
                continue;
            }
            (Err(_), _) => (
                development_secret(name, scheme.secret_format()),
                "development default",
            ),
        };
        let signs_url = scheme.signs_url();
        let keys = keys_of(&variable, &secret, &scheme)?;
        let mut notes = match keys.len() {
            1 => String::new(),
            count => format!(", {count} keys"),
        };
        let secret = keys[0].clone();
        let mut verifier = Verifier::from_secrets(scheme, &keys)
            .map_err(|error| format!("{variable}: {error}"))?;
        if signs_url {
            let url = format!("{}/webhooks/{name}", public_url.trim_end_matches('/'));
            verifier = verifier
                .with_public_url(&url)
                .map_err(|error| format!("WEBHOOK_GUARD_PUBLIC_URL: {error}"))?;
            notes.push_str(&format!(", signed URL {url}"));
        }
        let handshake = handshake(name, &secret)?;
        if handshake.is_some() {
            notes.push_str(" + handshake");
        }
        routes.push(Route {
            name,
            layer: WebhookLayer::new(verifier),
            handshake,
        });
        banner.push(format!(
            "  POST /webhooks/{name:<12} secret: {variable} ({origin}){notes}"
        ));
    }
    #[cfg(feature = "rsa")]
    {
        let (route, line) = paypal_route()?;
        routes.push(route);
        banner.push(line);
    }
    let rules = SourceRules::from_env()?;
    let routes: Vec<Route> = routes
        .into_iter()
        .map(|route| Route {
            layer: rules.apply(route.layer),
            ..route
        })
        .collect();
    if let Some(line) = rules.describe() {
        banner.push(format!("  sources: {line}"));
    }
    if rules.https_required {
        banner.push("  HTTPS required: plain HTTP is answered 403".to_owned());
    }
    #[cfg(feature = "metrics")]
    banner.push("  GET  /metrics             every guard's metrics, Prometheus text".to_owned());

    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = TcpListener::bind(address)?;
    // `PORT=0` picks a free port: say which.
    let address = listener.local_addr()?;
    println!(
        "webhook-guard receiver listening on {scheme}://{address} (idempotency store: {description})"
    );
    for line in &banner {
        println!("{line}");
    }
    println!(
        "\nSend it a signed test event (valid for 5 minutes):\n\n{}\n",
        sample_curl(scheme, address)?
    );
    let stripe_key = match std::env::var("WEBHOOK_SECRET_STRIPE") {
        Ok(_) => "--secret-env WEBHOOK_SECRET_STRIPE",
        Err(_) => "--secret whsec_development_stripe",
    };
    // The CLI trusts the Mozilla roots only: not a self-signed TLS_CERT.
    let trust = if tls.is_some() {
        " (over HTTPS, with a certificate from a public CA only)"
    } else {
        ""
    };
    println!(
        "Or sign and send any body with the CLI{trust} (again: a duplicate; --tamper body: refused):\n  printf '{{\"id\":\"evt_1\"}}' | cargo run -q --features cli -- send --provider stripe {stripe_key} --url {scheme}://{address}/webhooks/stripe\n"
    );
    framework.serve(listener, routes, store, tls).await
}

/// A curl command carrying a Standard Webhooks event signed now with the
/// route's secret (over HTTPS: trusting `TLS_CERT`, which may be
/// self-signed).
fn sample_curl(scheme: &str, address: SocketAddr) -> Result<String, Error> {
    let secret = std::env::var("WEBHOOK_SECRET_STANDARD")
        .unwrap_or_else(|_| "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned());
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)?
        .as_secs();
    let id = format!("msg_demo{now}");
    let body = format!(r#"{{"type":"demo.ping","sent_at":{now}}}"#);
    let headers =
        Signer::standard_webhooks(&secret)?.sign(&id, SystemTime::now(), body.as_bytes())?;
    let trust = match std::env::var("TLS_CERT") {
        Ok(file) if scheme == "https" => format!(" --cacert '{file}'"),
        _ => String::new(),
    };
    let mut command = format!(
        "  curl -i{trust} {scheme}://{address}/webhooks/standard \\\n    -H 'content-type: application/json'"
    );
    for (name, value) in &headers {
        command.push_str(&format!(" \\\n    -H '{name}: {}'", value.to_str()?));
    }
    command.push_str(&format!(" \\\n    -d '{body}'"));
    Ok(command)
}
