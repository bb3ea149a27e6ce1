//! The contract through `tower::ServiceExt::oneshot`, without a server.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, RETRY_AFTER};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, Full};
use tower::{Layer, Service, ServiceExt, service_fn};
use webhook_guard::WebhookLayer;
use webhook_guard::delivery::{ConfigError, Rejection};
use webhook_guard::idempotency::MemoryStore;

use crate::fixtures::{
    Behaviour, Handler, Reply, SlowStore, assert_generic, delivery, echo, request, verifier,
};

/// Starts a first attempt of `event_id` whose handler hangs, and returns
/// once the handler is running (its claim held).
async fn start_hanging_attempt<S>(
    service: &S,
    handler: &Handler,
    event_id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> tokio::task::JoinHandle<Result<Reply, Infallible>>
where
    S: Service<Request<Full<Bytes>>, Response = Reply, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let first = tokio::spawn(service.clone().oneshot(request(headers, body)));
    while handler.calls(event_id) == 0 {
        tokio::task::yield_now().await;
    }
    first
}

async fn body_of(response: Reply) -> Bytes {
    response.into_body().collect().await.unwrap().to_bytes()
}

#[tokio::test]
async fn a_delivery_in_flight_gets_409_and_a_dropped_future_releases_its_claim() {
    let handler = Handler::scripted([Behaviour::Hang]);
    let service = WebhookLayer::new(verifier()).layer(echo(handler.clone()));
    let (headers, body) = delivery("evt_in_flight");

    let first = start_hanging_attempt(&service, &handler, "evt_in_flight", &headers, &body).await;
    let second = service
        .clone()
        .oneshot(request(&headers, &body))
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let retry_after: u64 = second.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    assert_generic(&body_of(second).await);

    // The client goes away: the response future is dropped mid-handler.
    first.abort();
    let _ = first.await;
    let third = service.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(third.status(), 200, "the released event is processed");
    assert_eq!(handler.successes("evt_in_flight"), 1);
}

#[tokio::test]
async fn an_inner_service_error_releases_the_claim() {
    let calls = Arc::new(Mutex::new(0));
    let inner = {
        let calls = calls.clone();
        service_fn(move |_: Request<Full<Bytes>>| {
            let calls = calls.clone();
            async move {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                if *calls == 1 {
                    Err("the inner service failed")
                } else {
                    Ok(Response::new(Full::new(Bytes::from_static(b"ok"))))
                }
            }
        })
    };
    let service = WebhookLayer::new(verifier()).layer(inner);
    let (headers, body) = delivery("evt_inner_error");
    assert!(
        service
            .clone()
            .oneshot(request(&headers, &body))
            .await
            .is_err()
    );
    let retry = service.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(*calls.lock().unwrap(), 2);
}

/// A request body that yields `chunks` frames of `chunk` bytes, and panics
/// if it is polled once more than `allowed` times: proof that the layer
/// stops reading where it says it does.
struct TrapBody {
    chunk: usize,
    chunks: usize,
    polled: usize,
    allowed: usize,
    whole: Option<Bytes>,
}

impl TrapBody {
    fn new(chunk: usize, chunks: usize, allowed: usize) -> Self {
        Self {
            chunk,
            chunks,
            polled: 0,
            allowed,
            whole: None,
        }
    }
}

impl From<Bytes> for TrapBody {
    fn from(bytes: Bytes) -> Self {
        Self {
            whole: Some(bytes),
            ..Self::new(0, 0, usize::MAX)
        }
    }
}

impl Body for TrapBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if let Some(whole) = self.whole.take() {
            return Poll::Ready(Some(Ok(Frame::data(whole))));
        }
        self.polled += 1;
        assert!(
            self.polled <= self.allowed,
            "the body was read past the limit"
        );
        if self.polled > self.chunks {
            return Poll::Ready(None);
        }
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'x'; self.chunk])))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

/// An inner service a rejected request must never reach.
fn never_called<B>()
-> impl Service<Request<B>, Response = Reply, Error = Infallible, Future: Send> + Clone {
    service_fn(|_: Request<B>| async { panic!("a rejected request must not reach the handler") })
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let service = WebhookLayer::new(verifier())
        .with_body_limit(4096)
        .layer(never_called());
    let (headers, _) = delivery("evt_declared_large");
    let mut request = Request::post("/hook")
        .body(TrapBody::new(1024, 100, 0))
        .unwrap();
    *request.headers_mut() = headers;
    request
        .headers_mut()
        .insert(CONTENT_LENGTH, "4097".parse().unwrap());
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_generic(&body_of(response).await);
}

#[tokio::test]
async fn a_streamed_body_crossing_the_limit_is_refused_at_that_moment() {
    let service = WebhookLayer::new(verifier())
        .with_body_limit(4096)
        .layer(never_called());
    let (headers, _) = delivery("evt_streamed_large");
    // Four 1 KiB chunks fill the limit, the fifth crosses it; a sixth poll panics.
    let mut request = Request::post("/hook")
        .body(TrapBody::new(1024, 100, 5))
        .unwrap();
    *request.headers_mut() = headers;
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_custom_responder_answers_rejections() {
    let responder = |rejection: &Rejection| {
        Response::builder()
            .status(rejection.status())
            .body(Full::from(format!(
                "{{\"status\":{}}}",
                rejection.status().as_u16()
            )))
            .unwrap()
    };
    let service = WebhookLayer::new(verifier())
        .with_responder(responder)
        .layer(echo(Handler::default()));
    let response = service
        .oneshot(request(&HeaderMap::new(), &Bytes::new()))
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(body_of(response).await, "{\"status\":400}");
}

#[test]
fn retention_must_cover_twice_the_tolerance() {
    let tolerance = Duration::from_secs(300);
    let error = WebhookLayer::new(verifier().with_tolerance(tolerance))
        .with_retention(Duration::from_secs(599))
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::RetentionTooShort {
            retention_secs: 599,
            minimum_secs: 600
        }
    );
    assert!(
        WebhookLayer::new(verifier())
            .with_retention(Duration::from_secs(600))
            .is_ok()
    );
    assert_eq!(
        WebhookLayer::new(verifier())
            .with_lease(Duration::ZERO)
            .unwrap_err(),
        ConfigError::ZeroLease
    );
}

#[test]
fn retention_must_cover_the_retries_of_a_provider_that_signs_no_timestamp() {
    let hour = Duration::from_secs(3600);
    let shopify = webhook_guard::Verifier::shopify("shpss_secret").unwrap();
    assert_eq!(
        WebhookLayer::new(shopify.clone())
            .with_retention(3 * hour)
            .unwrap_err(),
        ConfigError::RetentionShorterThanRetries {
            retention_secs: 3 * 3600,
            minimum_secs: 4 * 3600
        }
    );
    assert!(WebhookLayer::new(shopify).with_retention(4 * hour).is_ok());
    let github = webhook_guard::Verifier::github("secret").unwrap();
    assert!(matches!(
        WebhookLayer::new(github.clone()).with_retention(24 * hour),
        Err(ConfigError::RetentionShorterThanRetries { .. })
    ));
    assert!(WebhookLayer::new(github).with_retention(72 * hour).is_ok());
}

#[tokio::test]
async fn settings_that_would_overflow_or_outrun_the_lease_are_refused() {
    // Both used to be accepted, and every request then panicked on an
    // overflowing deadline.
    assert!(matches!(
        WebhookLayer::new(verifier()).with_lease(Duration::MAX),
        Err(ConfigError::LeaseTooLong { .. })
    ));
    assert!(matches!(
        WebhookLayer::new(verifier()).with_store_timeout(Duration::MAX),
        Err(ConfigError::StoreTimeoutTooLong { .. })
    ));
    // The longest of each still serves requests.
    let longest = WebhookLayer::new(verifier())
        .with_lease(ConfigError::MAX_LEASE)
        .unwrap()
        .with_store_timeout(ConfigError::MAX_LEASE / 2)
        .unwrap()
        .layer(echo(Handler::default()));
    let (headers, body) = delivery("evt_longest_settings");
    let response = longest.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(response.status(), 200);

    // A store timeout must stay well inside the lease, whichever is set
    // first; one left at its default follows a short lease.
    let lease = Duration::from_secs(2);
    assert!(matches!(
        WebhookLayer::new(verifier())
            .with_lease(lease)
            .unwrap()
            .with_store_timeout(Duration::from_millis(1001)),
        Err(ConfigError::StoreTimeoutTooLong {
            timeout_ms: 1001,
            lease_ms: 2000
        })
    ));
    assert!(matches!(
        WebhookLayer::new(verifier())
            .with_store_timeout(Duration::from_secs(3))
            .unwrap()
            .with_lease(lease),
        Err(ConfigError::StoreTimeoutTooLong { .. })
    ));
    assert!(
        WebhookLayer::new(verifier())
            .with_lease(Duration::from_millis(300))
            .is_ok()
    );
}

#[tokio::test]
async fn one_memory_store_serves_several_routes_by_namespace() {
    let store = MemoryStore::new();
    let standard = WebhookLayer::new(verifier())
        .with_store(store.clone())
        .layer(echo(Handler::default()));
    let other = WebhookLayer::new(verifier())
        .with_store(store.clone())
        .with_namespace("other-route")
        .layer(echo(Handler::default()));
    let (headers, body) = delivery("evt_shared_store");
    assert_eq!(
        standard
            .oneshot(request(&headers, &body))
            .await
            .unwrap()
            .status(),
        200
    );
    let response = other.oneshot(request(&headers, &body)).await.unwrap();
    assert!(!response.headers().contains_key("webhook-duplicate"));
    assert_eq!(store.len(), 2);
}

#[tokio::test]
async fn a_claim_granted_after_the_client_left_is_released() {
    let handler = Handler::default();
    let store = SlowStore {
        inner: MemoryStore::new(),
        delay: Duration::from_millis(200),
    };
    let service = WebhookLayer::new(verifier())
        .with_store(store)
        .layer(echo(handler.clone()));
    let (headers, body) = delivery("evt_left_while_claiming");
    // The client leaves while the store is still answering the claim.
    let first = tokio::spawn(service.clone().oneshot(request(&headers, &body)));
    tokio::time::sleep(Duration::from_millis(50)).await;
    first.abort();
    let _ = first.await;
    // Once the store has answered, the granted claim is released: the retry
    // is processed now, not after the 60 s lease.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let retry = service.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(retry.status(), 200);
    assert!(!retry.headers().contains_key("webhook-duplicate"));
    assert_eq!(handler.successes("evt_left_while_claiming"), 1);
}

/// A body whose size hint is exact and whose every poll fails the test.
struct HintedBody(u64);

impl From<Bytes> for HintedBody {
    fn from(_: Bytes) -> Self {
        Self(0)
    }
}

impl Body for HintedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        panic!("a body whose size hint is over the limit must not be read")
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0)
    }
}

#[tokio::test]
async fn a_size_hint_over_the_limit_is_refused_before_reading() {
    let service = WebhookLayer::new(verifier())
        .with_body_limit(1024)
        .layer(never_called::<HintedBody>());
    let (headers, _) = delivery("evt_hinted");
    let mut request = Request::post("/hook").body(HintedBody(1025)).unwrap();
    *request.headers_mut() = headers;
    assert_eq!(
        service.oneshot(request).await.unwrap().status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

/// A body stream that breaks after its first chunk.
struct BrokenBody(bool);

impl From<Bytes> for BrokenBody {
    fn from(_: Bytes) -> Self {
        Self(true)
    }
}

impl Body for BrokenBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if std::mem::replace(&mut self.0, true) {
            return Poll::Ready(Some(Err(std::io::Error::other("connection reset"))));
        }
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"{\"partial\":")))))
    }
}

#[tokio::test]
async fn an_unreadable_body_is_a_generic_bad_request() {
    let service = WebhookLayer::new(verifier()).layer(never_called::<BrokenBody>());
    let (headers, _) = delivery("evt_broken");
    let mut request = Request::post("/hook").body(BrokenBody(false)).unwrap();
    *request.headers_mut() = headers;
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_generic(&body_of(response).await);
}

#[tokio::test]
async fn the_lease_is_counted_from_the_claim_not_from_the_stores_answer() {
    // The store applies a claim before its answer arrives: a slow answer
    // must not give the handler more time than the lease, or a retry could
    // claim and run alongside it.
    let handler = Handler::scripted([Behaviour::Sleep(Duration::from_secs(30))]);
    let store = SlowStore {
        inner: MemoryStore::new(),
        delay: Duration::from_millis(400),
    };
    let service = WebhookLayer::new(verifier())
        .with_store(store)
        .with_lease(Duration::from_millis(1000))
        .unwrap()
        .layer(echo(handler.clone()));
    let (headers, body) = delivery("evt_slow_answer");
    let started = Instant::now();
    let response = service.oneshot(request(&headers, &body)).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Cancelled a tenth of the lease before it ends, counted from the claim
    // (900 ms), not from the answer (1 300 ms).
    assert!(
        elapsed >= Duration::from_millis(850) && elapsed < Duration::from_millis(1250),
        "cancelled after {elapsed:?}"
    );
    assert_eq!(handler.calls("evt_slow_answer"), 1);
}

/// An inner service that is not ready until `ready` is set, and counts its
/// calls.
#[derive(Clone)]
struct NotReadyUntil {
    ready: Arc<std::sync::atomic::AtomicBool>,
    calls: Arc<Mutex<usize>>,
}

impl Service<Request<Full<Bytes>>> for NotReadyUntil {
    type Response = Reply;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Reply, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        if self.ready.load(std::sync::atomic::Ordering::SeqCst) {
            return Poll::Ready(Ok(()));
        }
        // Not ready: ask to be polled again soon (a real limit would wake
        // the task when a slot frees).
        let waker = cx.waker().clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            waker.wake();
        });
        Poll::Pending
    }

    fn call(&mut self, _: Request<Full<Bytes>>) -> Self::Future {
        *self.calls.lock().unwrap() += 1;
        std::future::ready(Ok(Response::new(Full::new(Bytes::new()))))
    }
}

#[tokio::test]
async fn an_inner_service_not_ready_before_the_lease_ends_is_never_called() {
    let inner = NotReadyUntil {
        ready: Arc::default(),
        calls: Arc::default(),
    };
    let service = WebhookLayer::new(verifier())
        .with_lease(Duration::from_millis(500))
        .unwrap()
        .layer(inner.clone());
    let (headers, body) = delivery("evt_never_ready");
    let started = Instant::now();
    let first = tokio::time::timeout(
        Duration::from_secs(5),
        service.clone().oneshot(request(&headers, &body)),
    )
    .await
    .expect("answered once the lease is about to end, not left waiting for readiness")
    .unwrap();
    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(first.headers().contains_key(RETRY_AFTER));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        *inner.calls.lock().unwrap(),
        0,
        "too late to start the handler"
    );

    // The claim was released before that answer: a retry sent at once,
    // with the service ready now, runs.
    inner.ready.store(true, std::sync::atomic::Ordering::SeqCst);
    let retry = service.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(*inner.calls.lock().unwrap(), 1);
}

/// Where [`Panicking`] panics, the first time it gets there.
#[derive(Clone, Copy, PartialEq)]
enum PanicIn {
    PollReady,
    Call,
}

/// An inner service that panics once in `poll_ready` or in `call` itself
/// (not in its future), then answers 200; it counts the calls that reached
/// its future.
#[derive(Clone)]
struct Panicking {
    at: PanicIn,
    panicked: Arc<Mutex<bool>>,
    answered: Arc<Mutex<usize>>,
}

impl Panicking {
    fn new(at: PanicIn) -> Self {
        Self {
            at,
            panicked: Arc::default(),
            answered: Arc::default(),
        }
    }

    fn panic_once_in(&self, here: PanicIn) {
        if self.at == here && !std::mem::replace(&mut *self.panicked.lock().unwrap(), true) {
            panic!("the inner service panics on purpose");
        }
    }
}

impl Service<Request<Full<Bytes>>> for Panicking {
    type Response = Reply;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Reply, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.panic_once_in(PanicIn::PollReady);
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Request<Full<Bytes>>) -> Self::Future {
        self.panic_once_in(PanicIn::Call);
        *self.answered.lock().unwrap() += 1;
        std::future::ready(Ok(Response::new(Full::new(Bytes::from_static(b"ok")))))
    }
}

#[tokio::test]
async fn a_panic_in_the_inner_services_readiness_or_call_is_answered_500_and_released() {
    for at in [PanicIn::PollReady, PanicIn::Call] {
        let inner = Panicking::new(at);
        let service = WebhookLayer::new(verifier()).layer(inner.clone());
        let (headers, body) = delivery("evt_inner_panics");
        let panicked = service
            .clone()
            .oneshot(request(&headers, &body))
            .await
            .unwrap();
        assert_eq!(panicked.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_generic(&body_of(panicked).await);
        let retry = service
            .clone()
            .oneshot(request(&headers, &body))
            .await
            .unwrap();
        assert_eq!(retry.status(), 200, "the panic released the claim");
        let replay = service.oneshot(request(&headers, &body)).await.unwrap();
        assert_eq!(replay.headers()["webhook-duplicate"], "true");
        assert_eq!(*inner.answered.lock().unwrap(), 1);
    }
}

#[tokio::test]
async fn a_panicking_handler_without_a_claim_failing_open_is_answered_500() {
    let handler = Handler::scripted([Behaviour::Panic]);
    let service = WebhookLayer::new(verifier())
        .with_store(crate::fixtures::DownStore)
        .fail_open_when_store_unavailable()
        .layer(echo(handler.clone()));
    let (headers, body) = delivery("evt_open_panics");
    let panicked = service
        .clone()
        .oneshot(request(&headers, &body))
        .await
        .unwrap();
    assert_eq!(panicked.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let retry = service.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(handler.calls("evt_open_panics"), 2);
}

/// A memory store whose claim answer blocks the polling thread for `delay`
/// first: the claim is answered in time, but acted on late, as when a
/// blocking handler holds the runtime's thread.
#[derive(Debug, Clone)]
struct ThreadBlockingStore {
    inner: MemoryStore,
    delay: Duration,
}

impl webhook_guard::idempotency::IdempotencyStore for ThreadBlockingStore {
    type ClaimFuture =
        webhook_guard::idempotency::BoxStoreFuture<webhook_guard::idempotency::Claim>;
    type FinishFuture = <MemoryStore as webhook_guard::idempotency::IdempotencyStore>::FinishFuture;

    fn claim(
        &self,
        key: &webhook_guard::idempotency::IdempotencyKey,
        lease: Duration,
    ) -> Self::ClaimFuture {
        let answer = self.inner.claim(key, lease).into_inner();
        let delay = self.delay;
        Box::pin(async move {
            std::thread::sleep(delay);
            answer
        })
    }

    fn complete(
        &self,
        key: &webhook_guard::idempotency::IdempotencyKey,
        token: &webhook_guard::idempotency::ClaimToken,
        retention: Duration,
    ) -> Self::FinishFuture {
        self.inner.complete(key, token, retention)
    }

    fn release(
        &self,
        key: &webhook_guard::idempotency::IdempotencyKey,
        token: &webhook_guard::idempotency::ClaimToken,
    ) -> Self::FinishFuture {
        self.inner.release(key, token)
    }
}

#[tokio::test]
async fn a_claim_acted_on_after_its_last_moment_never_calls_the_handler() {
    let handler = Handler::default();
    let store = ThreadBlockingStore {
        inner: MemoryStore::new(),
        // The lease is 1 s; the last moment to act on the claim is at 0.9 s.
        delay: Duration::from_millis(950),
    };
    let service = WebhookLayer::new(verifier())
        .with_store(store.clone())
        .with_lease(Duration::from_secs(1))
        .unwrap()
        .layer(echo(handler.clone()));
    let (headers, body) = delivery("evt_late_claim");
    let late = service.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(late.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(late.headers().contains_key(RETRY_AFTER));
    assert_eq!(handler.calls("evt_late_claim"), 0, "too late to run it");

    // Released before that answer: a retry sent at once is processed.
    let prompt = WebhookLayer::new(verifier())
        .with_store(store.inner.clone())
        .layer(echo(handler.clone()));
    let retry = prompt.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(handler.calls("evt_late_claim"), 1);
}

/// A Standard Webhooks tenant of its own: its verifier, and a delivery of
/// `id` signed with its secret.
fn tenant(secret: &str, id: &str) -> (webhook_guard::Verifier, HeaderMap, Bytes) {
    let body = Bytes::from(format!(r#"{{"id":"{id}"}}"#));
    let headers = webhook_guard::Signer::standard_webhooks(secret)
        .unwrap()
        .sign(id, std::time::SystemTime::now(), &body)
        .unwrap();
    let verifier = webhook_guard::Verifier::standard_webhooks(secret).unwrap();
    (verifier, headers, body)
}

const TENANT_A: &str = "whsec_dGVuYW50IGEncyBzaWduaW5nIGtleQ==";
const TENANT_B: &str = "whsec_dGVuYW50IGIncyBzaWduaW5nIGtleQ==";

#[tokio::test]
async fn two_tenants_on_one_store_each_get_their_event_with_the_same_id() {
    let store = MemoryStore::new();
    let handler = Handler::default();
    let (verifier_a, headers_a, body_a) = tenant(TENANT_A, "evt_1");
    let (verifier_b, headers_b, body_b) = tenant(TENANT_B, "evt_1");
    let route_a = WebhookLayer::new(verifier_a)
        .with_store(store.clone())
        .with_namespace("tenant-a")
        .layer(echo(handler.clone()));
    let route_b = WebhookLayer::new(verifier_b)
        .with_store(store.clone())
        .with_namespace("tenant-b")
        .layer(echo(handler.clone()));
    let a = route_a.oneshot(request(&headers_a, &body_a)).await.unwrap();
    let b = route_b.oneshot(request(&headers_b, &body_b)).await.unwrap();
    assert_eq!((a.status(), b.status()), (StatusCode::OK, StatusCode::OK));
    assert!(!b.headers().contains_key("webhook-duplicate"));
    assert_eq!(handler.successes("evt_1"), 2, "each tenant's event ran");
}

#[test]
fn two_tenants_on_one_store_without_their_own_namespaces_are_refused_when_built() {
    let store = MemoryStore::new();
    let (verifier_a, ..) = tenant(TENANT_A, "evt_1");
    let route_a = WebhookLayer::new(verifier_a).with_store(store.clone());
    let _ = route_a.layer(echo(Handler::default()));
    // The same guard on a second route, and the same sender rotating its
    // key, share the namespace.
    let _ = route_a.layer(echo(Handler::default()));
    let rotating = webhook_guard::Verifier::from_secrets(
        webhook_guard::Scheme::standard_webhooks(),
        [TENANT_B, TENANT_A],
    )
    .unwrap();
    let _ = WebhookLayer::new(rotating)
        .with_store(store.clone())
        .layer(echo(Handler::default()));

    // Another sender with the default namespace: its event IDs would
    // collide with tenant A's.
    let (unrelated, ..) = tenant("whsec_YW5vdGhlciBzZW5kZXIncyBrZXk=", "evt_1");
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = WebhookLayer::new(unrelated)
            .with_store(store.clone())
            .layer(echo(Handler::default()));
    }))
    .unwrap_err();
    let message = refused
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("with_namespace"), "{message}");
    // A guard with its own store is not affected.
    let (unrelated, ..) = tenant(TENANT_B, "evt_1");
    let _ = WebhookLayer::new(unrelated).layer(echo(Handler::default()));
}

/// A request body that never yields a byte.
struct SilentBody;

impl Body for SilentBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Pending
    }
}

impl From<Bytes> for SilentBody {
    fn from(_: Bytes) -> Self {
        Self
    }
}

fn with_body<B>(headers: &HeaderMap, declared: Option<usize>, body: B) -> Request<B> {
    let mut request = Request::post("/hook").body(body).unwrap();
    *request.headers_mut() = headers.clone();
    if let Some(length) = declared {
        request.headers_mut().insert(CONTENT_LENGTH, length.into());
    }
    request
}

#[tokio::test]
async fn a_head_that_cannot_verify_is_refused_before_a_byte_is_read() {
    let service = WebhookLayer::new(verifier()).layer(never_called());
    let (headers, _) = delivery("evt_head_first");
    // No signature header at all.
    let mut unsigned = headers.clone();
    unsigned.remove("webhook-signature");
    // A timestamp an hour old.
    let stale = webhook_guard::Signer::standard_webhooks(crate::fixtures::SECRET)
        .unwrap()
        .sign(
            "evt_head_first",
            std::time::SystemTime::now() - Duration::from_secs(3600),
            b"{}",
        )
        .unwrap();
    // A signature that does not even decode: none can match.
    let mut garbled = headers.clone();
    garbled.insert("webhook-signature", "v1,%%%".parse().unwrap());
    for (headers, status) in [(unsigned, 400), (stale, 401), (garbled, 401)] {
        let body = TrapBody::new(1024, 1024, 0);
        let response = service
            .clone()
            .oneshot(with_body(&headers, Some(1024 * 1024 - 1), body))
            .await
            .unwrap();
        assert_eq!(response.status(), status);
    }
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_408_and_nothing_is_claimed() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier())
        .with_body_timeout(Duration::from_millis(200))
        .unwrap();
    let (headers, body) = delivery("evt_slow_body");
    let silent = layer.clone().layer(never_called());
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        silent.oneshot(with_body(&headers, Some(body.len()), SilentBody)),
    )
    .await
    .expect("cut at the body deadline, not left waiting")
    .unwrap();
    assert_eq!(answer.status(), StatusCode::REQUEST_TIMEOUT);

    // Nothing was claimed: the delivery, sent whole, runs at once.
    let service = layer.layer(echo(handler.clone()));
    let whole = service.oneshot(request(&headers, &body)).await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(handler.calls("evt_slow_body"), 1);
}

#[tokio::test]
async fn past_the_unverified_budget_deliveries_are_503_before_their_body_is_read() {
    let layer = WebhookLayer::new(verifier())
        .with_body_limit(64 * 1024)
        .with_unverified_bytes_limit(64 * 1024);
    let silent = layer.clone().layer(never_called());
    let (headers, _) = delivery("evt_budget");
    // Its head passed: 48 KiB of the budget are held while it (never)
    // arrives. The call itself checks the head.
    let held = silent
        .clone()
        .call(with_body(&headers, Some(48 * 1024), SilentBody));
    let trapped = layer.clone().layer(never_called());
    let refused = trapped
        .clone()
        .oneshot(with_body(
            &headers,
            Some(32 * 1024),
            TrapBody::new(1024, 32, 0),
        ))
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers().contains_key(RETRY_AFTER));
    assert_generic(&body_of(refused).await);

    // A streamed body (no declared length) is refused the moment it would
    // cross the budget: the 17th 1 KiB chunk, and no poll after it.
    let streamed = trapped
        .clone()
        .oneshot(with_body(&headers, None, TrapBody::new(1024, 64, 17)))
        .await
        .unwrap();
    assert_eq!(streamed.status(), StatusCode::SERVICE_UNAVAILABLE);

    // Once the held request goes away, its bytes are free again.
    drop(held);
    let handler = Handler::default();
    let (headers, body) = delivery("evt_budget_freed");
    let service = layer.layer(echo(handler.clone()));
    let mut big = request(&headers, &body);
    big.headers_mut().insert(CONTENT_LENGTH, body.len().into());
    assert_eq!(service.oneshot(big).await.unwrap().status(), 200);
}

/// A request from `peer` (as a server inserts it) with a body that panics
/// if it is polled at all.
fn from_peer(peer: Option<webhook_guard::source::Peer>, event_id: &str) -> Request<TrapBody> {
    let (headers, _) = delivery(event_id);
    let mut request = Request::post("/hook")
        .body(TrapBody::new(16, 1, 0))
        .unwrap();
    *request.headers_mut() = headers;
    if let Some(peer) = peer {
        request.extensions_mut().insert(peer);
    }
    request
}

#[tokio::test]
async fn a_source_not_allowed_is_refused_before_a_byte_of_its_body_is_read() {
    use webhook_guard::source::{AllowedSources, Peer};
    let service = WebhookLayer::new(verifier())
        .with_allowed_sources(AllowedSources::parse("192.0.2.0/24").unwrap())
        .layer(never_called());
    let outside = Peer::new("198.51.100.7:40000".parse().unwrap());
    let response = service
        .clone()
        .oneshot(from_peer(Some(outside), "evt_outside_peer"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_generic(&body_of(response).await);

    // No peer address at all (a server that does not say): fail closed.
    let response = service
        .oneshot(from_peer(None, "evt_no_peer"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_peer_the_server_inserts_decides_the_source_and_https() {
    use webhook_guard::source::{AllowedSources, Peer};
    let handler = Handler::default();
    let service = WebhookLayer::new(verifier())
        .with_allowed_sources(AllowedSources::parse("2001:db8::/32").unwrap())
        .with_required_https()
        .layer(echo(handler.clone()));
    let address = "[2001:db8::7]:443".parse().unwrap();
    let (headers, body) = delivery("evt_peer_tls");
    let mut over_tls = request(&headers, &body);
    over_tls.extensions_mut().insert(Peer::over_tls(address));
    let response = service.clone().oneshot(over_tls).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let (headers, body) = delivery("evt_peer_plain");
    let mut plain = request(&headers, &body);
    plain.extensions_mut().insert(Peer::new(address));
    let response = service.oneshot(plain).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(handler.calls("evt_peer_tls"), 1);
    assert_eq!(handler.calls("evt_peer_plain"), 0);
}
