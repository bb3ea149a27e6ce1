//! `verify_at` for the public-key schemes against the raw crate's own
//! verification of the same signed bytes (their limit).
//!
//! For Discord (Ed25519), SendGrid (ECDSA P-256 / SHA-256) and a generic
//! RSA-2048 PKCS#1 v1.5 / SHA-256 scheme over the body (PayPal's
//! algorithm), each body size, in one criterion run:
//! * `raw_ed25519` / `raw_ecdsa` / `raw_rsa`: `ed25519-dalek`'s
//!   `verify_strict`, `p256`'s `verify`, or `rsa`'s `verify`, of the signed
//!   message (timestamp ‖ body, or the body, built outside the timed loop)
//!   under a parsed key: what any verifier must at least do;
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
use webhook_guard::scheme::{Algorithm, Encoding, GenericScheme};
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
    let rsa = GenericScheme::new("rsa")
        .with_signature_header("x-signature")
        .with_algorithm(Algorithm::RsaPkcs1v15Sha256)
        .with_encoding(Encoding::Base64)
        .with_secret_format(SecretFormat::Rsa)
        .build()
        .unwrap();
    let rsa_private = include_str!("../tests/data/rsa/signer-2048.pem");
    let rsa_public = include_str!("../tests/data/rsa/certificate-2048.pem");
    let cases = [
        (
            Scheme::discord(),
            Algorithm::Ed25519,
            "x-signature-ed25519",
            keys(SecretFormat::Ed25519Hex, Algorithm::Ed25519),
        ),
        (
            Scheme::sendgrid(),
            Algorithm::EcdsaP256Sha256,
            "x-twilio-email-event-webhook-signature",
            keys(SecretFormat::EcdsaP256, Algorithm::EcdsaP256Sha256),
        ),
        (
            rsa,
            Algorithm::RsaPkcs1v15Sha256,
            "x-signature",
            (rsa_private.to_owned(), rsa_public.to_owned()),
        ),
    ];
    for (scheme, algorithm, header, (signing_key, verifying_key)) in cases {
        let signer = Signer::from_secrets(scheme.clone(), [&signing_key]).unwrap();
        let verifier = Verifier::from_secrets(scheme.clone(), [&verifying_key]).unwrap();
        let mut group = c.benchmark_group(format!("verify/{}", scheme.provider().name()));
        for size in SIZES {
            let body = body(size);
            let headers = signer.sign("", now, &body).unwrap();
            verifier
                .verify_at(&headers, &body, now)
                .expect("signed just now");
            let encoded = headers[header].to_str().unwrap();
            let mut message = if scheme.signs_timestamp() {
                timestamp.clone().into_bytes()
            } else {
                Vec::new()
            };
            message.extend_from_slice(&body);
            group.throughput(Throughput::Bytes(size as u64));

            match algorithm {
                Algorithm::Ed25519 => {
                    let seed: [u8; 32] = hex::decode(&signing_key).unwrap().try_into().unwrap();
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
                Algorithm::RsaPkcs1v15Sha256 => {
                    use rsa::pkcs8::DecodePrivateKey as _;
                    use rsa::signature::{Keypair as _, Verifier as _};
                    let key =
                        rsa::pkcs1v15::SigningKey::<sha2::Sha256>::from_pkcs8_pem(&signing_key)
                            .unwrap()
                            .verifying_key();
                    let signature = rsa::pkcs1v15::Signature::try_from(
                        &base64::engine::general_purpose::STANDARD
                            .decode(encoded)
                            .unwrap()[..],
                    )
                    .unwrap();
                    key.verify(&message, &signature)
                        .expect("the baseline checks the same bytes");
                    group.bench_with_input(
                        BenchmarkId::new("raw_rsa", size),
                        &message,
                        |b, message| {
                            b.iter(|| {
                                key.verify(black_box(message), black_box(&signature))
                                    .is_ok()
                            })
                        },
                    );
                }
                _ => {
                    use p256::ecdsa::signature::Verifier as _;
                    let key = *p256::ecdsa::SigningKey::from_pkcs8_pem(&signing_key)
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

/// A key pair in the provider's own text, the same every run.
fn keys(format: SecretFormat, algorithm: Algorithm) -> (String, String) {
    let keys = KeyPair::from_seed(format, algorithm, &[5; 32]).unwrap();
    (
        keys.signing_key().to_owned(),
        keys.verifying_key().to_owned(),
    )
}

criterion_group!(benches, public_key);
criterion_main!(benches);
