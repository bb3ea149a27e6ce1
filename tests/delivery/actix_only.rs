//! What only actix-web shows: its choice about clients that hang up.

use std::time::{Duration, Instant};

use webhook_guard::WebhookLayer;

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
