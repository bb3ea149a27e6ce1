use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use std::convert::Infallible;

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::{BodyExt, Full};
use tower::{Service, service_fn};
use webhook_guard::idempotency::{
    BoxStoreFuture, Claim, ClaimToken, IdempotencyKey, IdempotencyStore, MemoryStore, StoreError,
};
use webhook_guard::{Signer, Verified, Verifier};

pub(crate) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

pub(crate) fn verifier() -> Verifier {
    Verifier::standard_webhooks(SECRET).unwrap()
}

/// A delivery of event `id`, signed now: its headers and body.
pub(crate) fn delivery(id: &str) -> (HeaderMap, Bytes) {
    let body = Bytes::from(format!(r#"{{"type":"invoice.paid","id":"{id}"}}"#));
    let headers = Signer::standard_webhooks(SECRET)
        .unwrap()
        .sign(id, SystemTime::now(), &body)
        .unwrap();
    (headers, body)
}

/// What handlers count a delivery under when its event ID is absent or not
/// covered by the signature (Slack form posts; GitHub's delivery header).
pub(crate) const UNSIGNED: &str = "unsigned";

/// The name a handler counts `verified` under: its event ID where the
/// signature covers it, [`UNSIGNED`] otherwise.
pub(crate) fn label(verified: &Verified) -> &str {
    verified
        .event_id()
        .filter(|_| verified.event_id_is_signed())
        .unwrap_or(UNSIGNED)
}

/// A request for actix-web's in-process test service: `POST path` with
/// `headers` (no body; add one with `set_payload`).
#[cfg(feature = "actix")]
pub(crate) fn actix_request(path: &str, headers: &HeaderMap) -> actix_web::test::TestRequest {
    let mut request = actix_web::test::TestRequest::post().uri(path);
    for (name, value) in headers {
        request = request.insert_header((name.as_str(), value.to_str().unwrap()));
    }
    request
}

/// How a test handler behaves on its n-th call (0-based) for one event.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Behaviour {
    Succeed,
    Fail,
    Status(u16),
    Panic,
    Hang,
    Sleep(Duration),
    /// Blocks its thread (`std::thread::sleep`), so it cannot be cancelled.
    Block(Duration),
}

/// Counts how often the handler ran, per event, and decides how each call
/// behaves.
#[derive(Clone, Default)]
pub(crate) struct Handler {
    calls: Arc<Mutex<HashMap<String, usize>>>,
    script: Arc<Vec<Behaviour>>,
    completed: Arc<Mutex<HashMap<String, usize>>>,
}

impl Handler {
    /// Behaves as `script` says on calls 0, 1, …, and succeeds after that.
    pub(crate) fn scripted(script: impl Into<Vec<Behaviour>>) -> Self {
        Self {
            script: Arc::new(script.into()),
            ..Self::default()
        }
    }

    /// Runs one call for `event_id`: returns the status to answer.
    pub(crate) async fn run(&self, event_id: &str) -> u16 {
        let call = {
            let mut calls = self.calls.lock().unwrap();
            let count = calls.entry(event_id.to_owned()).or_default();
            *count += 1;
            *count - 1
        };
        match self.script.get(call).copied().unwrap_or(Behaviour::Succeed) {
            Behaviour::Succeed => {}
            Behaviour::Fail => return 500,
            Behaviour::Status(status) => return status,
            Behaviour::Panic => panic!("the handler panics on purpose"),
            Behaviour::Hang => std::future::pending::<()>().await,
            Behaviour::Sleep(duration) => tokio::time::sleep(duration).await,
            Behaviour::Block(duration) => std::thread::sleep(duration),
        }
        *self
            .completed
            .lock()
            .unwrap()
            .entry(event_id.to_owned())
            .or_default() += 1;
        200
    }

    /// How many times the handler started, for any event.
    pub(crate) fn total_calls(&self) -> usize {
        self.calls.lock().unwrap().values().sum()
    }

    /// How many times the handler started for `event_id`.
    pub(crate) fn calls(&self, event_id: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .get(event_id)
            .copied()
            .unwrap_or(0)
    }

    /// How many times the handler ran to success for `event_id`.
    pub(crate) fn successes(&self, event_id: &str) -> usize {
        self.completed
            .lock()
            .unwrap()
            .get(event_id)
            .copied()
            .unwrap_or(0)
    }
}

/// A memory store behind a slow network: every claim is answered `delay`
/// late (the claim itself happens at once, as a remote server would apply
/// it before its answer arrives).
#[derive(Debug, Clone)]
pub(crate) struct SlowStore {
    pub(crate) inner: MemoryStore,
    pub(crate) delay: Duration,
}

impl IdempotencyStore for SlowStore {
    type ClaimFuture = BoxStoreFuture<Claim>;
    type FinishFuture = <MemoryStore as IdempotencyStore>::FinishFuture;

    fn claim(&self, key: &IdempotencyKey, lease: Duration) -> Self::ClaimFuture {
        let answer = self.inner.claim(key, lease).into_inner();
        let delay = self.delay;
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            answer
        })
    }

    fn complete(
        &self,
        key: &IdempotencyKey,
        token: &ClaimToken,
        retention: Duration,
    ) -> Self::FinishFuture {
        self.inner.complete(key, token, retention)
    }

    fn release(&self, key: &IdempotencyKey, token: &ClaimToken) -> Self::FinishFuture {
        self.inner.release(key, token)
    }
}

/// A store whose server is down: every operation fails as a network store's
/// would. (The memory store cannot be unreachable; Redis and PostgreSQL are
/// stopped for real in their own tests.)
#[derive(Debug, Clone, Default)]
pub(crate) struct DownStore;

impl IdempotencyStore for DownStore {
    type ClaimFuture = BoxStoreFuture<Claim>;
    type FinishFuture = BoxStoreFuture<bool>;

    fn claim(&self, _: &IdempotencyKey, _: Duration) -> Self::ClaimFuture {
        Box::pin(async { Err(down()) })
    }

    fn complete(&self, _: &IdempotencyKey, _: &ClaimToken, _: Duration) -> Self::FinishFuture {
        Box::pin(async { Err(down()) })
    }

    fn release(&self, _: &IdempotencyKey, _: &ClaimToken) -> Self::FinishFuture {
        Box::pin(async { Err(down()) })
    }
}

/// A memory store whose server stops answering completions (a restart, a
/// failover) for the first `failures` of them.
#[derive(Debug, Clone)]
pub(crate) struct UnrecordingStore {
    pub(crate) inner: MemoryStore,
    pub(crate) failures: Arc<std::sync::atomic::AtomicUsize>,
}

impl UnrecordingStore {
    pub(crate) fn failing(failures: usize) -> Self {
        Self {
            inner: MemoryStore::new(),
            failures: Arc::new(failures.into()),
        }
    }
}

impl IdempotencyStore for UnrecordingStore {
    type ClaimFuture = <MemoryStore as IdempotencyStore>::ClaimFuture;
    type FinishFuture = BoxStoreFuture<bool>;

    fn claim(&self, key: &IdempotencyKey, lease: Duration) -> Self::ClaimFuture {
        self.inner.claim(key, lease)
    }

    fn complete(
        &self,
        key: &IdempotencyKey,
        token: &ClaimToken,
        retention: Duration,
    ) -> Self::FinishFuture {
        use std::sync::atomic::Ordering;
        let failing = self
            .failures
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_ok();
        // A server that does not answer does not apply the command either.
        if failing {
            return Box::pin(async { Err(down()) });
        }
        let answer = self.inner.complete(key, token, retention).into_inner();
        Box::pin(async move { answer })
    }

    fn release(&self, key: &IdempotencyKey, token: &ClaimToken) -> Self::FinishFuture {
        let answer = self.inner.release(key, token).into_inner();
        Box::pin(async move { answer })
    }
}

fn down() -> StoreError {
    StoreError::Unavailable {
        reason: "connection refused".to_owned(),
    }
}

pub(crate) type Reply = Response<Full<Bytes>>;

/// A request to the guarded route carrying `headers` and `body`.
pub(crate) fn request(headers: &HeaderMap, body: &Bytes) -> Request<Full<Bytes>> {
    let mut request = Request::post("/hook")
        .body(Full::from(body.clone()))
        .unwrap();
    *request.headers_mut() = headers.clone();
    request
}

/// An inner service that runs `handler` for the verified event and echoes
/// the body it was given.
pub(crate) fn echo(
    handler: Handler,
) -> impl Service<Request<Full<Bytes>>, Response = Reply, Error = Infallible, Future: Send> + Clone
{
    service_fn(move |request: Request<Full<Bytes>>| {
        let handler = handler.clone();
        async move {
            let verified = request
                .extensions()
                .get::<Verified>()
                .cloned()
                .expect("the layer puts Verified in the extensions");
            let body = request.into_body().collect().await.unwrap().to_bytes();
            let status = handler.run(verified.event_id().unwrap()).await;
            Ok(Response::builder()
                .status(status)
                .body(Full::from(body))
                .unwrap())
        }
    })
}

/// Words a response body must never contain: which check failed, or any
/// part of a secret or signature.
pub(crate) fn assert_generic(body: &[u8]) {
    let text = String::from_utf8_lossy(body).to_lowercase();
    for word in [
        "signature",
        "timestamp",
        "mismatch",
        "tolerance",
        "header",
        "webhook-",
        "secret",
        "key",
        "v1,",
        "whsec",
    ] {
        assert!(!text.contains(word), "response body {text:?} says {word:?}");
    }
}

/// A responder that sends the status alone: no body, no headers. The layer
/// must still add the contract's headers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bare;

impl<B: From<Bytes>> webhook_guard::delivery::Responder<B> for Bare {
    fn respond(&self, rejection: &webhook_guard::delivery::Rejection) -> Response<B> {
        let mut response = Response::new(B::from(Bytes::new()));
        *response.status_mut() = rejection.status();
        response
    }
}
