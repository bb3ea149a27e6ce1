//! What only actix-web shows: its choice about clients that hang up, scopes,
//! the payload read and handed on, and the one answer that is an error —
//! through its in-process test service, or the middleware service itself.

use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::error::PayloadError;
use actix_web::{App, HttpResponse, test, web};
use bytes::Bytes;
use webhook_guard::actix::RefusedDelivery;
use webhook_guard::delivery::Rejection;
use webhook_guard::{Verified, WebhookLayer};

use crate::actix_face::Actix;
use crate::fixtures::{
    Bare, Behaviour, Handler, actix_request, assert_generic, delivery, verifier,
};
use crate::suite::{post, start_first_attempt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_drops_abandoned_requests_releases_their_claims() {
    // With half-closed connections refused, actix-web drops the request's
    // future when the client hangs up: the middleware releases the claim,
    // and the retry runs the handler at once instead of waiting for the
    // lease to end.
    let handler = Handler::scripted([Behaviour::Hang]);
    let server = Actix::serve_with(
        WebhookLayer::new(verifier()),
        handler.clone(),
        false,
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    );
    let (headers, body) = delivery("evt_actix_hang_up");
    let first = start_first_attempt(
        server.address,
        &handler,
        "evt_actix_hang_up",
        &headers,
        &body,
    )
    .await;
    first.abort();
    let _ = first.await;

    let deadline = Instant::now() + Duration::from_secs(10);
    let retry = loop {
        let answer = post(server.address, "/hook", &headers, &body).await;
        if answer.status != 409 {
            break answer;
        }
        assert!(Instant::now() < deadline, "the claim was never released");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(retry.status, 200);
    assert!(!retry.is_duplicate(), "the retry ran the handler");
    assert_eq!(handler.calls("evt_actix_hang_up"), 2);
    assert_eq!(handler.successes("evt_actix_hang_up"), 1);
}

#[actix_web::test]
async fn a_guarded_scope_guards_every_route_in_it() {
    let handler = Handler::default();
    let on_event = |handler: web::Data<Handler>, verified: Verified| async move {
        let status = handler.run(verified.event_id().unwrap()).await;
        HttpResponse::new(actix_web::http::StatusCode::from_u16(status).unwrap())
    };
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(handler.clone()))
            .service(
                web::scope("/webhooks")
                    .wrap(WebhookLayer::new(verifier()))
                    .route("/orders", web::post().to(on_event))
                    .route("/refunds", web::post().to(on_event)),
            ),
    )
    .await;
    let (headers, body) = delivery("evt_scoped");
    let first = test::call_service(
        &app,
        actix_request("/webhooks/orders", &headers)
            .set_payload(body.clone())
            .to_request(),
    )
    .await;
    assert_eq!(first.status(), 200);
    // One scope, one guard, one namespace: the same event on a sibling
    // route is a duplicate.
    let sibling = test::call_service(
        &app,
        actix_request("/webhooks/refunds", &headers)
            .set_payload(body)
            .to_request(),
    )
    .await;
    assert_eq!(sibling.headers().get("webhook-duplicate").unwrap(), "true");
    let forged = Bytes::from_static(b"{\"forged\":true}");
    let rejected = test::call_service(
        &app,
        actix_request("/webhooks/refunds", &headers)
            .set_payload(forged)
            .to_request(),
    )
    .await;
    assert_eq!(rejected.status(), 401);
    assert_eq!(handler.calls("evt_scoped"), 1);
}

#[actix_web::test]
async fn the_handler_reads_the_very_bytes_that_were_verified() {
    use futures_util::StreamExt;

    // `web::Payload` yields the payload as it is; (`web::Bytes` would
    // gather it into a buffer of its own, which is actix-web's choice).
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = {
        let seen = seen.clone();
        move |mut payload: web::Payload, verified: Verified| {
            let seen = seen.clone();
            async move {
                assert!(verified.event_id().is_some());
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk.unwrap();
                    seen.lock()
                        .unwrap()
                        .push((chunk.as_ptr() as usize, chunk.len()));
                }
                HttpResponse::Ok().finish()
            }
        }
    };
    let app = test::init_service(
        App::new().service(
            web::resource("/hook")
                .wrap(WebhookLayer::new(verifier()))
                .route(web::post().to(record)),
        ),
    )
    .await;
    let (headers, body) = delivery("evt_same_buffer");
    let request = actix_request("/hook", &headers)
        .set_payload(body.clone())
        .to_request();
    assert_eq!(test::call_service(&app, request).await.status(), 200);
    assert_eq!(
        *seen.lock().unwrap(),
        [(body.as_ptr() as usize, body.len())],
        "the handler's payload is the sent buffer itself, in one piece, not a copy"
    );
}

/// The layer's middleware around a handler that records whether a request
/// reached it.
async fn middleware(
    layer: WebhookLayer,
) -> (
    impl Service<
        ServiceRequest,
        Response = ServiceResponse<EitherBody<BoxBody>>,
        Error = actix_web::Error,
    >,
    std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    let reached = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let handler = {
        let reached = reached.clone();
        actix_web::dev::fn_service(move |request: ServiceRequest| {
            reached.store(true, std::sync::atomic::Ordering::SeqCst);
            async move { Ok(request.into_response(HttpResponse::Ok().finish())) }
        })
    };
    (layer.new_transform(handler).await.unwrap(), reached)
}

/// A payload of 1 KiB chunks that panics if polled more than `allowed`
/// times: proof that the middleware stops reading where it says it does.
fn trap_payload(allowed: usize) -> Payload {
    let chunks = (0..).map(move |poll| {
        assert!(poll < allowed, "the payload was read past the limit");
        Ok::<_, PayloadError>(Bytes::from(vec![b'x'; 1024]))
    });
    Payload::Stream {
        payload: Box::pin(futures_util::stream::iter(chunks)),
    }
}

#[actix_web::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let (service, reached) = middleware(WebhookLayer::new(verifier()).with_body_limit(4096)).await;
    let (headers, _) = delivery("evt_actix_declared");
    let mut request = actix_request("/hook", &headers)
        .insert_header(("content-length", "4097"))
        .to_srv_request();
    request.set_payload(trap_payload(0));
    let response = service.call(request).await.unwrap();
    assert_eq!(response.status(), 413);
    assert_generic(&test::read_body(response).await);
    assert!(!reached.load(std::sync::atomic::Ordering::SeqCst));
}

#[actix_web::test]
async fn a_streamed_payload_crossing_the_limit_is_refused_at_that_moment() {
    let (service, reached) = middleware(WebhookLayer::new(verifier()).with_body_limit(4096)).await;
    let (headers, _) = delivery("evt_actix_streamed");
    // Four 1 KiB chunks fill the limit, the fifth crosses it; a sixth poll panics.
    let mut request = actix_request("/hook", &headers).to_srv_request();
    request.set_payload(trap_payload(5));
    let response = service.call(request).await.unwrap();
    assert_eq!(response.status(), 413);
    assert!(!reached.load(std::sync::atomic::Ordering::SeqCst));
}

#[actix_web::test]
async fn an_unreadable_payload_is_a_generic_bad_request() {
    let (service, reached) = middleware(WebhookLayer::new(verifier())).await;
    let (headers, _) = delivery("evt_actix_broken");
    let broken = futures_util::stream::iter([
        Ok(Bytes::from_static(b"{\"partial\":")),
        Err(PayloadError::Incomplete(None)),
    ]);
    let mut request = actix_request("/hook", &headers).to_srv_request();
    request.set_payload(Payload::Stream {
        payload: Box::pin(broken),
    });
    let response = service.call(request).await.unwrap();
    assert_eq!(response.status(), 400);
    assert_generic(&test::read_body(response).await);
    assert!(!reached.load(std::sync::atomic::Ordering::SeqCst));
}

#[actix_web::test]
async fn a_handler_cancelled_at_its_lease_is_answered_with_a_refused_delivery_error() {
    let handler = Handler::scripted([Behaviour::Sleep(Duration::from_secs(30))]);
    let on_event = |handler: web::Data<Handler>, verified: Verified| async move {
        let status = handler.run(verified.event_id().unwrap()).await;
        HttpResponse::new(actix_web::http::StatusCode::from_u16(status).unwrap())
    };
    let layer = WebhookLayer::new(verifier())
        .with_lease(Duration::from_millis(500))
        .unwrap()
        .with_responder(Bare);
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(handler.clone()))
            .service(
                web::resource("/hook")
                    .wrap(layer)
                    .route(web::post().to(on_event)),
            ),
    )
    .await;
    let (headers, body) = delivery("evt_actix_cancelled");
    let request = || {
        actix_request("/hook", &headers)
            .set_payload(body.clone())
            .to_request()
    };

    let error = match test::try_call_service(&app, request()).await {
        Err(error) => error,
        Ok(response) => panic!(
            "expected the RefusedDelivery error, got {}",
            response.status()
        ),
    };
    let refused = error
        .as_error::<RefusedDelivery>()
        .expect("a RefusedDelivery");
    assert!(matches!(
        refused.rejection(),
        Rejection::HandlerTimedOut { .. }
    ));
    // What the sender gets: the responder's answer (status only) plus the
    // contract's Retry-After.
    let response = error.error_response();
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let body_bytes = actix_web::body::to_bytes(response.into_body())
        .await
        .unwrap();
    assert!(body_bytes.is_empty(), "the Bare responder's own body");

    // The claim was released: the retry runs the handler.
    let retry = test::call_service(&app, request()).await;
    assert_eq!(retry.status(), 200);
    assert_eq!(handler.calls("evt_actix_cancelled"), 2);
    assert_eq!(handler.successes("evt_actix_cancelled"), 1);
}

#[actix_web::test]
async fn unrelated_guards_on_one_store_and_namespace_are_refused_when_built() {
    use webhook_guard::idempotency::MemoryStore;

    let store = MemoryStore::new();
    let tenant_a = WebhookLayer::new(verifier()).with_store(store.clone());
    let tenant_b = WebhookLayer::new(
        webhook_guard::Verifier::standard_webhooks("whsec_YW5vdGhlciBzZW5kZXIncyBrZXk=").unwrap(),
    )
    .with_store(store);
    let a = tenant_a.new_transform(test::ok_service()).await;
    assert!(a.is_ok());
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        drop(tenant_b.new_transform(test::ok_service()));
    }))
    .unwrap_err();
    let message = refused
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("with_namespace"), "{message}");
    // With its own namespace, it is built.
    let b = tenant_b
        .with_namespace("tenant-b")
        .new_transform(test::ok_service())
        .await;
    assert!(b.is_ok());
}

/// A payload that never yields a byte.
fn silent_payload() -> Payload {
    Payload::Stream {
        payload: Box::pin(futures_util::stream::pending::<Result<Bytes, PayloadError>>()),
    }
}

#[actix_web::test]
async fn a_head_that_cannot_verify_is_refused_before_a_byte_is_read() {
    let (service, reached) = middleware(WebhookLayer::new(verifier())).await;
    let (mut headers, _) = delivery("evt_actix_head_first");
    headers.remove("webhook-signature");
    let mut request = actix_request("/hook", &headers)
        .insert_header(("content-length", (1024 * 1024 - 1).to_string()))
        .to_srv_request();
    request.set_payload(trap_payload(0));
    let response = service.call(request).await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(!reached.load(std::sync::atomic::Ordering::SeqCst));
}

#[actix_web::test]
async fn a_payload_that_does_not_arrive_in_time_is_408() {
    let layer = WebhookLayer::new(verifier())
        .with_body_timeout(Duration::from_millis(200))
        .unwrap();
    let (service, reached) = middleware(layer).await;
    let (headers, body) = delivery("evt_actix_slow_body");
    let mut request = actix_request("/hook", &headers)
        .insert_header(("content-length", body.len().to_string()))
        .to_srv_request();
    request.set_payload(silent_payload());
    let response = tokio::time::timeout(Duration::from_secs(10), service.call(request))
        .await
        .expect("cut at the body deadline")
        .unwrap();
    assert_eq!(response.status(), 408);
    assert!(!reached.load(std::sync::atomic::Ordering::SeqCst));
}

#[actix_web::test]
async fn past_the_unverified_budget_a_payload_is_503_before_it_is_read() {
    let layer = WebhookLayer::new(verifier())
        .with_body_limit(64 * 1024)
        .with_unverified_bytes_limit(64 * 1024);
    let (service, reached) = middleware(layer).await;
    let (headers, _) = delivery("evt_actix_budget");
    let mut held = actix_request("/hook", &headers)
        .insert_header(("content-length", (48 * 1024).to_string()))
        .to_srv_request();
    held.set_payload(silent_payload());
    // Polled once: its head passed, and it waits for its payload holding
    // 48 KiB of the budget.
    let mut held = Box::pin(service.call(held));
    std::future::poll_fn(|cx| {
        assert!(held.as_mut().poll(cx).is_pending());
        std::task::Poll::Ready(())
    })
    .await;
    let mut refused = actix_request("/hook", &headers)
        .insert_header(("content-length", (32 * 1024).to_string()))
        .to_srv_request();
    refused.set_payload(trap_payload(0));
    let response = service.call(refused).await.unwrap();
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert!(!reached.load(std::sync::atomic::Ordering::SeqCst));
    drop(held);
}
