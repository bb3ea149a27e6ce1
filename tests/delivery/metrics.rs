//! The `metrics` feature: every outcome of a delivery moves its counter,
//! each timed step records its histogram, and no label carries an event ID
//! — read back through `metrics-util`'s debugging recorder, installed for
//! this thread only (the test's runtime polls every future on it).

use std::future::Future;
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use tower::{Layer, ServiceExt};
use webhook_guard::WebhookLayer;
use webhook_guard::idempotency::MemoryStore;
use webhook_guard::source::AllowedSources;

use crate::fixtures::{Behaviour, DownStore, Handler, delivery, echo, request, verifier};

/// Runs `test` on a runtime of this thread, with `recorder` as its
/// metrics recorder.
fn recorded<F: Future<Output = ()>>(recorder: &DebuggingRecorder, test: impl FnOnce() -> F) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    metrics::with_local_recorder(recorder, || runtime.block_on(test()));
}

/// A metric's labels, sorted: `(key, value)`.
type Labels = Vec<(String, String)>;

/// What was recorded: each metric by name and labels.
struct Recorded(Vec<(String, Labels, DebugValue)>);

impl Recorded {
    fn of(snapshotter: &Snapshotter) -> Self {
        Self(
            snapshotter
                .snapshot()
                .into_vec()
                .into_iter()
                .map(|(key, _, _, value)| {
                    let (_, key) = key.into_parts();
                    let mut labels: Vec<_> = key
                        .labels()
                        .map(|label| (label.key().to_owned(), label.value().to_owned()))
                        .collect();
                    labels.sort();
                    (key.name().to_owned(), labels, value)
                })
                .collect(),
        )
    }

    fn find(&self, name: &str, labels: &[(&str, &str)]) -> Option<&DebugValue> {
        let mut wanted: Vec<_> = labels
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect();
        wanted.sort();
        self.0
            .iter()
            .find(|(found, labels, _)| found == name && *labels == wanted)
            .map(|(_, _, value)| value)
    }

    fn counter(&self, name: &str, labels: &[(&str, &str)]) -> u64 {
        match self.find(name, labels) {
            Some(DebugValue::Counter(count)) => *count,
            None => 0,
            Some(other) => panic!("{name} is not a counter: {other:?}"),
        }
    }

    fn samples(&self, name: &str, labels: &[(&str, &str)]) -> Vec<f64> {
        match self.find(name, labels) {
            Some(DebugValue::Histogram(samples)) => {
                samples.iter().map(|s| s.into_inner()).collect()
            }
            None => Vec::new(),
            Some(other) => panic!("{name} is not a histogram: {other:?}"),
        }
    }

    fn deliveries(&self, outcome: &str) -> u64 {
        self.counter(
            "webhook_guard_deliveries_total",
            &[("provider", "standard"), ("outcome", outcome)],
        )
    }

    fn rejections(&self, reason: &str) -> u64 {
        self.counter(
            "webhook_guard_rejections_total",
            &[("provider", "standard"), ("reason", reason)],
        )
    }
}

#[test]
fn each_outcome_moves_its_counter_and_each_step_its_histogram() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let handler = Handler::scripted([]);
    recorded(&recorder, || async {
        let store = MemoryStore::new();
        let service = WebhookLayer::new(verifier())
            .with_store(store.clone())
            .layer(echo(handler.clone()));

        let (headers, body) = delivery("evt_metrics_ok");
        let first = service
            .clone()
            .oneshot(request(&headers, &body))
            .await
            .unwrap();
        assert_eq!(first.status(), 200);
        let again = service
            .clone()
            .oneshot(request(&headers, &body))
            .await
            .unwrap();
        assert!(again.headers().contains_key("webhook-duplicate"));

        let (headers, _) = delivery("evt_metrics_forged");
        let forged = service
            .clone()
            .oneshot(request(
                &headers,
                &bytes::Bytes::from_static(b"{\"forged\":1}"),
            ))
            .await
            .unwrap();
        assert_eq!(forged.status(), 401);
    });
    let recorded = Recorded::of(&snapshotter);
    assert_eq!(recorded.deliveries("accepted"), 1);
    assert_eq!(recorded.deliveries("duplicate"), 1);
    assert_eq!(recorded.deliveries("rejected"), 1);
    assert_eq!(recorded.rejections("signature_mismatch"), 1);
    let provider = [("provider", "standard")];
    // Verified twice (the first delivery and its duplicate); the forgery
    // is not a verification time.
    assert_eq!(
        recorded
            .samples("webhook_guard_verification_seconds", &provider)
            .len(),
        2
    );
    let body = recorded.samples("webhook_guard_body_bytes", &provider);
    let length = delivery("evt_metrics_ok").1.len() as f64;
    assert_eq!(body, vec![length; 2]);
    let skew = recorded.samples("webhook_guard_timestamp_skew_seconds", &provider);
    assert!(
        skew.len() == 2 && skew.iter().all(|seconds| *seconds < 60.0),
        "{skew:?}"
    );
    assert_eq!(
        recorded
            .samples("webhook_guard_handler_seconds", &provider)
            .len(),
        1
    );
    let claim = [("provider", "standard"), ("operation", "claim")];
    assert_eq!(
        recorded
            .samples("webhook_guard_store_seconds", &claim)
            .len(),
        2
    );
    let complete = [("provider", "standard"), ("operation", "complete")];
    assert_eq!(
        recorded
            .samples("webhook_guard_store_seconds", &complete)
            .len(),
        1
    );
    assert_no_event_id_in_any_label(&recorded);
}

#[test]
fn failures_in_flight_panics_timeouts_sources_and_stores_are_counted() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorded(&recorder, || async {
        // A failing, then panicking, handler: both release the claim.
        let handler = Handler::scripted([Behaviour::Fail, Behaviour::Panic]);
        let service = WebhookLayer::new(verifier()).layer(echo(handler.clone()));
        let (headers, body) = delivery("evt_metrics_retried");
        for status in [500, 500, 200] {
            let answer = service
                .clone()
                .oneshot(request(&headers, &body))
                .await
                .unwrap();
            assert_eq!(answer.status(), status);
        }

        // An attempt while the first hangs: in flight; the hanging one
        // outlives its lease.
        let hanging = Handler::scripted([Behaviour::Hang]);
        let service = WebhookLayer::new(verifier())
            .with_lease(Duration::from_millis(300))
            .unwrap()
            .layer(echo(hanging.clone()));
        let (headers, body) = delivery("evt_metrics_hanging");
        let first = tokio::spawn(service.clone().oneshot(request(&headers, &body)));
        let started = std::time::Instant::now();
        while hanging.calls("evt_metrics_hanging") == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the first attempt never started"
            );
            tokio::task::yield_now().await;
        }
        let second = service
            .clone()
            .oneshot(request(&headers, &body))
            .await
            .unwrap();
        assert_eq!(second.status(), 409);
        assert_eq!(first.await.unwrap().unwrap().status(), 503);

        // From outside the allowed sources (no peer known at all).
        let service = WebhookLayer::new(verifier())
            .with_allowed_sources(AllowedSources::parse("192.0.2.0/24").unwrap())
            .layer(echo(Handler::default()));
        let (headers, body) = delivery("evt_metrics_outside");
        let outside = service.oneshot(request(&headers, &body)).await.unwrap();
        assert_eq!(outside.status(), 403);

        // A store that is down.
        let service = WebhookLayer::new(verifier())
            .with_store(DownStore)
            .layer(echo(Handler::default()));
        let (headers, body) = delivery("evt_metrics_down");
        let down = service.oneshot(request(&headers, &body)).await.unwrap();
        assert_eq!(down.status(), 503);
    });
    let recorded = Recorded::of(&snapshotter);
    assert_eq!(recorded.deliveries("handler_failed"), 1);
    assert_eq!(recorded.deliveries("handler_panicked"), 1);
    assert_eq!(recorded.deliveries("accepted"), 1);
    assert_eq!(recorded.deliveries("in_flight"), 1);
    assert_eq!(recorded.deliveries("handler_timed_out"), 1);
    assert_eq!(recorded.rejections("source_not_allowed"), 1);
    assert_eq!(recorded.rejections("store_unavailable"), 1);
    assert_eq!(recorded.deliveries("rejected"), 2);
    let claim = [("provider", "standard"), ("operation", "claim")];
    assert_eq!(
        recorded.counter("webhook_guard_store_errors_total", &claim),
        1
    );
    let release = [("provider", "standard"), ("operation", "release")];
    // The failure, the panic and the timeout each released their claim.
    assert_eq!(
        recorded
            .samples("webhook_guard_store_seconds", &release)
            .len(),
        3
    );
    assert_no_event_id_in_any_label(&recorded);
}

fn assert_no_event_id_in_any_label(recorded: &Recorded) {
    for (name, labels, _) in &recorded.0 {
        assert!(name.starts_with("webhook_guard_"), "{name}");
        for (key, value) in labels {
            assert!(
                ["provider", "outcome", "reason", "operation"].contains(&key.as_str()),
                "{name} has label {key}"
            );
            assert!(
                !value.contains("evt_"),
                "{name}{{{key}={value}}} holds an event ID"
            );
        }
    }
}
