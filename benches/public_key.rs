//! `verify_at` for the public-key schemes against the raw crate's own
//! verification of the same signed bytes (their limit).
//!
//! For Discord (Ed25519) and SendGrid (ECDSA P-256 / SHA-256), each body
//! size, in one criterion run:
//! * `raw_ed25519` / `raw_ecdsa`: `ed25519-dalek`'s `verify_strict`, or
//!   `p256`'s `verify`, of the signed message (timestamp ‖ body, built
//!   outside the timed loop) under a parsed key: what any verifier must at
//!   least do;
//! * `webhook_guard`: `Verifier::verify_at` on the request's headers and
//!   body (which also reads the headers, decodes the signature, checks the
//!   timestamp and assembles the message).
//!
//! `scripts/bench-table` turns the results into the ratios in BENCHMARKS.md.

use std::hint::black_box;
use std::time::SystemTime;

use base64::Engine as _;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ed25519_dalek::pkcs8::DecodePrivateKey as _;
use webhook_guard::scheme::Algorithm;
use webhook_guard::secret::{KeyPair, SecretFormat};
use webhook_guard::{Scheme, Signer, Verifier};

const SIZES: [usize; 3] = [256, 16 * 1024, 1024 * 1024];

fn body(size: usize) -> Vec<u8> {
    let mut body = br#"{"id":"1100000000000000001","type":2,"data":""#.to_vec();
    body.resize(size - 2, b'x');
    body.extend_from_slice(b"\"}");
    body
}

fn public_key(c: &mut Criterion) {
    let now = SystemTime::now();
    let timestamp = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let cases = [
        (
            Scheme::discord(),
            SecretFormat::Ed25519Hex,
            Algorithm::Ed25519,
            "x-signature-ed25519",
        ),
        (
            Scheme::sendgrid(),
            SecretFormat::EcdsaP256,
            Algorithm::EcdsaP256Sha256,
            "x-twilio-email-event-webhook-signature",
        ),
    ];
    for (scheme, format, algorithm, header) in cases {
        let keys = KeyPair::from_seed(format, algorithm, &[5; 32]).unwrap();
        let signer = Signer::from_secrets(scheme.clone(), [keys.signing_key()]).unwrap();
        let verifier = Verifier::from_secrets(scheme.clone(), [keys.verifying_key()]).unwrap();
        let mut group = c.benchmark_group(format!("verify/{}", scheme.provider().name()));
        for size in SIZES {
            let body = body(size);
            let headers = signer.sign("", now, &body).unwrap();
            verifier
                .verify_at(&headers, &body, now)
                .expect("signed just now");
            let encoded = headers[header].to_str().unwrap();
            let mut message = timestamp.clone().into_bytes();
            message.extend_from_slice(&body);
            group.throughput(Throughput::Bytes(size as u64));

            match algorithm {
                Algorithm::Ed25519 => {
                    let seed: [u8; 32] =
                        hex::decode(keys.signing_key()).unwrap().try_into().unwrap();
                    let key = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
                    let signature =
                        ed25519_dalek::Signature::from_slice(&hex::decode(encoded).unwrap())
                            .unwrap();
                    key.verify_strict(&message, &signature)
                        .expect("the baseline checks the same bytes");
                    group.bench_with_input(
                        BenchmarkId::new("raw_ed25519", size),
                        &message,
                        |b, message| {
                            b.iter(|| {
                                key.verify_strict(black_box(message), black_box(&signature))
                                    .is_ok()
                            })
                        },
                    );
                }
                _ => {
                    use p256::ecdsa::signature::Verifier as _;
                    let key = *p256::ecdsa::SigningKey::from_pkcs8_pem(keys.signing_key())
                        .unwrap()
                        .verifying_key();
                    let der = base64::engine::general_purpose::STANDARD
                        .decode(encoded)
                        .unwrap();
                    let signature = p256::ecdsa::Signature::from_der(&der).unwrap();
                    key.verify(&message, &signature)
                        .expect("the baseline checks the same bytes");
                    group.bench_with_input(
                        BenchmarkId::new("raw_ecdsa", size),
                        &message,
                        |b, message| {
                            b.iter(|| {
                                key.verify(black_box(message), black_box(&signature))
                                    .is_ok()
                            })
                        },
                    );
                }
            }
            group.bench_with_input(BenchmarkId::new("webhook_guard", size), &body, |b, body| {
                b.iter(|| {
                    verifier
                        .verify_at(black_box(&headers), black_box(body), now)
                        .is_ok()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, public_key);
criterion_main!(benches);
