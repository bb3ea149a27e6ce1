//! A small fleet on loopback: receivers sharing one store, and a sender
//! that delivers signed events over many connections and retries what it
//! is told to retry, as Stripe or a Standard Webhooks sender would.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use webhook_guard::delivery::WEBHOOK_DUPLICATE;
use webhook_guard::idempotency::IdempotencyStore;
use webhook_guard::{Signer, Verified, Verifier, WebhookLayer};

use crate::actix_server::ActixServer;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// How long a sender waits before retrying a 409 or 503.
const RETRY_PAUSE: Duration = Duration::from_millis(20);

/// How often the handler ran for each event, across the whole fleet.
#[derive(Clone, Default)]
pub(crate) struct Handled(Arc<Mutex<HashMap<String, usize>>>);

impl Handled {
    pub(crate) fn counts(&self) -> HashMap<String, usize> {
        self.0.lock().unwrap().clone()
    }

    /// Every one of `events` ran exactly once, and nothing else ran.
    pub(crate) fn assert_each_once(&self, events: &[String]) {
        let counts = self.counts();
        let twice: Vec<_> = counts.iter().filter(|(_, runs)| **runs != 1).collect();
        assert!(twice.is_empty(), "events handled more than once: {twice:?}");
        let lost: Vec<_> = events
            .iter()
            .filter(|id| !counts.contains_key(*id))
            .collect();
        assert!(lost.is_empty(), "events never handled: {lost:?}");
        assert_eq!(counts.len(), events.len(), "unexpected events were handled");
    }
}

impl Handled {
    /// The handler's work: a little of it, so that duplicates overlap with
    /// the first attempt, then one more run of the event.
    async fn run(&self, verified: &Verified) {
        let id = verified
            .event_id()
            .expect("Standard Webhooks signs an ID")
            .to_owned();
        let pause = id.bytes().map(u64::from).sum::<u64>() % 3;
        tokio::time::sleep(Duration::from_millis(pause)).await;
        *self.0.lock().unwrap().entry(id).or_default() += 1;
    }
}

async fn on_event(State(handled): State<Handled>, verified: Verified) -> StatusCode {
    handled.run(&verified).await;
    StatusCode::OK
}

async fn on_event_actix(
    handled: actix_web::web::Data<Handled>,
    verified: Verified,
) -> actix_web::HttpResponse {
    handled.run(&verified).await;
    actix_web::HttpResponse::Ok().finish()
}

/// A receiver guarded by a `WebhookLayer` on `store`, on a loopback port.
pub(crate) async fn serve<S: IdempotencyStore>(store: S, handled: Handled) -> SocketAddr {
    let layer = WebhookLayer::new(Verifier::standard_webhooks(SECRET).unwrap()).with_store(store);
    let app = Router::new()
        .route("/hook", post(on_event).layer(layer))
        .with_state(handled);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// The same receiver on actix-web: `HttpServer` with two workers on a
/// thread of its own, the layer as middleware. Stops when dropped.
pub(crate) fn serve_actix<S: IdempotencyStore>(store: S, handled: Handled) -> ActixServer {
    use actix_web::{App, HttpServer, web};

    // One layer for every worker: they share the store's connection.
    let layer = WebhookLayer::new(Verifier::standard_webhooks(SECRET).unwrap()).with_store(store);
    ActixServer::start(move |listener| {
        HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(handled.clone()))
                .service(
                    web::resource("/hook")
                        .wrap(layer.clone())
                        .route(web::post().to(on_event_actix)),
                )
        })
        .workers(2)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run()
    })
}

/// `unique` event IDs, and a delivery list with `duplicates` more copies of
/// some of them, shuffled (deterministically) so that copies of one event
/// are often in flight at once on different receivers.
pub(crate) fn events(run: &str, unique: usize, duplicates: usize) -> (Vec<String>, Vec<String>) {
    let ids: Vec<String> = (0..unique).map(|n| format!("msg_{run}_{n}")).collect();
    let mut deliveries = ids.clone();
    deliveries.extend((0..duplicates).map(|n| ids[(n * 7 + 3) % unique].clone()));
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..deliveries.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        deliveries.swap(i, (state >> 33) as usize % (i + 1));
    }
    (ids, deliveries)
}

/// What the receivers answered, over every attempt.
#[derive(Debug, Default)]
pub(crate) struct Answers {
    /// 2xx, handler ran.
    pub(crate) processed: AtomicUsize,
    /// 200 with `webhook-duplicate: true`.
    pub(crate) duplicate: AtomicUsize,
    pub(crate) in_flight: AtomicUsize,
    pub(crate) unavailable: AtomicUsize,
}

impl Answers {
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} processed, {} duplicate, {} in flight (409), {} unavailable (503)",
            self.processed.load(Ordering::Relaxed),
            self.duplicate.load(Ordering::Relaxed),
            self.in_flight.load(Ordering::Relaxed),
            self.unavailable.load(Ordering::Relaxed)
        )
    }
}

/// The sender: `connections` workers, each with its own HTTP/1.1
/// connection to one of `receivers` (in turn), take deliveries from a shared
/// queue until every one was answered 2xx; a 409 or 503 goes back to the
/// queue, re-signed when retried. Any other status fails the test.
pub(crate) struct Sender {
    queue: Mutex<VecDeque<String>>,
    outstanding: AtomicUsize,
    pub(crate) answers: Answers,
    signer: Signer,
}

impl Sender {
    pub(crate) fn new(deliveries: &[String]) -> Arc<Self> {
        Arc::new(Self {
            queue: Mutex::new(deliveries.iter().cloned().collect()),
            outstanding: AtomicUsize::new(deliveries.len()),
            answers: Answers::default(),
            signer: Signer::standard_webhooks(SECRET).unwrap(),
        })
    }

    /// Deliveries not yet answered 2xx.
    pub(crate) fn outstanding(&self) -> usize {
        self.outstanding.load(Ordering::Relaxed)
    }

    /// Runs the workers until every delivery was answered 2xx.
    pub(crate) async fn run(self: &Arc<Self>, receivers: &[SocketAddr], connections: usize) {
        let workers: Vec<_> = (0..connections)
            .map(|n| {
                let (sender, address) = (self.clone(), receivers[n % receivers.len()]);
                tokio::spawn(async move { sender.work(address).await })
            })
            .collect();
        for worker in workers {
            worker.await.expect("a sender worker panicked");
        }
    }

    async fn work(&self, address: SocketAddr) {
        let mut connection = connect(address).await;
        while self.outstanding() > 0 {
            let next = self.queue.lock().unwrap().pop_front();
            let Some(id) = next else {
                tokio::time::sleep(RETRY_PAUSE).await;
                continue;
            };
            if connection.ready().await.is_err() {
                connection = connect(address).await;
            }
            let (status, duplicate) = match connection.send_request(self.request(&id)).await {
                Ok(response) => {
                    let duplicate = response.headers().contains_key(WEBHOOK_DUPLICATE);
                    let status = response.status();
                    let _ = response.into_body().collect().await;
                    (status, duplicate)
                }
                Err(error) => panic!("the receiver at {address} dropped a request: {error}"),
            };
            match status {
                StatusCode::OK if duplicate => self.done(&self.answers.duplicate),
                StatusCode::OK => self.done(&self.answers.processed),
                StatusCode::CONFLICT => self.retry(id, &self.answers.in_flight).await,
                StatusCode::SERVICE_UNAVAILABLE => self.retry(id, &self.answers.unavailable).await,
                other => panic!("delivery of {id} answered {other}"),
            }
        }
    }

    fn done(&self, counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
        self.outstanding.fetch_sub(1, Ordering::Relaxed);
    }

    async fn retry(&self, id: String, counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(RETRY_PAUSE).await;
        self.queue.lock().unwrap().push_back(id);
    }

    fn request(&self, id: &str) -> Request<Full<Bytes>> {
        let body = Bytes::from(format!(r#"{{"type":"invoice.paid","id":"{id}"}}"#));
        let headers = self.signer.sign(id, SystemTime::now(), &body).unwrap();
        let mut request = Request::post("/hook")
            .header("host", "127.0.0.1")
            .header("content-type", "application/json")
            .body(Full::new(body))
            .unwrap();
        request.headers_mut().extend(headers);
        request
    }
}

async fn connect(address: SocketAddr) -> SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}
