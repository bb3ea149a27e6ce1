//! Rate and concurrency limits composed with the guard, over loopback HTTP
//! on axum: a limited delivery is answered 503 or 429 with `Retry-After`,
//! never recorded as processed, and its retry is processed exactly once.
//!
//! Each sender retries on 409, 429 and 503 until it gets a 2xx. It checks
//! that `Retry-After` is there but backs off only a few milliseconds (a real
//! sender waits what it says), and gives up after [`MAX_ATTEMPTS`].

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::error_handling::HandleErrorLayer;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{BoxError, Router};
use bytes::Bytes;
use http::{HeaderMap, Request};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::task::JoinSet;
use tower::ServiceBuilder;
use tower::limit::ConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower::load_shed::error::Overloaded;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use webhook_guard::{Signer, Verified, Verifier, WebhookLayer};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Deliveries sent at once in the concurrency tests.
const EVENTS: usize = 200;

/// Deliveries the handler may run at the same time.
const CONCURRENCY: usize = 4;

/// Attempts a sender makes for one event before the test fails.
const MAX_ATTEMPTS: u32 = 200;

/// The bound on a whole test's deliveries.
const TEST_BOUND: Duration = Duration::from_secs(60);

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// How many times the handler ran, per event ID.
#[derive(Clone, Default)]
struct Processed(Arc<Mutex<HashMap<String, u32>>>);

impl Processed {
    fn runs(&self) -> HashMap<String, u32> {
        self.0.lock().unwrap().clone()
    }
}

/// Counts the event, then does a little async work, so that deliveries
/// overlap and the concurrency limit is reached.
async fn on_event(State(processed): State<Processed>, verified: Verified) -> StatusCode {
    let id = verified.event_id().unwrap_or("-").to_owned();
    *processed.0.lock().unwrap().entry(id).or_default() += 1;
    tokio::time::sleep(Duration::from_millis(2)).await;
    StatusCode::NO_CONTENT
}

/// Overload becomes 503 with `Retry-After` (instead of queueing the
/// request); any other error from the stack is a 500.
async fn overloaded(error: BoxError) -> Response {
    if error.is::<Overloaded>() {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(RETRY_AFTER, "1")],
            "overloaded, retry later",
        )
            .into_response()
    } else {
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    }
}

/// The guard every test composes with the limits.
fn guard() -> WebhookLayer {
    WebhookLayer::new(Verifier::standard_webhooks(SECRET).unwrap())
}

/// A burst of 2 per peer IP, then one delivery every 100 ms.
macro_rules! quota {
    () => {
        GovernorConfigBuilder::default()
            .per_millisecond(100)
            .burst_size(2)
            .finish()
            .unwrap()
    };
}

/// Serves `route` at `/hook` on a loopback port, counting into a fresh
/// [`Processed`], with the peer address in each request's extensions (for a
/// per-IP rate limit).
async fn serve_hook(
    route: axum::routing::MethodRouter<Processed>,
) -> (SocketAddr, tokio::task::JoinHandle<()>, Processed) {
    let processed = Processed::default();
    let app = Router::new()
        .route("/hook", route)
        .with_state(processed.clone());
    let (address, server) = serve(app).await;
    (address, server, processed)
}

/// Serves `app` on a loopback port, with the peer address in each request's
/// extensions (for a per-IP rate limit).
async fn serve(app: Router) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (address, server)
}

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// A delivery of event `id`, signed now: its headers and body.
fn delivery(id: &str) -> (HeaderMap, Bytes) {
    let body = Bytes::from(format!(r#"{{"type":"invoice.paid","id":"{id}"}}"#));
    let headers = Signer::standard_webhooks(SECRET)
        .unwrap()
        .sign(id, SystemTime::now(), &body)
        .unwrap();
    (headers, body)
}

/// What the senders saw, over all attempts.
#[derive(Default)]
struct Tally {
    statuses: HashMap<u16, usize>,
    /// Events answered 429 or 503 at least once.
    limited_events: HashSet<String>,
    /// 409, 429 or 503 answers without a `Retry-After` in whole seconds.
    without_retry_after: usize,
    /// 429 answers without tower_governor's `x-ratelimit-after`.
    without_ratelimit_after: usize,
    /// The `Retry-After` values of 429 answers.
    retry_after_429: HashSet<u64>,
}

impl Tally {
    fn seen(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    /// Some deliveries were answered `status` (so the limit is there), and
    /// every limited answer said when to retry.
    fn assert_limited_with_retry_after(&self, status: u16) {
        assert!(
            self.seen(status) > 0,
            "some deliveries were limited ({status}): {:?}",
            self.statuses
        );
        assert_eq!(
            self.without_retry_after, 0,
            "a limited answer has Retry-After"
        );
    }
}

fn header_secs(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.parse().ok()
}

/// A short back-off, different for each sender and attempt (10-49 ms).
fn backoff(sender: usize, attempt: u32) -> Duration {
    Duration::from_millis(10 + ((sender * 7 + attempt as usize * 13) % 40) as u64)
}

/// Sends event `id` until it is answered 2xx, retrying on 409, 429 and
/// 503. Returns the number of attempts.
async fn deliver(
    client: HttpClient,
    address: SocketAddr,
    sender: usize,
    id: String,
    tally: Arc<Mutex<Tally>>,
) -> Result<u32, String> {
    let (headers, body) = delivery(&id);
    for attempt in 1..=MAX_ATTEMPTS {
        let mut request = Request::post(format!("http://{address}/hook"))
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(body.clone()))
            .unwrap();
        request.headers_mut().extend(headers.clone());
        let response = client
            .request(request)
            .await
            .map_err(|error| format!("{id}: attempt {attempt}: {error}"))?;
        let (parts, body) = response.into_parts();
        // Read the answer through, so that the connection is reused.
        body.collect()
            .await
            .map_err(|error| format!("{id}: attempt {attempt}: {error}"))?;
        let status = parts.status;
        {
            let mut tally = tally.lock().unwrap();
            *tally.statuses.entry(status.as_u16()).or_default() += 1;
            let limited = matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            );
            if limited {
                tally.limited_events.insert(id.clone());
            }
            let retry_after = header_secs(&parts.headers, "retry-after");
            if (limited || status == StatusCode::CONFLICT) && retry_after.is_none() {
                tally.without_retry_after += 1;
            }
            if status == StatusCode::TOO_MANY_REQUESTS {
                if header_secs(&parts.headers, "x-ratelimit-after").is_none() {
                    tally.without_ratelimit_after += 1;
                }
                tally.retry_after_429.extend(retry_after);
            }
        }
        match status {
            status if status.is_success() => return Ok(attempt),
            StatusCode::CONFLICT
            | StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE => {
                tokio::time::sleep(backoff(sender, attempt)).await;
            }
            status => return Err(format!("{id}: attempt {attempt}: {status}")),
        }
    }
    Err(format!("{id}: no 2xx in {MAX_ATTEMPTS} attempts"))
}

/// Sends `count` deliveries signed with the wrong secret, one after the
/// other, and returns their statuses.
async fn send_forged(address: SocketAddr, count: usize) -> Vec<u16> {
    let client = client();
    let forger = Signer::standard_webhooks("whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldA==").unwrap();
    let mut statuses = Vec::new();
    for n in 0..count {
        let id = format!("evt_forged_{n}");
        let body = Bytes::from(format!(r#"{{"type":"invoice.paid","id":"{id}"}}"#));
        let mut request = Request::post(format!("http://{address}/hook"))
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(body.clone()))
            .unwrap();
        let headers = forger.sign(&id, SystemTime::now(), &body).unwrap();
        request.headers_mut().extend(headers);
        let response = tokio::time::timeout(TEST_BOUND, client.request(request))
            .await
            .expect("answered within the bound")
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

/// Sends `count` distinct events at once, each retried until 2xx, and
/// checks that every one was answered 2xx.
async fn deliver_all(address: SocketAddr, prefix: &str, count: usize) -> Tally {
    let client = client();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let mut senders = JoinSet::new();
    for sender in 0..count {
        senders.spawn(deliver(
            client.clone(),
            address,
            sender,
            format!("{prefix}_{sender:03}"),
            tally.clone(),
        ));
    }
    let results = tokio::time::timeout(TEST_BOUND, senders.join_all())
        .await
        .expect("the deliveries finish within the bound");
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "deliveries that failed: {failures:?}");
    Arc::into_inner(tally).unwrap().into_inner().unwrap()
}

/// Every one of the `count` events was processed exactly once, and nothing else.
fn assert_each_processed_once(processed: &Processed, prefix: &str, count: usize) {
    let runs = processed.runs();
    let expected: HashMap<String, u32> = (0..count)
        .map(|sender| (format!("{prefix}_{sender:03}"), 1))
        .collect();
    let wrong: Vec<_> = runs
        .iter()
        .filter(|(id, runs)| expected.get(*id) != Some(runs))
        .collect();
    assert!(wrong.is_empty(), "not processed exactly once: {wrong:?}");
    assert_eq!(runs.len(), count, "every event was processed");
}

fn report(test: &str, started: Instant, tally: &Tally) {
    let mut statuses: Vec<_> = tally.statuses.iter().collect();
    statuses.sort();
    println!(
        "{test}: {:?}, answers {statuses:?}, {} events limited at least once",
        started.elapsed(),
        tally.limited_events.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrency_limit_outside_the_guard_sheds_load_and_every_event_is_processed_once() {
    let started = Instant::now();
    // Outermost first: overload becomes a 503 before the guard reads
    // anything, so a limited request claims nothing.
    let limits_then_guard = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(overloaded))
        .layer(LoadShedLayer::new())
        .layer(ConcurrencyLimitLayer::new(CONCURRENCY))
        .layer(guard());
    let (address, server, processed) = serve_hook(post(on_event).layer(limits_then_guard)).await;

    let tally = deliver_all(address, "evt_outside", EVENTS).await;
    server.abort();
    report("outside the guard", started, &tally);
    tally.assert_limited_with_retry_after(503);
    assert_each_processed_once(&processed, "evt_outside", EVENTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrency_limit_inside_the_guard_releases_the_claim_so_the_retry_is_processed() {
    let started = Instant::now();
    // The guard verifies and claims first; the limit answers 503 to the
    // guard, which releases the claim and passes the 503 on.
    let guard_then_limits = ServiceBuilder::new()
        .layer(guard())
        .layer(HandleErrorLayer::new(overloaded))
        .layer(LoadShedLayer::new())
        .layer(ConcurrencyLimitLayer::new(CONCURRENCY));
    let (address, server, processed) = serve_hook(post(on_event).layer(guard_then_limits)).await;

    let tally = deliver_all(address, "evt_inside", EVENTS).await;
    server.abort();
    report("inside the guard", started, &tally);
    tally.assert_limited_with_retry_after(503);
    // A limited event was claimed and then released: its retry ran the
    // handler, once.
    assert!(!tally.limited_events.is_empty());
    assert_each_processed_once(&processed, "evt_inside", EVENTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_outside_the_guard_answers_429_and_the_retry_is_processed_once() {
    const RATE_EVENTS: usize = 10;
    let started = Instant::now();
    let rate_then_guard = ServiceBuilder::new()
        .layer(GovernorLayer::new(quota!()))
        .layer(guard());
    let (address, server, processed) = serve_hook(post(on_event).layer(rate_then_guard)).await;

    // Unauthenticated requests spend the quota too: past the burst, even a
    // forgery is answered 429 without being read.
    let forged = send_forged(address, 5).await;
    assert!(forged.contains(&401) && forged.contains(&429), "{forged:?}");

    let tally = deliver_all(address, "evt_rate", RATE_EVENTS).await;
    server.abort();
    report("rate limit", started, &tally);
    tally.assert_limited_with_retry_after(429);
    assert_eq!(
        tally.without_ratelimit_after, 0,
        "a 429 has x-ratelimit-after"
    );
    // tower_governor counts the wait in whole seconds, rounded down: under a
    // replenish period of 100 ms it says `Retry-After: 0`.
    assert_eq!(tally.retry_after_429, HashSet::from([0]));
    assert_each_processed_once(&processed, "evt_rate", RATE_EVENTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_inside_the_guard_counts_verified_deliveries_and_the_retry_is_processed_once()
{
    const RATE_EVENTS: usize = 10;
    let started = Instant::now();
    // The guard verifies and claims first; the 429 releases the claim.
    let guard_then_rate = ServiceBuilder::new()
        .layer(guard())
        .layer(GovernorLayer::new(quota!()));
    let (address, server, processed) = serve_hook(post(on_event).layer(guard_then_rate)).await;

    // Forgeries are refused by the guard before they reach the limit: they
    // spend none of the quota.
    let forged = send_forged(address, 5).await;
    assert_eq!(forged, [401; 5]);

    let tally = deliver_all(address, "evt_rate_inside", RATE_EVENTS).await;
    server.abort();
    report("rate limit inside the guard", started, &tally);
    tally.assert_limited_with_retry_after(429);
    assert_each_processed_once(&processed, "evt_rate_inside", RATE_EVENTS);
}
