//! `verify_at` against the physical limit and against a peer crate.
//!
//! For each scheme and body size, in one criterion run:
//! * `raw_hmac`: a pre-keyed HMAC-SHA-256 over the same signed bytes
//!   (prepared outside the timed loop), compared with `verify_slice`: what
//!   any verifier must at least do;
//! * `webhook_guard`: `Verifier::verify_at` on the request's headers and body;
//! * `standardwebhooks` (Standard Webhooks only): the `standardwebhooks`
//!   crate's `Webhook::verify`;
//! * `header_lookups`: only the `HeaderMap` lookups of the headers the scheme
//!   reads — the part of the fixed per-request cost that any verifier taking
//!   an `http::HeaderMap` pays (size-independent; measured once per scheme).
//!
//! `scripts/bench-table` turns the results into the ratios in BENCHMARKS.md.

use std::hint::black_box;
use std::time::SystemTime;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderName;
use sha2::Sha256;
use webhook_guard::{Scheme, Signer, Verifier};

const SIZES: [usize; 4] = [256, 1024, 16 * 1024, 1024 * 1024];
const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";

/// A JSON-shaped body of exactly `size` bytes with the event ID first, as
/// Stripe sends it.
fn body(size: usize) -> Vec<u8> {
    let mut body = br#"{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","data":""#.to_vec();
    body.resize(size - 2, b'x');
    body.extend_from_slice(b"\"}");
    body
}

struct Case {
    scheme: Scheme,
    secret: &'static str,
    /// The HMAC key bytes as the provider derives them from `secret`.
    key: Vec<u8>,
    /// The signed message before the body (the body follows it).
    prefix: fn(timestamp: &str) -> String,
    /// The headers a verifier of this scheme reads.
    reads: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            scheme: Scheme::standard_webhooks(),
            secret: STANDARD_SECRET,
            key: base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            prefix: |timestamp| format!("{ID}.{timestamp}."),
            reads: &["webhook-signature", "webhook-timestamp", "webhook-id"],
        },
        Case {
            scheme: Scheme::stripe(),
            secret: "whsec_benchmark_secret",
            key: b"whsec_benchmark_secret".to_vec(),
            prefix: |timestamp| format!("{timestamp}."),
            reads: &["stripe-signature"],
        },
        Case {
            scheme: Scheme::github(),
            secret: "benchmark secret",
            key: b"benchmark secret".to_vec(),
            prefix: |_| String::new(),
            reads: &["x-hub-signature-256", "x-github-delivery"],
        },
    ]
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn verify(c: &mut Criterion) {
    // The peer crate checks freshness against the real clock, so sign now.
    let now = SystemTime::now();
    let timestamp = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();

    for case in cases() {
        let provider = case.scheme.provider().name().to_owned();
        let mut group = c.benchmark_group(format!("verify/{provider}"));
        let signer = Signer::from_secrets(case.scheme.clone(), [case.secret]).unwrap();
        let verifier = Verifier::from_secrets(case.scheme.clone(), [case.secret]).unwrap();
        let keyed = Hmac::<Sha256>::new_from_slice(&case.key).unwrap();

        for size in SIZES {
            let body = body(size);
            let headers = signer.sign(ID, now, &body).unwrap();
            let verified = verifier.verify_at(&headers, &body, now).unwrap();
            let tag = verified.signature().to_vec();
            let mut signed = (case.prefix)(&timestamp).into_bytes();
            signed.extend_from_slice(&body);
            // The baseline must check the same thing: prove it does.
            let mut check = keyed.clone();
            check.update(&signed);
            check
                .verify_slice(&tag)
                .expect("baseline signs the same bytes");

            group.throughput(Throughput::Bytes(size as u64));
            group.bench_with_input(BenchmarkId::new("raw_hmac", size), &signed, |b, signed| {
                b.iter(|| {
                    let mut mac = keyed.clone();
                    mac.update(black_box(signed));
                    mac.verify_slice(black_box(&tag)).is_ok()
                })
            });
            group.bench_with_input(BenchmarkId::new("webhook_guard", size), &body, |b, body| {
                b.iter(|| {
                    verifier
                        .verify_at(black_box(&headers), black_box(body), now)
                        .is_ok()
                })
            });
            if size == SIZES[0] {
                let names: Vec<HeaderName> = case
                    .reads
                    .iter()
                    .map(|name| HeaderName::from_static(name))
                    .collect();
                group.bench_with_input(
                    BenchmarkId::new("header_lookups", size),
                    &headers,
                    |b, headers| {
                        b.iter(|| {
                            names
                                .iter()
                                .filter(|name| black_box(headers).get(*name).is_some())
                                .count()
                        })
                    },
                );
            }
            if provider == "standard" {
                let peer = standardwebhooks::Webhook::new(STANDARD_SECRET).unwrap();
                peer.verify(&body, &headers)
                    .expect("the peer accepts our signature");
                group.bench_with_input(
                    BenchmarkId::new("standardwebhooks", size),
                    &body,
                    |b, body| b.iter(|| peer.verify(black_box(body), black_box(&headers)).is_ok()),
                );
            }
        }
        group.finish();
    }
}

criterion_group!(benches, verify);
criterion_main!(benches);
