//! What the delivery span logs: the reason a delivery was rejected, the
//! provider, event ID and outcome — never a secret or a signature.
//!
//! Its own test binary: `tracing` caches per call site whether anyone
//! listens, so a scoped subscriber in a process where other tests log
//! concurrently without one would miss events.
#![cfg(feature = "axum")]

#[path = "delivery/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tower::{Layer, ServiceExt};
use webhook_guard::WebhookLayer;

use crate::fixtures::{Handler, delivery, echo, request, verifier};

const GITHUB_SECRET: &str = "It's a Secret to Everybody";

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything logged (debug and up) while `run` runs on this thread.
fn logs_of(run: impl FnOnce()) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    tracing::subscriber::with_default(subscriber, run);
    String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
}

/// Everything logged while `run` runs to its end on a runtime of its own.
fn logs_of_async(run: impl std::future::Future<Output = ()>) -> String {
    logs_of(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run)
    })
}

/// `logs` say each of `expected`, and none of `secrets`.
fn assert_logs(logs: &str, expected: &[&str], secrets: &[&str]) {
    for expected in expected {
        assert!(
            logs.contains(expected),
            "the logs lack {expected:?}:\n{logs}"
        );
    }
    for secret in secrets {
        assert!(
            !logs.contains(secret),
            "the logs contain {secret:?}:\n{logs}"
        );
    }
}

/// The fixtures' Standard Webhooks secret, in its two spellings, and the
/// signature in `headers`, in base64 and in hex.
fn standard_webhooks_secrets(headers: &http::HeaderMap) -> Vec<String> {
    use base64::Engine as _;

    let signature = headers["webhook-signature"]
        .to_str()
        .unwrap()
        .trim_start_matches("v1,");
    let signature_hex = hex::encode(
        base64::engine::general_purpose::STANDARD
            .decode(signature)
            .unwrap(),
    );
    vec![
        crate::fixtures::SECRET.to_owned(),
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned(),
        signature.to_owned(),
        signature_hex,
    ]
}

#[test]
fn logs_name_the_reason_but_never_the_secret_or_signature() {
    let (headers, body) = delivery("evt_logged");
    let github_body = Bytes::from_static(b"{\"action\":\"opened\"}");
    let github_headers = webhook_guard::Signer::github(GITHUB_SECRET)
        .unwrap()
        .sign(
            "delivery-logged",
            std::time::SystemTime::now(),
            &github_body,
        )
        .unwrap();
    let logs = logs_of_async(async {
        let service = WebhookLayer::new(verifier()).layer(echo(Handler::default()));
        let tampered = Bytes::from_static(b"{\"forged\":true}");
        service
            .clone()
            .oneshot(request(&headers, &tampered))
            .await
            .unwrap();
        service
            .clone()
            .oneshot(request(&headers, &body))
            .await
            .unwrap();
        service.oneshot(request(&headers, &body)).await.unwrap();

        // A provider keyed by fingerprint: its signature must not leak
        // through the key either.
        let github = WebhookLayer::new(webhook_guard::Verifier::github(GITHUB_SECRET).unwrap())
            .layer(echo(Handler::default()));
        github
            .clone()
            .oneshot(request(&github_headers, &github_body))
            .await
            .unwrap();
        github
            .oneshot(request(&github_headers, &github_body))
            .await
            .unwrap();
    });
    let github_signature = github_headers["x-hub-signature-256"]
        .to_str()
        .unwrap()
        .trim_start_matches("sha256=");
    let mut secrets = standard_webhooks_secrets(&headers);
    secrets.extend([
        GITHUB_SECRET.to_owned(),
        github_signature.to_owned(),
        github_signature[..16].to_owned(),
    ]);
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let expected = [
        "reason=\"signature_mismatch\"",
        "provider=\"standard\"",
        "event_id=\"evt_logged\"",
        "key=\"standard:evt_logged\"",
        "outcome=\"accepted\"",
        "outcome=\"duplicate\"",
        "provider=\"github\"",
        "key=\"github:fp:",
    ];
    assert_logs(&logs, &expected, &secrets);
}

#[cfg(feature = "actix")]
#[test]
fn actix_logs_carry_the_same_span_fields_and_no_secret() {
    use actix_web::{App, HttpResponse, test, web};
    use webhook_guard::Verified;

    let (headers, body) = delivery("evt_actix_logged");
    let logs = logs_of(|| {
        actix_web::rt::System::new().block_on(async {
            let app = test::init_service(
                App::new().service(
                    web::resource("/hook")
                        .wrap(WebhookLayer::new(verifier()))
                        .route(web::post().to(|_: Verified| async { HttpResponse::Ok().finish() })),
                ),
            )
            .await;
            let send = |body: Bytes| {
                crate::fixtures::actix_request("/hook", &headers)
                    .set_payload(body)
                    .to_request()
            };
            let forged = Bytes::from_static(b"{\"forged\":true}");
            for payload in [forged, body.clone(), body] {
                test::call_service(&app, send(payload)).await;
            }
        });
    });
    let secrets = standard_webhooks_secrets(&headers);
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let expected = [
        "reason=\"signature_mismatch\"",
        "provider=\"standard\"",
        "event_id=\"evt_actix_logged\"",
        "key=\"standard:evt_actix_logged\"",
        "outcome=\"accepted\"",
        "outcome=\"duplicate\"",
    ];
    assert_logs(&logs, &expected, &secrets);
}

#[test]
fn a_panic_is_logged_at_error_level_in_the_delivery_span_and_not_answered() {
    let (headers, body) = delivery("evt_panic_logged");
    let mut answer = None;
    let logs = logs_of_async(async {
        let handler = Handler::scripted([crate::fixtures::Behaviour::Panic]);
        let service = WebhookLayer::new(verifier()).layer(echo(handler));
        let response = service.oneshot(request(&headers, &body)).await.unwrap();
        let status = response.status();
        let text = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        answer = Some((status, text));
    });
    let (status, text) = answer.unwrap();
    assert_eq!(status, 500);
    assert_eq!(text, "Internal Server Error");
    let secrets = standard_webhooks_secrets(&headers);
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let expected = [
        "ERROR",
        "outcome=\"handler_panicked\"",
        "event_id=\"evt_panic_logged\"",
        "panic=\"the handler panics on purpose\"",
        "claim=\"released\"",
    ];
    assert_logs(&logs, &expected, &secrets);
}

#[test]
fn a_provider_without_timestamps_on_a_store_that_may_lose_records_warns_once() {
    const WARNING: &str = "only its record stops it running again";
    let body = Bytes::from_static(b"{\"action\":\"opened\"}");
    let signer = webhook_guard::Signer::github(GITHUB_SECRET).unwrap();
    let github = || webhook_guard::Verifier::github(GITHUB_SECRET).unwrap();
    let deliver = |service: &mut Vec<_>, id: &str| {
        let headers = signer
            .sign(id, std::time::SystemTime::now(), &body)
            .unwrap();
        service.push(request(&headers, &body));
    };
    let mut requests = Vec::new();
    for id in ["gh-1", "gh-2", "gh-3"] {
        deliver(&mut requests, id);
    }
    let run = |layer: WebhookLayer<_>, requests: Vec<_>| {
        logs_of_async(async {
            let service = layer.layer(echo(Handler::default()));
            for request in requests {
                service.clone().oneshot(request).await.unwrap();
            }
        })
    };
    let on_memory = run(WebhookLayer::new(github()), requests);
    assert_eq!(on_memory.matches(WARNING).count(), 1, "{on_memory}");

    // A provider that signs timestamps has a replay window: no warning.
    let (headers, body) = delivery("evt_timestamped");
    let timestamped = run(
        WebhookLayer::new(verifier()),
        vec![request(&headers, &body)],
    );
    assert!(!timestamped.contains(WARNING), "{timestamped}");
}

#[test]
fn a_durable_store_is_not_warned_about() {
    let body = Bytes::from_static(b"{\"action\":\"opened\"}");
    let headers = webhook_guard::Signer::github(GITHUB_SECRET)
        .unwrap()
        .sign("gh-durable", std::time::SystemTime::now(), &body)
        .unwrap();
    let logs = logs_of_async(async {
        let service = WebhookLayer::new(webhook_guard::Verifier::github(GITHUB_SECRET).unwrap())
            .with_store(crate::fixtures::DownStore)
            .layer(echo(Handler::default()));
        service.oneshot(request(&headers, &body)).await.unwrap();
    });
    assert!(logs.contains("provider=\"github\""), "{logs}");
    assert!(!logs.contains("only its record stops it"), "{logs}");
}
