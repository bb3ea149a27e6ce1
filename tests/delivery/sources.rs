//! Source allow-lists, trusted proxies and required HTTPS over real
//! loopback HTTP, on every face: the peer address is the framework's
//! (axum's `ConnectInfo`, actix-web's `peer_addr`), forwarding headers are
//! read only from trusted proxies and from the right, and a refused request
//! is 403 with the generic body, never reaches the handler and claims
//! nothing.

use std::net::SocketAddr;

use bytes::Bytes;
use http::HeaderMap;
use webhook_guard::handshake::Handshake;
use webhook_guard::idempotency::MemoryStore;
use webhook_guard::source::{AllowedSources, TrustedProxies};
use webhook_guard::{Scheme, WebhookLayer};

use crate::face::Face;
use crate::fixtures::{Handler, assert_generic, delivery, verifier};
use crate::handshakes::{get, layer};
use crate::suite::post;

fn allowing(sources: &str, store: &MemoryStore) -> WebhookLayer {
    WebhookLayer::new(verifier())
        .with_store(store.clone())
        .with_allowed_sources(AllowedSources::parse(sources).unwrap())
}

fn with_header(mut headers: HeaderMap, name: &'static str, value: &str) -> HeaderMap {
    headers.append(name, value.parse().unwrap());
    headers
}

async fn status_of(address: SocketAddr, headers: &HeaderMap, body: &Bytes) -> u16 {
    let answer = post(address, "/hook", headers, body).await;
    if answer.status == 403 {
        assert_generic(&answer.body);
    }
    answer.status.as_u16()
}

pub(crate) async fn a_source_outside_the_allow_list_is_403_claims_nothing_and_a_spoofed_forwarded_for_is_ignored<
    F: Face,
>() {
    let store = MemoryStore::new();
    let handler = Handler::default();
    let elsewhere = F::serve(allowing("192.0.2.0/24", &store), handler.clone()).await;
    let (headers, body) = delivery("evt_outside");
    // The peer is 127.0.0.1; without trusted proxies, what the client says
    // of itself is not read.
    let spoofed = with_header(headers.clone(), "x-forwarded-for", "192.0.2.1");
    let spoofed = with_header(spoofed, "forwarded", "for=192.0.2.1");
    assert_eq!(status_of(elsewhere.address, &spoofed, &body).await, 403);
    assert_eq!(status_of(elsewhere.address, &headers, &body).await, 403);
    assert_eq!(handler.total_calls(), 0);

    // Nothing was claimed: the same delivery, from an allowed source on the
    // same store, is processed — once.
    let local = F::serve(allowing("127.0.0.0/8", &store), handler.clone()).await;
    assert_eq!(status_of(local.address, &headers, &body).await, 200);
    assert_eq!(handler.calls("evt_outside"), 1);
    let again = post(local.address, "/hook", &headers, &body).await;
    assert!(again.is_duplicate());
}

pub(crate) async fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client<F: Face>() {
    let store = MemoryStore::new();
    let handler = Handler::default();
    let layer = allowing("192.0.2.0/24", &store)
        .with_trusted_proxies(TrustedProxies::parse("127.0.0.1/32, 10.0.0.0/8").unwrap());
    let served = F::serve(layer, handler.clone()).await;

    // The left-most entry is the client's to write: it decides nothing.
    let (headers, body) = delivery("evt_forged_left");
    let forged = with_header(
        headers,
        "x-forwarded-for",
        "192.0.2.1, 198.51.100.7, 10.0.0.2",
    );
    assert_eq!(status_of(served.address, &forged, &body).await, 403);
    // No forwarding header: the proxy itself is the client.
    let (headers, body) = delivery("evt_no_header");
    assert_eq!(status_of(served.address, &headers, &body).await, 403);
    // A hop that is not an address where the client should be: refused.
    let (headers, body) = delivery("evt_garbage_hop");
    let garbage = with_header(headers, "x-forwarded-for", "192.0.2.1, unknown");
    assert_eq!(status_of(served.address, &garbage, &body).await, 403);
    assert_eq!(handler.total_calls(), 0);

    // The right-most hop the proxies did not add is the sender.
    let (headers, body) = delivery("evt_via_proxies");
    let genuine = with_header(
        headers,
        "x-forwarded-for",
        "198.51.100.7, 192.0.2.1, 10.0.0.2",
    );
    assert_eq!(status_of(served.address, &genuine, &body).await, 200);
    assert_eq!(handler.calls("evt_via_proxies"), 1);
}

pub(crate) async fn ipv6_peers_and_ipv4_mapped_peers_match_their_ranges<F: Face>() {
    let handler = Handler::default();
    let store = MemoryStore::new();

    let on_v6 = SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0));
    let v6 = F::serve_at(allowing("::1/128", &store), handler.clone(), on_v6).await;
    let (headers, body) = delivery("evt_v6");
    assert_eq!(status_of(v6.address, &headers, &body).await, 200);
    let v4_only = F::serve_at(allowing("127.0.0.0/8", &store), handler.clone(), on_v6).await;
    let (headers, body) = delivery("evt_v6_refused");
    assert_eq!(status_of(v4_only.address, &headers, &body).await, 403);

    // An IPv6 socket bound to a mapped address sees IPv4 clients as
    // `::ffff:127.0.0.1`: they match the IPv4 range.
    let mapped_loopback: std::net::Ipv6Addr = "::ffff:127.0.0.1".parse().unwrap();
    let mapped = F::serve_at(
        allowing("127.0.0.1/32", &store),
        handler.clone(),
        SocketAddr::from((mapped_loopback, 0)),
    )
    .await;
    let over_v4 = SocketAddr::from(([127, 0, 0, 1], mapped.address.port()));
    let (headers, body) = delivery("evt_mapped");
    assert_eq!(status_of(over_v4, &headers, &body).await, 200);
    assert_eq!(handler.calls("evt_v6"), 1);
    assert_eq!(handler.calls("evt_mapped"), 1);
    assert_eq!(handler.calls("evt_v6_refused"), 0);
}

pub(crate) async fn plain_http_is_refused_where_https_is_required_unless_a_trusted_proxy_says_https<
    F: Face,
>() {
    let store = MemoryStore::new();
    let handler = Handler::default();
    let direct = F::serve(
        WebhookLayer::new(verifier())
            .with_store(store.clone())
            .with_required_https(),
        handler.clone(),
    )
    .await;
    let (headers, body) = delivery("evt_plain");
    assert_eq!(status_of(direct.address, &headers, &body).await, 403);
    // Said by the client itself: not believed.
    let claimed = with_header(headers.clone(), "x-forwarded-proto", "https");
    assert_eq!(status_of(direct.address, &claimed, &body).await, 403);
    assert_eq!(handler.total_calls(), 0);

    let behind_proxy = F::serve(
        WebhookLayer::new(verifier())
            .with_store(store)
            .with_trusted_proxies(TrustedProxies::parse("127.0.0.1").unwrap())
            .with_required_https(),
        handler.clone(),
    )
    .await;
    let forwarded = with_header(headers.clone(), "x-forwarded-for", "198.51.100.7");
    let over_http = with_header(forwarded.clone(), "x-forwarded-proto", "http");
    assert_eq!(
        status_of(behind_proxy.address, &over_http, &body).await,
        403
    );
    let over_https = with_header(forwarded, "x-forwarded-proto", "https");
    assert_eq!(
        status_of(behind_proxy.address, &over_https, &body).await,
        200
    );
    assert_eq!(handler.calls("evt_plain"), 1);
}

pub(crate) async fn a_handshake_from_outside_the_allow_list_is_refused_before_it_is_answered<
    F: Face,
>() {
    let guard = |sources: &str| {
        layer(
            Scheme::meta(),
            "app secret",
            Handshake::meta("my verify token").unwrap(),
        )
        .with_allowed_sources(AllowedSources::parse(sources).unwrap())
    };
    let subscribe =
        "/any?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my+verify+token";
    let elsewhere = F::serve(guard("192.0.2.0/24"), Handler::default()).await;
    let refused = get(elsewhere.address, subscribe, &[]).await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.starts_with(b"1158201444"), "never echoed");
    let local = F::serve(guard("127.0.0.1"), Handler::default()).await;
    let answered = get(local.address, subscribe, &[]).await;
    assert_eq!(
        (answered.status.as_u16(), &answered.body[..]),
        (200, &b"1158201444"[..])
    );
}
