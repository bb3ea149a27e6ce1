//! Throughput of a guarded route against the same route bare, over loopback
//! HTTP with many connections, on axum and on actix-web.
//!
//! * **bare**: `POST /hook` reads the body into `Bytes` and answers 200;
//! * **guarded**: the same handler behind `WebhookLayer` with a
//!   `MemoryStore` (a Tower layer on axum, middleware on actix-web): body
//!   collection, verification, claim, complete.
//!
//! axum serves on the benchmark's own two-thread Tokio runtime; actix-web
//! on `HttpServer` with two workers of its own. Either way client and
//! server share the machine's cores; the ratio compares each framework's
//! guarded route with its own bare route.
//!
//! Every request of a round is a distinct, correctly signed delivery
//! (signed before the rounds start, so the client does the same work in
//! both modes), and each round gets a fresh server and store. Rounds
//! alternate bare and guarded; the table reports the median of the rounds
//! and the ratio. Client and server share the machine's two cores, so it
//! also reports the process CPU time per request (from `/proc/self/stat`):
//! the client's share is the same in both modes, so the difference is what
//! the guard costs per delivery.
//!
//! A second table measures the same layer without HTTP, through
//! `Service::call` on one thread: the inner service alone, the inner service
//! behind `WebhookLayer`, and `Verifier::verify` alone — the guard's own cost
//! per delivery, without the noise of sockets and scheduling.
//!
//! ```sh
//! cargo bench --bench http --features axum,actix            # the tables in BENCHMARKS.md
//! cargo bench --bench http --features axum,actix -- --test  # a short smoke run
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use bytes::Bytes;
use http::{HeaderMap, Request};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use webhook_guard::idempotency::MemoryStore;
use webhook_guard::{Signer, Verified, Verifier, WebhookLayer};

#[path = "../tests/support/actix_server.rs"]
mod actix_server;
#[path = "support/counting_allocator.rs"]
#[allow(dead_code)] // live bytes are for the store's memory per record
mod counting_allocator;

use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

use crate::actix_server::ActixServer;
use crate::counting_allocator::allocations;

#[global_allocator]
static ALLOCATOR: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const CONNECTIONS: usize = 32;

struct Settings {
    round: Duration,
    rounds: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Bare,
    Guarded,
}

#[derive(Clone, Copy, PartialEq)]
enum Framework {
    Axum,
    Actix,
}

impl Framework {
    fn name(self) -> &'static str {
        match self {
            Self::Axum => "axum",
            Self::Actix => "actix-web",
        }
    }
}

/// A server for one round; stopped (and its threads gone) before the next.
enum Server {
    Axum {
        address: SocketAddr,
        task: tokio::task::JoinHandle<()>,
    },
    Actix(ActixServer),
}

impl Server {
    fn address(&self) -> SocketAddr {
        match self {
            Self::Axum { address, .. } => *address,
            Self::Actix(server) => server.address,
        }
    }

    async fn stop(self) {
        match self {
            Self::Axum { task, .. } => task.abort(),
            Self::Actix(server) => server.stop().await,
        }
    }
}

fn verifier_layer() -> WebhookLayer {
    let verifier = Verifier::standard_webhooks(SECRET).unwrap();
    WebhookLayer::new(verifier).with_store(MemoryStore::with_max_entries(4_000_000))
}

fn axum_app(mode: Mode) -> Router {
    match mode {
        Mode::Bare => Router::new().route("/hook", post(|_body: Bytes| async { StatusCode::OK })),
        Mode::Guarded => Router::new().route(
            "/hook",
            post(|_verified: Verified, _body: Bytes| async { StatusCode::OK })
                .layer(verifier_layer()),
        ),
    }
}

async fn actix_bare(_body: actix_web::web::Bytes) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

async fn actix_guarded(
    _verified: Verified,
    _body: actix_web::web::Bytes,
) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

async fn serve(framework: Framework, mode: Mode) -> Server {
    match framework {
        Framework::Axum => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let task =
                tokio::spawn(async move { axum::serve(listener, axum_app(mode)).await.unwrap() });
            Server::Axum { address, task }
        }
        Framework::Actix => {
            use actix_web::{App, HttpServer, web};

            // One layer (one store) for every worker, as a real server has.
            let layer = verifier_layer();
            Server::Actix(ActixServer::start(move |listener| {
                HttpServer::new(move || {
                    let resource = web::resource("/hook");
                    let app = App::new();
                    match mode {
                        Mode::Bare => app.service(resource.route(web::post().to(actix_bare))),
                        Mode::Guarded => app.service(
                            resource
                                .wrap(layer.clone())
                                .route(web::post().to(actix_guarded)),
                        ),
                    }
                })
                .workers(2)
                .disable_signals()
                .listen(listener)
                .unwrap()
                .run()
            }))
        }
    }
}

/// `count` distinct deliveries of one body, signed now (a few minutes of
/// freshness is plenty for the whole run).
fn deliveries(body: &Bytes, count: usize, tag: &str) -> Arc<Vec<HeaderMap>> {
    let signer = Signer::standard_webhooks(SECRET).unwrap();
    let now = SystemTime::now();
    Arc::new(
        (0..count)
            .map(|n| signer.sign(&format!("msg_{tag}_{n}"), now, body).unwrap())
            .collect(),
    )
}

/// The CPU time this process has used (user + system), from
/// `/proc/self/stat`, in seconds; `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at ")".
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

struct Round {
    rate: f64,
    cpu_micros_per_request: Option<f64>,
    /// Of the whole process (client and server), per processed request.
    allocations_per_request: f64,
}

/// Drives `CONNECTIONS` keep-alive connections for `round`; returns the
/// processed requests per second and the CPU time per request, and fails if
/// any answer was not a first-time 2xx.
async fn drive(
    address: SocketAddr,
    body: Bytes,
    pool: Arc<Vec<HeaderMap>>,
    round: Duration,
) -> Round {
    let next = Arc::new(AtomicUsize::new(0));
    let allocated = allocations();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let deadline = started + round;
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (next, pool, body) = (next.clone(), pool.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(address).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .unwrap();
            tokio::spawn(connection);
            let (mut processed, mut odd) = (0usize, 0usize);
            while Instant::now() < deadline {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(headers) = pool.get(index) else {
                    break; // every delivery was sent: the round ends early
                };
                // A bare HTTP/1 connection adds no `Host`; actix-web refuses
                // HTTP/1.1 requests without one.
                let mut request = Request::post("/hook")
                    .header("host", address.to_string())
                    .header("content-type", "application/json")
                    .body(Full::new(body.clone()))
                    .unwrap();
                request.headers_mut().extend(headers.clone());
                sender.ready().await.unwrap();
                let response = sender.send_request(request).await.unwrap();
                let ok = response.status() == 200
                    && !response.headers().contains_key("webhook-duplicate");
                response.into_body().collect().await.unwrap();
                if ok {
                    processed += 1;
                } else {
                    odd += 1;
                }
            }
            (processed, odd)
        }));
    }
    let (mut processed, mut odd) = (0, 0);
    for task in tasks {
        let (p, o) = task.await.unwrap();
        processed += p;
        odd += o;
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(
        odd, 0,
        "{odd} requests were not first-time 2xx (pool too small?)"
    );
    let cpu = cpu_before
        .zip(cpu_seconds())
        .map(|(before, after)| after - before);
    Round {
        rate: processed as f64 / elapsed,
        cpu_micros_per_request: cpu.map(|seconds| seconds * 1e6 / processed.max(1) as f64),
        allocations_per_request: (allocations() - allocated) as f64 / processed.max(1) as f64,
    }
}

/// Nanoseconds per delivery through `Service::call`, without HTTP: the inner
/// service alone, behind the layer, and verification alone.
async fn layer_cost(size: usize, deliveries_per_round: usize) -> [(f64, f64); 3] {
    use tower::{Layer, Service, ServiceExt};

    let body = Bytes::from(vec![b'x'; size]);
    let pool = deliveries(&body, deliveries_per_round, "layer");
    let inner = tower::service_fn(|request: Request<Full<Bytes>>| async move {
        let bytes = request.into_body().collect().await.unwrap().to_bytes();
        Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(bytes)))
    });
    let request = |headers: &HeaderMap| {
        let mut request = Request::new(Full::new(body.clone()));
        *request.headers_mut() = headers.clone();
        request
    };
    // Nanoseconds and allocations per delivery since `(started, allocated)`.
    let per_delivery = |(started, allocated): (Instant, usize)| {
        let count = pool.len() as f64;
        (
            started.elapsed().as_nanos() as f64 / count,
            (allocations() - allocated) as f64 / count,
        )
    };
    let start = || (Instant::now(), allocations());

    let mut bare = inner;
    let started = start();
    for headers in pool.iter() {
        bare.ready()
            .await
            .unwrap()
            .call(request(headers))
            .await
            .unwrap();
    }
    let bare = per_delivery(started);

    let verifier = Verifier::standard_webhooks(SECRET).unwrap();
    let mut guarded = WebhookLayer::new(verifier.clone())
        .with_store(MemoryStore::with_max_entries(4_000_000))
        .layer(inner);
    let started = start();
    for headers in pool.iter() {
        let response = guarded
            .ready()
            .await
            .unwrap()
            .call(request(headers))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let guarded = per_delivery(started);

    let started = start();
    for headers in pool.iter() {
        verifier.verify(headers, &body).unwrap();
    }
    [bare, guarded, per_delivery(started)]
}

/// Nanoseconds per delivery through an actix-web app on one thread, without
/// HTTP (`actix_web::test::call_service`): the bare resource, and the same
/// resource wrapped in the layer. Runs on a fresh actix system.
fn actix_layer_cost(size: usize, deliveries_per_round: usize) -> [(f64, f64); 2] {
    use actix_web::{App, test, web};

    let body = Bytes::from(vec![b'x'; size]);
    let pool = deliveries(&body, deliveries_per_round, "actix-layer");
    let request = |headers: &HeaderMap| {
        let mut request = test::TestRequest::post()
            .uri("/hook")
            .set_payload(body.clone());
        for (name, value) in headers {
            request = request.insert_header((name.as_str(), value.to_str().unwrap()));
        }
        request.to_request()
    };
    let per_delivery = |(started, allocated): (Instant, usize)| {
        let count = pool.len() as f64;
        (
            started.elapsed().as_nanos() as f64 / count,
            (allocations() - allocated) as f64 / count,
        )
    };
    let start = || (Instant::now(), allocations());
    actix_web::rt::System::new().block_on(async {
        let bare = test::init_service(
            App::new().service(web::resource("/hook").route(web::post().to(actix_bare))),
        )
        .await;
        let started = start();
        for headers in pool.iter() {
            test::call_service(&bare, request(headers)).await;
        }
        let bare = per_delivery(started);

        let guarded = test::init_service(
            App::new().service(
                web::resource("/hook")
                    .wrap(verifier_layer())
                    .route(web::post().to(actix_guarded)),
            ),
        )
        .await;
        let started = start();
        for headers in pool.iter() {
            let response = test::call_service(&guarded, request(headers)).await;
            assert_eq!(response.status(), 200);
        }
        [bare, per_delivery(started)]
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The throughput table: each framework's bare and guarded routes, over
/// HTTP.
async fn throughput_table(settings: &Settings, smoke: bool) {
    println!(
        "| framework | body | bare route (req/s) | guarded route (req/s) | guarded / bare | goal \
         | CPU per request, bare → guarded | allocations per request, bare → guarded |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let cases = [
        (1024usize, 600_000usize, Some(0.92)),
        (64 * 1024, 150_000, None),
    ];
    for framework in [Framework::Axum, Framework::Actix] {
        for (size, pool_size, goal) in cases {
            let mut body = br#"{"type":"invoice.paid","data":""#.to_vec();
            body.resize(size - 2, b'x');
            body.extend_from_slice(b"\"}");
            let body = Bytes::from(body);
            let pool_size = if smoke { 5_000 } else { pool_size };
            // One pool per body size: every round runs against a fresh
            // server (and store), so each delivery is new to it.
            let pool = deliveries(&body, pool_size, &size.to_string());
            // Bare and guarded: requests per second, CPU and allocations
            // per request, one value per round.
            let [mut rates, mut cpus, mut allocs]: [[Vec<f64>; 2]; 3] = Default::default();
            for _ in 0..settings.rounds {
                for (slot, mode) in [Mode::Bare, Mode::Guarded].into_iter().enumerate() {
                    let server = serve(framework, mode).await;
                    let round =
                        drive(server.address(), body.clone(), pool.clone(), settings.round).await;
                    server.stop().await;
                    rates[slot].push(round.rate);
                    allocs[slot].push(round.allocations_per_request);
                    if let Some(cpu) = round.cpu_micros_per_request {
                        cpus[slot].push(cpu);
                    }
                }
            }
            let [bare, guarded] = rates.map(|mut rounds| median(&mut rounds));
            let ratio = guarded / bare;
            let goal = match goal {
                Some(goal) => {
                    let met = if ratio >= goal { "✓" } else { "✗" };
                    format!("≥ {:.0} % {met}", goal * 100.0)
                }
                None => "—".to_owned(),
            };
            let cpu = if cpus.iter().all(|rounds| !rounds.is_empty()) {
                let [bare_cpu, guarded_cpu] = cpus.map(|mut rounds| median(&mut rounds));
                let added = guarded_cpu - bare_cpu;
                format!("{bare_cpu:.1} µs → {guarded_cpu:.1} µs (+{added:.1} µs)")
            } else {
                "—".to_owned()
            };
            let [bare_allocs, guarded_allocs] = allocs.map(|mut rounds| median(&mut rounds));
            println!(
                "| {} | {} KiB | {bare:.0} | {guarded:.0} | {:.1} % | {goal} | {cpu} \
                 | {bare_allocs:.1} → {guarded_allocs:.1} |",
                framework.name(),
                size / 1024,
                ratio * 100.0
            );
        }
    }
}

/// The guard's own cost without sockets, on each face.
async fn layer_cost_table(smoke: bool) {
    println!(
        "| face | body | inner service alone | behind `WebhookLayer` | the guard's cost \
         | of which `verify` | allocations per delivery: alone → behind it (`verify`) |"
    );
    println!("|---|---|---|---|---|---|---|");
    let deliveries = if smoke { 2_000 } else { 100_000 };
    let rounds = if smoke { 1 } else { 5 };
    for size in [1024usize, 64 * 1024] {
        let (mut measured, mut allocs): ([Vec<f64>; 3], [Vec<f64>; 3]) = Default::default();
        for _ in 0..rounds {
            for (slot, (nanos, allocations)) in
                layer_cost(size, deliveries).await.into_iter().enumerate()
            {
                measured[slot].push(nanos);
                allocs[slot].push(allocations);
            }
        }
        let [bare, guarded, verify] = measured.map(|mut values| median(&mut values));
        let [bare_allocs, guarded_allocs, verify_allocs] =
            allocs.map(|mut values| median(&mut values));
        println!(
            "| Tower, `Service::call` | {} KiB | {:.2} µs | {:.2} µs | {:.2} µs | {:.2} µs \
             | {bare_allocs:.1} → {guarded_allocs:.1} ({verify_allocs:.1}) |",
            size / 1024,
            bare / 1e3,
            guarded / 1e3,
            (guarded - bare) / 1e3,
            verify / 1e3
        );
    }
    for size in [1024usize, 64 * 1024] {
        let (mut measured, mut allocs): ([Vec<f64>; 2], [Vec<f64>; 2]) = Default::default();
        for _ in 0..rounds {
            let round = tokio::task::spawn_blocking(move || actix_layer_cost(size, deliveries))
                .await
                .unwrap();
            for (slot, (nanos, allocations)) in round.into_iter().enumerate() {
                measured[slot].push(nanos);
                allocs[slot].push(allocations);
            }
        }
        let [bare, guarded] = measured.map(|mut values| median(&mut values));
        let [bare_allocs, guarded_allocs] = allocs.map(|mut values| median(&mut values));
        println!(
            "| actix-web, `test::call_service` | {} KiB | {:.2} µs | {:.2} µs | {:.2} µs | — \
             | {bare_allocs:.1} → {guarded_allocs:.1} |",
            size / 1024,
            bare / 1e3,
            guarded / 1e3,
            (guarded - bare) / 1e3,
        );
    }
}

fn main() {
    let smoke = std::env::args().any(|arg| arg == "--test");
    let settings = if smoke {
        Settings {
            round: Duration::from_millis(200),
            rounds: 1,
        }
    } else {
        Settings {
            round: Duration::from_secs(2),
            rounds: 9,
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        throughput_table(&settings, smoke).await;
        println!();
        layer_cost_table(smoke).await;
    });
}
