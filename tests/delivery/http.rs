//! The contract over real loopback HTTP: an axum server guarded by
//! `WebhookLayer`, and a hyper client.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Extension;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use webhook_guard::axum::Webhook;
use webhook_guard::{Verified, WebhookLayer};

use crate::fixtures::{Behaviour, Handler, assert_generic, delivery, verifier};

async fn on_event(
    State(handler): State<Handler>,
    verified: Verified,
    Webhook(_event): Webhook<serde_json::Value>,
) -> StatusCode {
    let status = handler.run(verified.event_id().unwrap()).await;
    StatusCode::from_u16(status).unwrap()
}

/// The same handler with axum's own extractors only: what works without
/// this crate's `axum` feature.
async fn on_event_plain(
    State(handler): State<Handler>,
    Extension(verified): Extension<Verified>,
    body: Bytes,
) -> StatusCode {
    assert!(!body.is_empty());
    let status = handler.run(verified.event_id().unwrap()).await;
    StatusCode::from_u16(status).unwrap()
}

/// Serves `/hook` (guarded by `layer`), `/plain` (guarded, axum's own
/// extractors) and `/unguarded` (the handler without the layer) on a
/// loopback port.
async fn serve(handler: Handler, layer: WebhookLayer) -> SocketAddr {
    let app = Router::new()
        .route("/hook", post(on_event).layer(layer.clone()))
        .route("/plain", post(on_event_plain).layer(layer))
        .route("/unguarded", post(on_event))
        .with_state(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

fn post_to(
    address: SocketAddr,
    path: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Request<Full<Bytes>> {
    let mut request = Request::post(format!("http://{address}{path}"))
        .header("content-type", "application/json")
        .body(Full::from(body.clone()))
        .unwrap();
    request.headers_mut().extend(headers.clone());
    request
}

async fn send(
    client: &Client<HttpConnector, Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> (StatusCode, HeaderMap, Bytes) {
    let response: Response<_> = client.request(request).await.expect("the server answers");
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_identical_deliveries_run_the_handler_once() {
    let handler = Handler::scripted([Behaviour::Sleep(Duration::from_millis(200))]);
    let address = serve(handler.clone(), WebhookLayer::new(verifier())).await;
    let (headers, body) = delivery("evt_concurrent");
    let client = client();
    let sends: Vec<_> = (0..100)
        .map(|_| {
            let (client, request) = (client.clone(), post_to(address, "/hook", &headers, &body));
            tokio::spawn(async move { send(&client, request).await })
        })
        .collect();
    let (mut processed, mut duplicates, mut in_flight) = (0, 0, 0);
    for sent in sends {
        let (status, headers, body) = sent.await.unwrap();
        match status.as_u16() {
            200 if headers.contains_key("webhook-duplicate") => duplicates += 1,
            200 => processed += 1,
            409 => {
                assert!(headers.contains_key("retry-after"));
                assert_generic(&body);
                in_flight += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(processed, 1, "exactly one delivery is processed");
    assert_eq!(processed + duplicates + in_flight, 100);
    assert_eq!(
        handler.calls("evt_concurrent"),
        1,
        "the handler ran exactly once"
    );
}

#[tokio::test]
async fn a_failed_first_attempt_is_processed_on_retry() {
    let handler = Handler::scripted([Behaviour::Fail]);
    let address = serve(handler.clone(), WebhookLayer::new(verifier())).await;
    let (headers, body) = delivery("evt_retry");
    let client = client();
    assert_eq!(
        send(&client, post_to(address, "/hook", &headers, &body))
            .await
            .0,
        500
    );
    let (status, response_headers, _) =
        send(&client, post_to(address, "/hook", &headers, &body)).await;
    assert_eq!(status, 200);
    assert!(!response_headers.contains_key("webhook-duplicate"));
    let (_, duplicate, _) = send(&client, post_to(address, "/hook", &headers, &body)).await;
    assert_eq!(duplicate["webhook-duplicate"], "true");
    assert_eq!(handler.successes("evt_retry"), 1);
}

#[tokio::test]
async fn a_panicking_handler_releases_the_claim() {
    let handler = Handler::scripted([Behaviour::Panic]);
    let address = serve(handler.clone(), WebhookLayer::new(verifier())).await;
    let (headers, body) = delivery("evt_http_panic");
    // The panic aborts the connection's task: the client sees an error.
    let crashed = client()
        .request(post_to(address, "/hook", &headers, &body))
        .await;
    assert!(crashed.is_err());
    let (status, _, _) = send(&client(), post_to(address, "/hook", &headers, &body)).await;
    assert_eq!(status, 200, "the retry after a panic is processed");
    assert_eq!(handler.successes("evt_http_panic"), 1);
}

#[tokio::test]
async fn a_client_that_disconnects_mid_handler_releases_the_claim() {
    let handler = Handler::scripted([Behaviour::Hang]);
    let address = serve(handler.clone(), WebhookLayer::new(verifier())).await;
    let (headers, body) = delivery("evt_disconnect");
    let impatient = client();
    let gave_up = tokio::time::timeout(
        Duration::from_millis(300),
        impatient.request(post_to(address, "/hook", &headers, &body)),
    )
    .await;
    assert!(
        gave_up.is_err(),
        "the first attempt hangs until the client leaves"
    );
    drop(impatient); // closes the connection

    // The server notices the closed connection and drops the handler; the
    // claim is released. Retry until it is (bounded).
    let client = client();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _, _) = send(&client, post_to(address, "/hook", &headers, &body)).await;
        if status == 200 {
            break;
        }
        assert_eq!(status, 409, "only in flight until the release");
        assert!(
            tokio::time::Instant::now() < deadline,
            "the claim was never released"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(handler.calls("evt_disconnect"), 2);
    assert_eq!(handler.successes("evt_disconnect"), 1);
}

#[tokio::test]
async fn an_over_limit_body_is_refused_with_413() {
    let handler = Handler::default();
    let address = serve(
        handler.clone(),
        WebhookLayer::new(verifier()).with_body_limit(1024),
    )
    .await;
    let (headers, _) = delivery("evt_large");
    let large = Bytes::from(vec![b' '; 4096]);
    let (status, _, body) = send(&client(), post_to(address, "/hook", &headers, &large)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_generic(&body);
    assert_eq!(handler.calls("evt_large"), 0);
}

#[tokio::test]
async fn every_rejection_over_http_is_generic() {
    let address = serve(Handler::default(), WebhookLayer::new(verifier())).await;
    let (headers, body) = delivery("evt_generic");
    let client = client();
    let forged = Bytes::from_static(b"{\"forged\":true}");
    let mut no_signature = headers.clone();
    no_signature.remove("webhook-signature");
    for (headers, body, expected) in [(&headers, &forged, 401), (&no_signature, &body, 400)] {
        let (status, _, response) = send(&client, post_to(address, "/hook", headers, body)).await;
        assert_eq!(status, expected);
        assert_generic(&response);
    }
}

#[tokio::test]
async fn axum_extension_and_bytes_work_without_the_extractors() {
    let handler = Handler::default();
    let address = serve(handler.clone(), WebhookLayer::new(verifier())).await;
    let (headers, body) = delivery("evt_plain");
    let client = client();
    assert_eq!(
        send(&client, post_to(address, "/plain", &headers, &body))
            .await
            .0,
        200
    );
    let (_, duplicate, _) = send(&client, post_to(address, "/plain", &headers, &body)).await;
    assert_eq!(duplicate["webhook-duplicate"], "true");
    assert_eq!(handler.successes("evt_plain"), 1);
}

#[tokio::test]
async fn extractors_on_a_route_without_the_layer_say_so() {
    let address = serve(Handler::default(), WebhookLayer::new(verifier())).await;
    let (headers, body) = delivery("evt_unguarded");
    let (status, _, response) =
        send(&client(), post_to(address, "/unguarded", &headers, &body)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let text = String::from_utf8_lossy(&response);
    assert!(
        text.contains("is `WebhookLayer` installed on this route?"),
        "{text}"
    );
}

/// A request body of `chunks` frames of 1 KiB with no declared length: the
/// client sends it chunked.
struct Chunked {
    chunks: usize,
}

impl http_body::Body for Chunked {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.chunks == 0 {
            return std::task::Poll::Ready(None);
        }
        self.chunks -= 1;
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(vec![
            b' ';
            1024
        ])))))
    }
}

#[tokio::test]
async fn a_chunked_body_crossing_the_limit_gets_413() {
    let handler = Handler::default();
    let address = serve(
        handler.clone(),
        WebhookLayer::new(verifier()).with_body_limit(2048),
    )
    .await;
    let (headers, _) = delivery("evt_chunked");
    // No Content-Length: the limit is found while reading, chunk by chunk.
    let mut request = Request::post(format!("http://{address}/hook"))
        .body(Chunked { chunks: 8 })
        .unwrap();
    request.headers_mut().extend(headers);
    let client: Client<HttpConnector, Chunked> = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(handler.calls("evt_chunked"), 0);
}

#[tokio::test]
async fn a_body_over_axums_default_limit_is_processed_when_the_layer_allows_it() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier()).with_body_limit(4 * 1024 * 1024);
    let address = serve(handler.clone(), layer).await;
    let mut payload = br#"{"type":"bulk.export","data":""#.to_vec();
    payload.resize(3 * 1024 * 1024, b'x');
    payload.extend_from_slice(b"\"}");
    let body = Bytes::from(payload);
    let headers = webhook_guard::Signer::standard_webhooks(crate::fixtures::SECRET)
        .unwrap()
        .sign("evt_large_ok", std::time::SystemTime::now(), &body)
        .unwrap();
    let (status, _, _) = send(&client(), post_to(address, "/hook", &headers, &body)).await;
    assert_eq!(
        status, 200,
        "a 3 MiB delivery within the layer's limit is processed"
    );
    assert_eq!(handler.successes("evt_large_ok"), 1);
}
