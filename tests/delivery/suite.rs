//! The delivery contract over real loopback HTTP, one suite for every
//! framework face: each check takes a [`Face`], serves its routes guarded
//! by a `WebhookLayer`, and talks to it with a hyper client.
//! [`delivery_suite!`] turns the suite into one test per check for a face.

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::RETRY_AFTER;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use webhook_guard::idempotency::MemoryStore;
use webhook_guard::verify::{RequestHead, VerifyRequest};
use webhook_guard::{Scheme, Signer, Verified, Verifier, VerifyError, WebhookLayer};

use crate::face::Face;
use crate::fixtures::{
    Bare, Behaviour, DownStore, Handler, SECRET, SlowStore, UNSIGNED, UnrecordingStore,
    assert_generic, delivery, verifier,
};

#[cfg(feature = "ed25519")]
pub(crate) use crate::handshakes::a_discord_ping_is_answered_pong_once_authentic;
pub(crate) use crate::handshakes::{
    signed_handshakes_are_answered_once_authentic_and_never_reach_the_handler,
    unsigned_handshakes_are_answered_from_the_head_and_let_nothing_through,
};
pub(crate) use crate::sources::{
    a_handshake_from_outside_the_allow_list_is_refused_before_it_is_answered,
    a_source_outside_the_allow_list_is_403_claims_nothing_and_a_spoofed_forwarded_for_is_ignored,
    behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client,
    ipv6_peers_and_ipv4_mapped_peers_match_their_ranges,
    plain_http_is_refused_where_https_is_required_unless_a_trusted_proxy_says_https,
};

/// One test per check of the suite, for the face `$face`.
macro_rules! delivery_suite {
    ($face:ty) => {
        $crate::suite::delivery_suite!(@checks $face;
            the_handler_gets_the_verified_bytes_and_facts,
            a_completed_delivery_is_answered_as_a_duplicate,
            a_delivery_in_flight_gets_409_with_retry_after,
            a_client_that_disconnects_mid_handler_loses_nothing_and_runs_nothing_twice,
            a_failed_handler_releases_the_claim_for_the_retry,
            a_panicking_handler_is_answered_500_after_its_claim_is_released,
            any_non_2xx_answer_of_the_handler_releases_the_claim,
            a_payload_that_does_not_fit_is_422_and_released,
            a_declared_length_over_the_limit_is_refused_with_413,
            a_chunked_body_crossing_the_limit_gets_413,
            rejections_use_the_documented_statuses_and_generic_bodies,
            an_unreachable_store_fails_closed_with_503,
            a_completion_the_store_failed_is_retried_until_recorded,
            a_delivery_the_store_never_recorded_is_not_answered_2xx,
            a_store_slower_than_its_timeout_fails_closed,
            a_handler_outliving_its_lease_is_cancelled_and_its_claim_released,
            a_handler_blocking_its_thread_past_the_lease_is_never_answered_2xx_unrecorded,
            a_custom_responder_cannot_drop_the_contract_headers,
            failing_open_is_an_explicit_choice,
            a_hundred_concurrent_identical_deliveries_run_the_handler_once,
            extractors_on_a_route_without_the_guard_say_so,
            a_provider_without_event_ids_is_keyed_by_its_signature,
            an_unsigned_event_id_cannot_smuggle_a_replay_past_the_store,
            a_legacy_sha1_replay_of_a_processed_github_delivery_is_a_duplicate,
            the_frameworks_own_extractors_work_without_ours,
            a_body_over_the_frameworks_default_limit_is_processed_when_the_layer_allows_it,
            the_payload_is_read_the_providers_way_whatever_the_content_type,
            a_twilio_form_post_is_verified_against_the_public_url,
            a_twilio_json_body_is_verified_by_its_digest_in_the_url,
            a_check_of_your_own_keeps_the_delivery_contract,
            a_check_of_your_own_keyed_by_fingerprint_dedups_replays,
            an_adyen_notification_is_processed_once_whatever_its_unsigned_fields_say,
            signed_handshakes_are_answered_once_authentic_and_never_reach_the_handler,
            unsigned_handshakes_are_answered_from_the_head_and_let_nothing_through,
            a_source_outside_the_allow_list_is_403_claims_nothing_and_a_spoofed_forwarded_for_is_ignored,
            behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client,
            ipv6_peers_and_ipv4_mapped_peers_match_their_ranges,
            plain_http_is_refused_where_https_is_required_unless_a_trusted_proxy_says_https,
            a_handshake_from_outside_the_allow_list_is_refused_before_it_is_answered,
        );
        #[cfg(feature = "ed25519")]
        $crate::suite::delivery_suite!(@checks $face;
            a_discord_interaction_verifies_and_an_invalid_probe_gets_401,
            a_discord_ping_is_answered_pong_once_authentic,
        );
        #[cfg(feature = "p256")]
        $crate::suite::delivery_suite!(@checks $face;
            an_ecdsa_delivery_re_signed_or_malleated_is_a_duplicate,
        );
        #[cfg(feature = "rsa")]
        $crate::suite::delivery_suite!(@checks $face;
            a_paypal_delivery_is_processed_once_and_a_body_forged_to_its_crc_is_a_duplicate,
        );
    };
    (@checks $face:ty; $($check:ident,)+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                $crate::suite::$check::<$face>().await;
            }
        )+
    };
}
pub(crate) use delivery_suite;

pub(crate) fn client() -> Client<HttpConnector, Full<Bytes>> {
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

/// What the server answered.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Answer {
    pub(crate) fn is_duplicate(&self) -> bool {
        self.headers.contains_key("webhook-duplicate")
    }

    fn retry_after(&self) -> u64 {
        self.headers[RETRY_AFTER].to_str().unwrap().parse().unwrap()
    }
}

pub(crate) async fn send(
    client: &Client<HttpConnector, Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Answer {
    let response = client.request(request).await.expect("the server answers");
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

/// Posts one delivery to `path` on a fresh connection.
pub(crate) async fn post(
    address: SocketAddr,
    path: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Answer {
    send(&client(), post_to(address, path, headers, body)).await
}

/// Starts a first attempt on a connection of its own, and returns once its
/// handler runs (its claim held).
pub(crate) async fn start_first_attempt(
    address: SocketAddr,
    handler: &Handler,
    event_id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> tokio::task::JoinHandle<Answer> {
    let (client, request) = (client(), post_to(address, "/hook", headers, body));
    let first = tokio::spawn(async move { send(&client, request).await });
    let deadline = Instant::now() + Duration::from_secs(10);
    while handler.calls(event_id) == 0 {
        assert!(Instant::now() < deadline, "the first attempt never started");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first
}

pub(crate) async fn the_handler_gets_the_verified_bytes_and_facts<F: Face>() {
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_same_bytes");
    let answer = post(server.address, "/plain", &headers, &body).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, body, "the handler got the verified bytes");
    assert_eq!(handler.successes("evt_same_bytes"), 1);
}

pub(crate) async fn a_completed_delivery_is_answered_as_a_duplicate<F: Face>() {
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_duplicate");
    let first = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(first.status, 200);
    assert!(!first.is_duplicate());
    let again = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.headers["webhook-duplicate"], "true");
    assert_generic(&again.body);
    assert_eq!(
        handler.calls("evt_duplicate"),
        1,
        "a duplicate never runs twice"
    );
}

pub(crate) async fn a_delivery_in_flight_gets_409_with_retry_after<F: Face>() {
    let handler = Handler::scripted([Behaviour::Hang]);
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_in_flight");
    let first =
        start_first_attempt(server.address, &handler, "evt_in_flight", &headers, &body).await;
    let second = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        (1..=60).contains(&second.retry_after()),
        "Retry-After {}",
        second.retry_after()
    );
    assert_generic(&second.body);
    assert_eq!(handler.calls("evt_in_flight"), 1);
    first.abort();
}

pub(crate) async fn a_client_that_disconnects_mid_handler_loses_nothing_and_runs_nothing_twice<
    F: Face,
>() {
    // axum drops the handler when the client leaves, and the claim is
    // released, so the retry runs it again; actix-web (HTTP/1 half-closed
    // connections allowed, its default) lets the handler finish, and its
    // answer counts, so the retry is a duplicate. Either way the retry is
    // answered within the handler's time, and the event is processed once.
    let handler = Handler::scripted([Behaviour::Sleep(Duration::from_millis(500))]);
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_disconnect");
    let first =
        start_first_attempt(server.address, &handler, "evt_disconnect", &headers, &body).await;
    first.abort(); // closes the connection
    let _ = first.await;

    let deadline = Instant::now() + Duration::from_secs(10);
    let retry = loop {
        let answer = post(server.address, "/hook", &headers, &body).await;
        if answer.status == 200 {
            break answer;
        }
        assert_eq!(
            answer.status, 409,
            "only in flight until the first attempt ends"
        );
        assert!(Instant::now() < deadline, "the claim was never finished");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(handler.successes("evt_disconnect"), 1);
    if F::CANCELS_ON_DISCONNECT {
        assert!(!retry.is_duplicate(), "the hang-up released the claim");
        assert_eq!(handler.calls("evt_disconnect"), 2);
    } else {
        assert!(retry.is_duplicate(), "the first attempt ran to its end");
        assert_eq!(handler.calls("evt_disconnect"), 1);
    }
}

pub(crate) async fn a_failed_handler_releases_the_claim_for_the_retry<F: Face>() {
    let handler = Handler::scripted([Behaviour::Fail]);
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_fails_once");
    let answers = [
        post(server.address, "/hook", &headers, &body).await,
        post(server.address, "/hook", &headers, &body).await,
        post(server.address, "/hook", &headers, &body).await,
    ];
    assert_eq!(answers[0].status, 500);
    assert_eq!(answers[1].status, 200);
    assert!(!answers[1].is_duplicate());
    assert_eq!(answers[2].headers["webhook-duplicate"], "true");
    assert_eq!(handler.calls("evt_fails_once"), 2);
    assert_eq!(handler.successes("evt_fails_once"), 1);
}

pub(crate) async fn a_panicking_handler_is_answered_500_after_its_claim_is_released<F: Face>() {
    let handler = Handler::scripted([Behaviour::Panic]);
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_panics");
    let panicked = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(
        panicked.status, 500,
        "a panic is answered, so the sender retries"
    );
    assert!(!panicked.headers.contains_key(RETRY_AFTER));
    assert_generic(&panicked.body);
    assert!(
        !String::from_utf8_lossy(&panicked.body).contains("on purpose"),
        "the panic's message stays in the logs"
    );
    // Sent the moment the 500 arrived: the claim was released before it.
    let retry = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(retry.status, 200, "the panic released the claim first");
    assert!(!retry.is_duplicate());
    assert_eq!(handler.calls("evt_panics"), 2);
    assert_eq!(handler.successes("evt_panics"), 1);
    let replay = post(server.address, "/hook", &headers, &body).await;
    assert!(replay.is_duplicate(), "the retry's success was recorded");
}

pub(crate) async fn any_non_2xx_answer_of_the_handler_releases_the_claim<F: Face>() {
    let handler = Handler::scripted([
        Behaviour::Status(302),
        Behaviour::Status(404),
        Behaviour::Status(429),
    ]);
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_non_2xx");
    let mut answers = Vec::new();
    for _ in 0..5 {
        let answer = post(server.address, "/hook", &headers, &body).await;
        answers.push((answer.status.as_u16(), answer.is_duplicate()));
    }
    assert_eq!(
        answers,
        [
            (302, false),
            (404, false),
            (429, false),
            (200, false),
            (200, true)
        ]
    );
    assert_eq!(handler.successes("evt_non_2xx"), 1);
}

pub(crate) async fn a_payload_that_does_not_fit_is_422_and_released<F: Face>() {
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let body = Bytes::from_static(b"not json at all");
    let headers = Signer::standard_webhooks(SECRET)
        .unwrap()
        .sign("evt_not_json", SystemTime::now(), &body)
        .unwrap();
    for _ in 0..2 {
        // 422 twice, never 409: the extractor's rejection released the claim.
        let answer = post(server.address, "/hook", &headers, &body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = String::from_utf8_lossy(&answer.body);
        assert!(
            !text.contains("column"),
            "the deserializer's detail is not sent: {text}"
        );
    }
    assert_eq!(handler.calls("evt_not_json"), 0);
}

pub(crate) async fn a_declared_length_over_the_limit_is_refused_with_413<F: Face>() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier()).with_body_limit(1024);
    let server = F::serve(layer, handler.clone()).await;
    let (headers, _) = delivery("evt_large");
    let large = Bytes::from(vec![b' '; 4096]);
    let answer = post(server.address, "/hook", &headers, &large).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_generic(&answer.body);
    assert_eq!(handler.calls("evt_large"), 0);
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
        let chunk = Bytes::from(vec![b' '; 1024]);
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
    }
}

pub(crate) async fn a_chunked_body_crossing_the_limit_gets_413<F: Face>() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier()).with_body_limit(2048);
    let server = F::serve(layer, handler.clone()).await;
    let (headers, _) = delivery("evt_chunked");
    // No Content-Length: the limit is found while reading, chunk by chunk.
    let mut request = Request::post(format!("http://{}/hook", server.address))
        .body(Chunked { chunks: 8 })
        .unwrap();
    request.headers_mut().extend(headers);
    let client: Client<HttpConnector, Chunked> = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(handler.calls("evt_chunked"), 0);
}

pub(crate) async fn rejections_use_the_documented_statuses_and_generic_bodies<F: Face>() {
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_rejected");
    let tampered = Bytes::from_static(b"{\"forged\":true}");
    let mut unsigned = headers.clone();
    unsigned.remove("webhook-signature");
    let stale = Signer::standard_webhooks(SECRET)
        .unwrap()
        .sign(
            "evt_rejected",
            SystemTime::now() - Duration::from_secs(3600),
            &body,
        )
        .unwrap();
    for (headers, body, status) in [
        (&headers, &tampered, StatusCode::UNAUTHORIZED),
        (&unsigned, &body, StatusCode::BAD_REQUEST),
        (&stale, &body, StatusCode::UNAUTHORIZED),
    ] {
        let answer = post(server.address, "/hook", headers, body).await;
        assert_eq!(answer.status, status);
        assert_generic(&answer.body);
    }
    assert_eq!(handler.calls("evt_rejected"), 0);
}

pub(crate) async fn an_unreachable_store_fails_closed_with_503<F: Face>() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier()).with_store(DownStore);
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_store_down");
    let answer = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.retry_after(), 10);
    assert_generic(&answer.body);
    assert_eq!(
        handler.calls("evt_store_down"),
        0,
        "never 2xx without a record"
    );
}

pub(crate) async fn a_completion_the_store_failed_is_retried_until_recorded<F: Face>() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier()).with_store(UnrecordingStore::failing(3));
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_store_blip");
    let answer = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(answer.status, 200, "recorded on the fourth attempt");
    let duplicate = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(duplicate.headers["webhook-duplicate"], "true");
    assert_eq!(handler.calls("evt_store_blip"), 1);
}

pub(crate) async fn a_delivery_the_store_never_recorded_is_not_answered_2xx<F: Face>() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier())
        .with_store(UnrecordingStore::failing(usize::MAX))
        .with_lease(Duration::from_millis(1500))
        .unwrap();
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_never_recorded");
    let answer = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(handler.successes("evt_never_recorded"), 1);
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "never 2xx without a record"
    );
    assert_eq!(answer.retry_after(), 10);
}

pub(crate) async fn a_store_slower_than_its_timeout_fails_closed<F: Face>() {
    let handler = Handler::default();
    let store = SlowStore {
        inner: MemoryStore::new(),
        delay: Duration::from_millis(500),
    };
    let layer = WebhookLayer::new(verifier())
        .with_store(store)
        .with_store_timeout(Duration::from_millis(100))
        .unwrap();
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_slow_store");
    let started = Instant::now();
    let answer = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.headers.contains_key(RETRY_AFTER));
    assert!(
        started.elapsed() < Duration::from_millis(450),
        "answered at the timeout"
    );
    assert_eq!(handler.calls("evt_slow_store"), 0);
}

pub(crate) async fn a_handler_outliving_its_lease_is_cancelled_and_its_claim_released<F: Face>() {
    let handler = Handler::scripted([Behaviour::Sleep(Duration::from_secs(30))]);
    let layer = WebhookLayer::new(verifier())
        .with_lease(Duration::from_millis(500))
        .unwrap();
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_slow_handler");
    let started = Instant::now();
    let first = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(first.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(first.headers.contains_key(RETRY_AFTER));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        handler.successes("evt_slow_handler"),
        0,
        "the slow attempt was cancelled"
    );
    // The retry runs at once: no second attempt ever ran alongside the first.
    let retry = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(retry.status, 200);
    assert_eq!(handler.calls("evt_slow_handler"), 2);
    assert_eq!(handler.successes("evt_slow_handler"), 1);
}

pub(crate) async fn a_custom_responder_cannot_drop_the_contract_headers<F: Face>() {
    let handler = Handler::scripted([Behaviour::Hang]);
    let layer = WebhookLayer::new(verifier()).with_responder(Bare);
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_contract_headers");
    let first = start_first_attempt(
        server.address,
        &handler,
        "evt_contract_headers",
        &headers,
        &body,
    )
    .await;
    let in_flight = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(in_flight.status, StatusCode::CONFLICT);
    assert!(in_flight.headers.contains_key(RETRY_AFTER));
    assert!(in_flight.body.is_empty(), "the responder's own body");
    first.abort();

    // Handler::scripted hangs on every event's first call: a fresh server.
    let layer = WebhookLayer::new(verifier()).with_responder(Bare);
    let server = F::serve(layer, Handler::default()).await;
    let (headers, body) = delivery("evt_contract_duplicate");
    post(server.address, "/hook", &headers, &body).await;
    let duplicate = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(duplicate.headers["webhook-duplicate"], "true");
}

pub(crate) async fn failing_open_is_an_explicit_choice<F: Face>() {
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier())
        .with_store(DownStore)
        .fail_open_when_store_unavailable();
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_fail_open");
    let answer = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(answer.status, 200);
    assert_eq!(handler.successes("evt_fail_open"), 1);
}

pub(crate) async fn a_hundred_concurrent_identical_deliveries_run_the_handler_once<F: Face>() {
    let handler = Handler::scripted([Behaviour::Sleep(Duration::from_millis(200))]);
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_concurrent");
    let client = client();
    let sends: Vec<_> = (0..100)
        .map(|_| {
            let request = post_to(server.address, "/hook", &headers, &body);
            let client = client.clone();
            tokio::spawn(async move { send(&client, request).await })
        })
        .collect();
    let (mut processed, mut duplicates, mut in_flight) = (0, 0, 0);
    for sent in sends {
        let answer = sent.await.unwrap();
        match answer.status.as_u16() {
            200 if answer.is_duplicate() => duplicates += 1,
            200 => processed += 1,
            409 => {
                assert!(answer.headers.contains_key(RETRY_AFTER));
                assert_generic(&answer.body);
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

pub(crate) async fn extractors_on_a_route_without_the_guard_say_so<F: Face>() {
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_unguarded");
    // `Verified` (with `Webhook<T>` after it), and `Webhook<T>` alone.
    for path in ["/unguarded", "/unguarded-payload"] {
        let answer = post(server.address, path, &headers, &body).await;
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let text = String::from_utf8_lossy(&answer.body);
        let says_so = text.contains("is `WebhookLayer` installed on this route?");
        assert!(says_so, "{path}: {text}");
    }
    assert_eq!(handler.calls("evt_unguarded"), 0);
}

pub(crate) async fn the_frameworks_own_extractors_work_without_ours<F: Face>() {
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier()), handler.clone()).await;
    let (headers, body) = delivery("evt_plain");
    assert_eq!(
        post(server.address, "/plain", &headers, &body).await.status,
        200
    );
    let again = post(server.address, "/plain", &headers, &body).await;
    assert_eq!(again.headers["webhook-duplicate"], "true");
    assert_eq!(handler.successes("evt_plain"), 1);
}

pub(crate) async fn a_body_over_the_frameworks_default_limit_is_processed_when_the_layer_allows_it<
    F: Face,
>() {
    // axum's DefaultBodyLimit is 2 MiB, actix-web's payload limits 256 KiB
    // (bytes) and 2 MiB (JSON): the layer's limit is the one that counts.
    let handler = Handler::default();
    let layer = WebhookLayer::new(verifier()).with_body_limit(4 * 1024 * 1024);
    let server = F::serve(layer, handler.clone()).await;
    let mut payload = br#"{"type":"bulk.export","data":""#.to_vec();
    payload.resize(3 * 1024 * 1024, b'x');
    payload.extend_from_slice(b"\"}");
    let body = Bytes::from(payload);
    let headers = Signer::standard_webhooks(SECRET)
        .unwrap()
        .sign("evt_large_ok", SystemTime::now(), &body)
        .unwrap();
    let answer = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(
        answer.status, 200,
        "a 3 MiB delivery within the layer's limit is processed"
    );
    assert_eq!(handler.successes("evt_large_ok"), 1);
}

pub(crate) async fn a_provider_without_event_ids_is_keyed_by_its_signature<F: Face>() {
    let secret = "8f742231b10e8888abcd99yyyzzz85a5";
    let handler = Handler::default();
    let layer = WebhookLayer::new(Verifier::slack(secret).unwrap());
    let server = F::serve(layer, handler.clone()).await;
    let body = Bytes::from_static(b"command=%2Fdeploy&text=prod");
    let headers = Signer::slack(secret)
        .unwrap()
        .sign("", SystemTime::now(), &body)
        .unwrap();
    let mut answers = Vec::new();
    for _ in 0..3 {
        let answer = post(server.address, "/plain", &headers, &body).await;
        answers.push((answer.status.as_u16(), answer.is_duplicate()));
    }
    assert_eq!(answers, [(200, false), (200, true), (200, true)]);
    assert_eq!(
        handler.calls(UNSIGNED),
        1,
        "identical replays share the fingerprint key"
    );
}

pub(crate) async fn an_unsigned_event_id_cannot_smuggle_a_replay_past_the_store<F: Face>() {
    // GitHub does not sign X-GitHub-Delivery: a captured delivery replayed
    // with a fresh ID must still be a duplicate.
    let secret = "It's a Secret to Everybody";
    let handler = Handler::default();
    let layer = WebhookLayer::new(Verifier::github(secret).unwrap());
    let server = F::serve(layer, handler.clone()).await;
    let body = Bytes::from_static(b"{\"action\":\"opened\"}");
    let headers = Signer::github(secret)
        .unwrap()
        .sign("delivery-1", SystemTime::now(), &body)
        .unwrap();
    assert_eq!(
        post(server.address, "/plain", &headers, &body).await.status,
        200
    );
    let mut replayed = headers.clone();
    replayed.insert("x-github-delivery", "delivery-forged".parse().unwrap());
    let answer = post(server.address, "/plain", &replayed, &body).await;
    assert_eq!(answer.headers["webhook-duplicate"], "true");
    assert_eq!(handler.calls(UNSIGNED), 1);
}

pub(crate) async fn a_legacy_sha1_replay_of_a_processed_github_delivery_is_a_duplicate<F: Face>() {
    // GitHub sends both headers; a replay that strips the SHA-256 one
    // verifies through SHA-1, and must still be the same delivery.
    let secret = "It's a Secret to Everybody";
    let handler = Handler::default();
    let verifier = Verifier::from_secrets(Scheme::github_with_sha1(), [secret]).unwrap();
    let server = F::serve(WebhookLayer::new(verifier), handler.clone()).await;
    let body = Bytes::from_static(b"{\"zen\":\"Design for failure.\"}");
    let signer = Signer::from_secrets(Scheme::github_with_sha1(), [secret]).unwrap();
    let headers = signer.sign("delivery-1", SystemTime::now(), &body).unwrap();
    assert!(headers.contains_key("x-hub-signature") && headers.contains_key("x-hub-signature-256"));
    assert_eq!(
        post(server.address, "/plain", &headers, &body).await.status,
        200
    );

    let mut downgraded = headers.clone();
    downgraded.remove("x-hub-signature-256");
    let replay = post(server.address, "/plain", &downgraded, &body).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.headers["webhook-duplicate"], "true");
    assert_eq!(handler.calls(UNSIGNED), 1);
}

pub(crate) async fn a_handler_blocking_its_thread_past_the_lease_is_never_answered_2xx_unrecorded<
    F: Face,
>() {
    // It cannot be cancelled: it returns 200 after its lease has ended, and
    // the store no longer holds its claim to complete.
    let handler = Handler::scripted([Behaviour::Block(Duration::from_millis(1200))]);
    let layer = WebhookLayer::new(verifier())
        .with_lease(Duration::from_millis(800))
        .unwrap();
    let server = F::serve(layer, handler.clone()).await;
    let (headers, body) = delivery("evt_blocks");
    let first = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(handler.successes("evt_blocks"), 1, "the handler finished");
    assert_eq!(
        first.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "not recorded, so never 2xx"
    );
    assert!(first.headers.contains_key(RETRY_AFTER));
    // The sender's retry is processed and recorded.
    let retry = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(retry.status, 200);
    assert!(!retry.is_duplicate());
    let replay = post(server.address, "/hook", &headers, &body).await;
    assert!(replay.is_duplicate());
    assert_eq!(handler.calls("evt_blocks"), 2);
}

pub(crate) async fn the_payload_is_read_the_providers_way_whatever_the_content_type<F: Face>() {
    let as_form = |mut headers: HeaderMap| {
        headers.insert(
            "content-type",
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        headers
    };
    // A JSON provider's event sent as a form (curl's default content type).
    let server = F::serve(WebhookLayer::new(verifier()), Handler::default()).await;
    let (headers, body) = delivery("evt_as_form");
    let answer = post(server.address, "/payload", &as_form(headers), &body).await;
    assert_eq!(answer.status, 200);
    let expected: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let echoed: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(echoed, expected);

    // GitHub's form delivery is the JSON in its `payload` field, whether
    // the content type says so or (an attacker's choice) says JSON.
    let secret = "It's a Secret to Everybody";
    let server = F::serve(
        WebhookLayer::new(Verifier::github(secret).unwrap()),
        Handler::default(),
    )
    .await;
    let signer = Signer::github(secret).unwrap();
    for (action, form_content_type) in [("opened", true), ("closed", false)] {
        let form = Bytes::from(format!("payload=%7B%22action%22%3A%22{action}%22%7D"));
        let mut headers = signer
            .sign(&format!("delivery-{action}"), SystemTime::now(), &form)
            .unwrap();
        if form_content_type {
            headers = as_form(headers);
        }
        let answer = post(server.address, "/payload", &headers, &form).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, format!(r#"{{"action":"{action}"}}"#));
    }
}

/// The URL a provider's dashboard holds for the suite's `/plain` route: not
/// the loopback address the server sees, as behind a proxy.
const PUBLIC_PLAIN: &str = "https://hooks.example.com/webhooks/plain";

/// A Twilio route whose verifier knows its public URL, and Twilio's signer.
async fn twilio_route<F: Face>() -> (Handler, crate::face::Served, Signer) {
    let token = "12345";
    let handler = Handler::default();
    let verifier = Verifier::from_secrets(Scheme::twilio(), [token])
        .unwrap()
        .with_public_url(PUBLIC_PLAIN)
        .unwrap();
    let server = F::serve(WebhookLayer::new(verifier), handler.clone()).await;
    let signer = Signer::from_secrets(Scheme::twilio(), [token]).unwrap();
    (handler, server, signer)
}

pub(crate) async fn a_twilio_form_post_is_verified_against_the_public_url<F: Face>() {
    let (handler, server, signer) = twilio_route::<F>().await;
    let body = Bytes::from_static(b"CallSid=CA123&From=%2B14158675309&Digits=1234&Digits=1234");
    let headers = signer
        .sign_request(
            &http::Method::POST,
            PUBLIC_PLAIN,
            "",
            SystemTime::now(),
            &body,
        )
        .unwrap();

    let first = post(server.address, "/plain", &headers, &body).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body, body, "the handler reads the very form bytes");
    let again = post(server.address, "/plain", &headers, &body).await;
    assert!(
        again.is_duplicate(),
        "a replay of the same form is a duplicate"
    );

    // A changed parameter, or the same request signed for another URL.
    let tampered = Bytes::from_static(b"CallSid=CA123&From=%2B14158675309&Digits=9999");
    assert_eq!(
        post(server.address, "/plain", &headers, &tampered)
            .await
            .status,
        401
    );
    let elsewhere = signer
        .sign_request(
            &http::Method::POST,
            "https://evil.example/plain",
            "",
            SystemTime::now(),
            &body,
        )
        .unwrap();
    assert_eq!(
        post(server.address, "/plain", &elsewhere, &body)
            .await
            .status,
        401
    );
    assert_eq!(handler.calls(UNSIGNED), 1);
}

pub(crate) async fn a_twilio_json_body_is_verified_by_its_digest_in_the_url<F: Face>() {
    let (handler, server, signer) = twilio_route::<F>().await;
    let body = Bytes::from_static(br#"{"event":"call.completed","sid":"CA123"}"#);
    let url = signer.url_with_body_digest(PUBLIC_PLAIN, &body);
    let headers = signer
        .sign_request(&http::Method::POST, &url, "", SystemTime::now(), &body)
        .unwrap();
    let query = &url[url.find('?').unwrap()..];
    let path = format!("/plain{query}");
    assert_eq!(
        post(server.address, &path, &headers, &body).await.status,
        200
    );

    // The URL's signature is genuine, but the body is not the one hashed.
    let other = Bytes::from_static(br#"{"event":"call.completed","sid":"CA999"}"#);
    assert_eq!(
        post(server.address, &path, &headers, &other).await.status,
        401
    );
    // Without the digest the request is read as a form, which was not signed.
    assert_eq!(
        post(server.address, "/plain", &headers, &body).await.status,
        401
    );
    assert_eq!(handler.calls(UNSIGNED), 1);
}

#[cfg(feature = "ed25519")]
pub(crate) async fn a_discord_interaction_verifies_and_an_invalid_probe_gets_401<F: Face>() {
    use webhook_guard::scheme::Algorithm;
    use webhook_guard::secret::{KeyPair, SecretFormat};

    let keys = KeyPair::from_seed(SecretFormat::Ed25519Hex, Algorithm::Ed25519, &[9; 32]).unwrap();
    let handler = Handler::default();
    let verifier = Verifier::from_secrets(Scheme::discord(), [keys.verifying_key()]).unwrap();
    let server = F::serve(WebhookLayer::new(verifier), handler.clone()).await;
    let signer = Signer::from_secrets(Scheme::discord(), [keys.signing_key()]).unwrap();
    let body =
        Bytes::from_static(br#"{"id":"1100000000000000001","type":2,"data":{"name":"ping"}}"#);
    let headers = signer.sign("", SystemTime::now(), &body).unwrap();
    assert!(headers.contains_key("x-signature-ed25519"));

    assert_eq!(
        post(server.address, "/plain", &headers, &body).await.status,
        200
    );
    assert!(
        post(server.address, "/plain", &headers, &body)
            .await
            .is_duplicate()
    );
    assert_eq!(handler.calls("1100000000000000001"), 1);

    // Discord probes a new endpoint with a bad signature and requires 401.
    let mut probe = headers.clone();
    let mut signature = probe["x-signature-ed25519"].as_bytes().to_vec();
    signature[0] = if signature[0] == b'0' { b'1' } else { b'0' };
    probe.insert(
        "x-signature-ed25519",
        http::HeaderValue::from_bytes(&signature).unwrap(),
    );
    let answer = post(server.address, "/plain", &probe, &body).await;
    assert_eq!(answer.status, 401);
    assert_generic(&answer.body);
}

/// A random source for ECDSA's randomized signing, from the system.
#[cfg(feature = "p256")]
struct SystemRandom;

#[cfg(feature = "p256")]
impl rand_core::TryRng for SystemRandom {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut bytes = [0; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut bytes = [0; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, bytes: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(bytes).expect("the system's random source");
        Ok(())
    }
}

#[cfg(feature = "p256")]
impl rand_core::TryCryptoRng for SystemRandom {}

#[cfg(feature = "p256")]
pub(crate) async fn an_ecdsa_delivery_re_signed_or_malleated_is_a_duplicate<F: Face>() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use p256::ecdsa::signature::RandomizedSigner as _;
    use p256::pkcs8::DecodePrivateKey as _;
    use webhook_guard::scheme::Algorithm;
    use webhook_guard::secret::{KeyPair, SecretFormat};

    let keys = KeyPair::from_seed(
        SecretFormat::EcdsaP256,
        Algorithm::EcdsaP256Sha256,
        &[3; 32],
    )
    .unwrap();
    let handler = Handler::default();
    let verifier = Verifier::from_secrets(Scheme::sendgrid(), [keys.verifying_key()]).unwrap();
    let server = F::serve(WebhookLayer::new(verifier), handler.clone()).await;
    let signer = Signer::from_secrets(Scheme::sendgrid(), [keys.signing_key()]).unwrap();
    let body = Bytes::from_static(b"[{\"email\":\"a@example.com\",\"event\":\"delivered\"}]\r\n");
    let headers = signer.sign("", SystemTime::now(), &body).unwrap();
    let name = "x-twilio-email-event-webhook-signature";
    assert_eq!(
        post(server.address, "/plain", &headers, &body).await.status,
        200
    );

    // The same message, signed again with a random nonce: another valid
    // signature, the same delivery.
    let key = p256::ecdsa::SigningKey::from_pkcs8_pem(keys.signing_key()).unwrap();
    let timestamp = headers["x-twilio-email-event-webhook-timestamp"].as_bytes();
    let message = [timestamp, &body[..]].concat();
    let again: p256::ecdsa::Signature = key.sign_with_rng(&mut SystemRandom, &message);
    let original = STANDARD.decode(headers[name].as_bytes()).unwrap();
    assert_ne!(again.to_der().as_bytes(), &original[..], "a fresh nonce");
    // And the original malleated: (r, s) becomes (r, n − s), also valid.
    let parsed = p256::ecdsa::Signature::from_der(&original).unwrap();
    let (r, s) = parsed.split_scalars();
    let malleated = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
    assert_ne!(malleated, parsed);

    for signature in [again.to_der().to_bytes(), malleated.to_der().to_bytes()] {
        let mut resent = headers.clone();
        resent.insert(name, STANDARD.encode(&signature).parse().unwrap());
        let answer = post(server.address, "/plain", &resent, &body).await;
        assert_eq!(answer.status, 200);
        assert!(
            answer.is_duplicate(),
            "a second valid signature is not a second delivery"
        );
    }
    assert_eq!(handler.calls(UNSIGNED), 1);
}

/// A check the crate does not ship: HMAC-SHA-256 over `event-id.body`, hex in
/// `x-acme-signature`, the event ID in `x-acme-event`.
#[derive(Debug)]
struct AcmeCheck {
    secret: &'static [u8],
    /// Key by a fingerprint of the signed message instead of the event ID.
    by_fingerprint: bool,
}

impl AcmeCheck {
    fn tag(&self, event: &str, body: &[u8]) -> hmac::Hmac<sha2::Sha256> {
        use hmac::{KeyInit as _, Mac as _};
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret).unwrap();
        mac.update(event.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    fn sign(&self, event: &str, body: &[u8]) -> HeaderMap {
        use hmac::Mac as _;
        let tag = hex::encode(self.tag(event, body).finalize().into_bytes());
        let mut headers = HeaderMap::new();
        headers.insert("x-acme-event", event.parse().unwrap());
        headers.insert("x-acme-signature", tag.parse().unwrap());
        headers
    }

    fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, VerifyError> {
        let name = http::HeaderName::from_static(name);
        let value = headers
            .get(&name)
            .ok_or_else(|| VerifyError::MissingHeader { name: name.clone() })?;
        value.to_str().map_err(|_| VerifyError::MalformedHeader {
            name,
            reason: "not visible ASCII",
        })
    }
}

impl VerifyRequest for AcmeCheck {
    fn name(&self) -> &str {
        "acme"
    }

    fn check_headers_at(&self, headers: &HeaderMap, _: SystemTime) -> Result<(), VerifyError> {
        Self::header(headers, "x-acme-event")?;
        Self::header(headers, "x-acme-signature")?;
        Ok(())
    }

    fn verify_request_at(
        &self,
        head: RequestHead<'_>,
        body: &[u8],
        _: SystemTime,
    ) -> Result<Verified, VerifyError> {
        use hmac::Mac as _;
        let event = Self::header(head.headers(), "x-acme-event")?;
        // The event is signed before a `.`: one holding a `.` could be
        // re-split with the body into another event under one signature.
        if event.contains('.') {
            return Err(VerifyError::MalformedHeader {
                name: http::HeaderName::from_static("x-acme-event"),
                reason: "the event ID holds the separator",
            });
        }
        let received = hex::decode(Self::header(head.headers(), "x-acme-signature")?)
            .map_err(|_| VerifyError::SignatureMismatch)?;
        self.tag(event, body)
            .verify_slice(&received)
            .map_err(|_| VerifyError::SignatureMismatch)?;
        if self.by_fingerprint {
            Ok(Verified::by_fingerprint_of("acme", &received))
        } else {
            Verified::by_signed_event_id("acme", event)
        }
    }

    fn replay_window(&self) -> Option<Duration> {
        None
    }

    fn header_names(&self) -> Option<Vec<http::HeaderName>> {
        // Left to the default (every header) when fingerprinting, so both
        // ways of crossing actix-web's headers are exercised.
        (!self.by_fingerprint).then(|| {
            vec![
                http::HeaderName::from_static("x-acme-event"),
                http::HeaderName::from_static("x-acme-signature"),
            ]
        })
    }

    fn reads_request_target(&self) -> bool {
        false
    }
}

pub(crate) async fn a_check_of_your_own_keeps_the_delivery_contract<F: Face>() {
    let check = AcmeCheck {
        secret: b"acme secret",
        by_fingerprint: false,
    };
    let handler = Handler::scripted([Behaviour::Fail, Behaviour::Succeed]);
    let body = Bytes::from_static(b"{\"order\":42}");
    let headers = check.sign("evt_acme", &body);
    let forged = AcmeCheck {
        secret: b"not the secret",
        by_fingerprint: false,
    }
    .sign("evt_acme", &body);
    let server = F::serve(WebhookLayer::new(check), handler.clone()).await;

    // Refused before the handler, with the documented statuses and a
    // generic body: a forgery 401, a request lacking a header 400.
    let answer = post(server.address, "/hook", &forged, &body).await;
    assert_eq!(answer.status, 401);
    assert_generic(&answer.body);
    let mut unsigned = headers.clone();
    unsigned.remove("x-acme-signature");
    assert_eq!(
        post(server.address, "/hook", &unsigned, &body).await.status,
        400
    );
    assert_eq!(handler.calls("evt_acme"), 0);

    // A failed handler releases the claim; the retry runs; a duplicate
    // after it is answered without running the handler.
    assert_eq!(
        post(server.address, "/hook", &headers, &body).await.status,
        500
    );
    let retry = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(retry.status, 200);
    assert!(!retry.is_duplicate());
    let again = post(server.address, "/plain", &headers, &body).await;
    assert_eq!(again.status, 200);
    assert!(again.is_duplicate());
    assert_eq!(handler.calls("evt_acme"), 2);
    assert_eq!(handler.successes("evt_acme"), 1);

    // One-byte change of the signed body: 401.
    let tampered = Bytes::from_static(b"{\"order\":43}");
    assert_eq!(
        post(server.address, "/hook", &headers, &tampered)
            .await
            .status,
        401
    );
}

pub(crate) async fn a_check_of_your_own_keyed_by_fingerprint_dedups_replays<F: Face>() {
    let check = AcmeCheck {
        secret: b"acme secret",
        by_fingerprint: true,
    };
    let handler = Handler::default();
    let body = Bytes::from_static(b"{\"order\":7}");
    let headers = check.sign("evt_1", &body);
    let other = check.sign("evt_2", &body);
    let server = F::serve(WebhookLayer::new(check), handler.clone()).await;
    let mut answers = Vec::new();
    for headers in [&headers, &headers, &other] {
        let answer = post(server.address, "/plain", headers, &body).await;
        answers.push((answer.status.as_u16(), answer.is_duplicate()));
    }
    assert_eq!(answers, [(200, false), (200, true), (200, false)]);
    assert_eq!(handler.calls(UNSIGNED), 2);
}

/// `suffix` (4 bytes) such that `prefix ‖ suffix` has the CRC-32 `target`:
/// a CRC is affine in its input, so the 32 bits are a linear system.
#[cfg(feature = "rsa")]
fn crc32_forging_suffix(prefix: &[u8], target: u32) -> [u8; 4] {
    let crc = |suffix: u32| {
        let mut bytes = prefix.to_vec();
        bytes.extend_from_slice(&suffix.to_le_bytes());
        crc32fast::hash(&bytes)
    };
    let base = crc(0);
    // Column i: what flipping suffix bit i does to the CRC.
    let mut rows: Vec<(u32, u32)> = (0..32)
        .map(|bit| (crc(1 << bit) ^ base, 1u32 << bit))
        .collect();
    let mut want = target ^ base;
    let mut solution = 0u32;
    for bit in 0..32 {
        let pivot = (bit..32)
            .find(|&row| rows[row].0 & (1 << bit) != 0)
            .expect("the CRC's linear map is invertible");
        rows.swap(bit, pivot);
        for row in 0..32 {
            if row != bit && rows[row].0 & (1 << bit) != 0 {
                rows[row].0 ^= rows[bit].0;
                rows[row].1 ^= rows[bit].1;
            }
        }
    }
    for (bit, (effect, input)) in rows.iter().enumerate() {
        debug_assert_eq!(*effect, 1 << bit);
        if want & (1 << bit) != 0 {
            solution ^= input;
            want ^= effect;
        }
    }
    assert_eq!(crc(solution), target);
    solution.to_le_bytes()
}

/// Adyen: the notification is processed once under its signed
/// `pspReference:eventCode:success`; a retry, or a copy whose unsigned
/// fields were changed (the signature still matches), is a duplicate the
/// handler never sees; a changed signed field is refused (401), an item
/// without a signature is malformed (400), and an outcome of the same
/// payment (another eventCode) is a new event.
pub(crate) async fn an_adyen_notification_is_processed_once_whatever_its_unsigned_fields_say<
    F: Face,
>() {
    let key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let signer = Signer::from_secrets(Scheme::adyen(), [key]).unwrap();
    let verifier = Verifier::from_secrets(Scheme::adyen(), [key]).unwrap();
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier), handler.clone()).await;
    let notification = |code: &str, reason: &str| {
        format!(
            r#"{{"live":"false","notificationItems":[{{"NotificationRequestItem":{{"amount":{{"currency":"EUR","value":1130}},"eventCode":"{code}","merchantAccountCode":"TestMerchant","merchantReference":"order-42","pspReference":"7914073381342284","reason":"{reason}","success":"true"}}}}]}}"#
        )
    };
    let sign = |body: String| {
        Bytes::from(
            signer
                .sign_into_body("", SystemTime::now(), body.as_bytes())
                .unwrap(),
        )
    };
    let body = sign(notification("AUTHORISATION", "1234:7777:12/2012"));
    let none = HeaderMap::new();
    let id = "7914073381342284:AUTHORISATION:true";

    let first = post(server.address, "/plain", &none, &body).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body, body, "the handler got the verified bytes");
    assert!(
        post(server.address, "/plain", &none, &body)
            .await
            .is_duplicate()
    );

    // The reason is not signed: the copy verifies, and is the same event.
    let text = String::from_utf8(body.to_vec()).unwrap();
    let rewritten = Bytes::from(text.replace("1234:7777:12/2012", "anything at all"));
    assert!(
        post(server.address, "/plain", &none, &rewritten)
            .await
            .is_duplicate()
    );
    assert_eq!(handler.calls(id), 1);

    // The amount is: refused.
    let changed = Bytes::from(text.replace("1130", "1"));
    let refused = post(server.address, "/plain", &none, &changed).await;
    assert_eq!(refused.status, 401);
    assert_generic(&refused.body);
    let unsigned = Bytes::from(notification("CAPTURE", "r"));
    assert_eq!(
        post(server.address, "/plain", &none, &unsigned)
            .await
            .status,
        400
    );

    // The capture of the same payment is another event.
    let capture = sign(notification("CAPTURE", "r"));
    assert_eq!(
        post(server.address, "/plain", &none, &capture).await.status,
        200
    );
    assert_eq!(handler.calls("7914073381342284:CAPTURE:true"), 1);
    assert_eq!(handler.total_calls(), 2);
}

/// PayPal, pinned certificate: the delivery is processed once, its retry
/// is a duplicate, a changed body is refused (401), and a body forged to
/// the genuine one's CRC-32 — which the signature cannot tell apart — is
/// answered as the duplicate it is keyed as, without the handler.
#[cfg(feature = "rsa")]
pub(crate) async fn a_paypal_delivery_is_processed_once_and_a_body_forged_to_its_crc_is_a_duplicate<
    F: Face,
>() {
    use webhook_guard::paypal::{PayPalSigner, PayPalVerifier};
    let private_key = include_str!("../data/rsa/signer-2048.pem");
    let certificate = include_str!("../data/rsa/certificate-2048.pem");
    let url = "https://api-m.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";
    let signer = PayPalSigner::new("8PT597110X687430LKGECATA", private_key, url).unwrap();
    let verifier = PayPalVerifier::pinned("8PT597110X687430LKGECATA", certificate).unwrap();
    let handler = Handler::default();
    let server = F::serve(WebhookLayer::new(verifier), handler.clone()).await;
    let transmission = "b2384410-f8d2-11e8-a3b7-4f7d2c4f2e1c";
    let body = Bytes::from_static(
        br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"amount":{"value":"10.00"}}}"#,
    );
    let headers = signer.sign(transmission, SystemTime::now(), &body).unwrap();

    let first = post(server.address, "/plain", &headers, &body).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body, body, "the handler got the verified bytes");
    assert!(
        post(server.address, "/plain", &headers, &body)
            .await
            .is_duplicate()
    );
    assert_eq!(handler.calls(transmission), 1);

    // A changed body has another CRC: a forgery, refused.
    let changed = Bytes::from(
        String::from_utf8(body.to_vec())
            .unwrap()
            .replace("10.00", "99.00"),
    );
    let refused = post(server.address, "/plain", &headers, &changed).await;
    assert_eq!(refused.status, 401);
    assert_generic(&refused.body);

    // Forged to the same CRC-32, the signature verifies: only the record
    // of the transmission ID stops it.
    let mut forged = changed.to_vec();
    forged.extend_from_slice(&crc32_forging_suffix(&changed, crc32fast::hash(&body)));
    let forged = Bytes::from(forged);
    let signed_alike = PayPalVerifier::pinned("8PT597110X687430LKGECATA", certificate)
        .unwrap()
        .verify_at(&headers, &forged, SystemTime::now());
    assert!(signed_alike.is_ok(), "a CRC is no MAC");
    let answer = post(server.address, "/plain", &headers, &forged).await;
    assert!(answer.is_duplicate(), "{:?}", answer.status);
    assert_eq!(handler.calls(transmission), 1, "the forged body never ran");

    // Another transmission ID is a new delivery, and needs a new signature.
    let mut other = headers.clone();
    other.insert(
        "paypal-transmission-id",
        "b2384410-f8d2-11e8-a3b7-4f7d2c4f2e1d".parse().unwrap(),
    );
    assert_eq!(
        post(server.address, "/plain", &other, &body).await.status,
        401
    );
    let mut other_algo = headers.clone();
    other_algo.insert("paypal-auth-algo", "SHA512withRSA".parse().unwrap());
    assert_eq!(
        post(server.address, "/plain", &other_algo, &body)
            .await
            .status,
        400
    );
}
