//! What only actix-web shows: its choice about clients that hang up, scopes,
//! and the payload handed on, through its in-process test service.

use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, test, web};
use bytes::Bytes;
use webhook_guard::{Verified, WebhookLayer};

use crate::actix_face::Actix;
use crate::fixtures::{Behaviour, Handler, delivery, verifier};
use crate::suite::{post, start_first_attempt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_drops_abandoned_requests_releases_their_claims() {
    // With half-closed connections refused, actix-web drops the request's
    // future when the client hangs up: the middleware releases the claim,
    // and the retry runs the handler at once instead of waiting for the
    // lease to end.
    let handler = Handler::scripted([Behaviour::Hang]);
    let server = Actix::serve_with(WebhookLayer::new(verifier()), handler.clone(), false);
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

/// A request for actix-web's in-process test service, carrying `headers`.
fn test_request(path: &str, headers: &http::HeaderMap, body: Bytes) -> test::TestRequest {
    let mut request = test::TestRequest::post().uri(path).set_payload(body);
    for (name, value) in headers {
        request = request.insert_header((name.as_str(), value.to_str().unwrap()));
    }
    request
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
        test_request("/webhooks/orders", &headers, body.clone()).to_request(),
    )
    .await;
    assert_eq!(first.status(), 200);
    // One scope, one guard, one namespace: the same event on a sibling
    // route is a duplicate.
    let sibling = test::call_service(
        &app,
        test_request("/webhooks/refunds", &headers, body).to_request(),
    )
    .await;
    assert_eq!(sibling.headers().get("webhook-duplicate").unwrap(), "true");
    let forged = Bytes::from_static(b"{\"forged\":true}");
    let rejected = test::call_service(
        &app,
        test_request("/webhooks/refunds", &headers, forged).to_request(),
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
    let request = test_request("/hook", &headers, body.clone()).to_request();
    assert_eq!(test::call_service(&app, request).await.status(), 200);
    assert_eq!(
        *seen.lock().unwrap(),
        [(body.as_ptr() as usize, body.len())],
        "the handler's payload is the sent buffer itself, in one piece, not a copy"
    );
}
