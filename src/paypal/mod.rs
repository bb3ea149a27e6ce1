//! PayPal (feature `rsa`): the verifier, its certificate and where the
//! certificate may come from, and a signer for tests.
//!
//! PayPal signs `{transmission ID}|{transmission time}|{webhook ID}|{CRC-32 of the body}`
//! with RSA/SHA-256 ([`Scheme::paypal`](crate::Scheme::paypal)), under a
//! certificate it names in `PAYPAL-CERT-URL`. **The body is protected by
//! its CRC-32 alone**, which anyone can match with another body; the
//! transmission ID is signed, so it is the idempotency key, and a captured
//! signature cannot carry a second body once the first delivery is
//! recorded. **Until then it can**: whoever captures a delivery (a log, a
//! proxy, a TLS-terminating hop) and forges a body of the same CRC-32 wins
//! if theirs arrives first, within the tolerance, or while the genuine
//! attempt failed and its claim was released before PayPal's retry; the
//! genuine delivery is then answered as a duplicate.
//! [`Verified::body_is_signed`](crate::Verified::body_is_signed) is `false`:
//! before acting on amounts, fetch the event from PayPal's API by its ID.
//!
//! A fetching verifier trusts the live hosts only
//! (`CertificateFetcher::new`, feature `paypal-fetch`), or the sandbox's only
//! (`CertificateFetcher::sandbox`): the sandbox key signs deliveries
//! for anyone's sandbox account.
//!
//! The [`PayPalVerifier`] is pure, as every verifier here: it never
//! connects anywhere. Its certificate is either **pinned** (configured,
//! offline), or **fetched** before verification (feature `paypal-fetch`):
//! a `CertificateLayer` in front of the guard reads `PAYPAL-CERT-URL`
//! once the headers pass, refuses any URL but PayPal's
//! ([`PayPalCertUrl`]) before connecting, and has a `CertificateFetcher`
//! resolve it (bounded in time, size and concurrency, cached by URL until
//! the certificate expires, checked to a trusted root, PayPal's subject
//! and the validity period); the verifier reads only that cache.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use webhook_guard::paypal::PayPalVerifier;
//!
//! // PayPal's own test delivery (its Java SDK's `ValidateCertTest`), at a
//! // time its certificate was valid.
//! let certificate = std::fs::read_to_string("tests/data/paypal/sandbox-2017.pem")?;
//! let verifier = PayPalVerifier::pinned("96605875FF6516633", &certificate)?;
//!
//! let mut headers = http::HeaderMap::new();
//! headers.insert("paypal-transmission-id", "071f7d20-1584-11e7-abf0-6b62a8a99ac4".parse()?);
//! headers.insert("paypal-transmission-time", "2017-03-30T20:04:05Z".parse()?);
//! headers.insert("paypal-auth-algo", "SHA256withRSA".parse()?);
//! headers.insert("paypal-cert-url", "https://api.sandbox.paypal.com/v1/notifications/test".parse()?);
//! headers.insert("paypal-transmission-sig", SIGNATURE.parse()?);
//! let body = std::fs::read("tests/data/paypal/ValidateCertTest-body.json")?;
//!
//! let now = UNIX_EPOCH + Duration::from_secs(1_490_904_245); // the transmission time
//! let verified = verifier.verify_at(&headers, &body, now)?;
//! assert_eq!(verified.event_id(), Some("071f7d20-1584-11e7-abf0-6b62a8a99ac4"));
//!
//! // The certificate expired in 2019: today nothing it signed verifies.
//! assert!(verifier.verify_at(&headers, &body, std::time::SystemTime::now()).is_err());
//! # const SIGNATURE: &str = "aBjgm5/xljRYu3G64Q0axISrP2xcy7WbW1u4UTCKnQvyprOZ1a1BBmqn2Jdr6ce8E76I3Ti/AL9y4VYSHyGSEaoE6dVQcCDebLbOXLH0fjTAbTc1/rmfdWmsk0DPltW84Y8W8jOHe3CLWDOwg5zmozyt+AceG2x5eOiw7mLSycaEoj/5RG+dOIWXnmWcLEArbG3VFshy0wuhZrKuGa9C/bD4Ku+Y9gK7Bv5I5IuGRVnTGpcFnVG0KxOyJxccLGyBVCIUMY5IZS7LkmJszQ3HZZFDTNihvgJHECSLwLhzUaysIye5G6CbbLdtAmeeb6wiDciEAvr2dFf+SplOR4Lrng==";
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cert_url;
mod certificate;
#[cfg(feature = "paypal-fetch")]
mod certificate_future;
#[cfg(feature = "paypal-fetch")]
mod certificate_layer;
#[cfg(feature = "paypal-fetch")]
mod certificate_service;
mod error;
#[cfg(feature = "paypal-fetch")]
mod fetch_error;
#[cfg(feature = "paypal-fetch")]
mod fetcher;
#[cfg(all(test, feature = "paypal-fetch"))]
mod fetcher_tests;
mod signer;
pub(crate) mod verifier;

pub use cert_url::{ALLOWED_HOSTS, CERTS_PATH, PayPalCertUrl};
pub use certificate::{LIVE_SUBJECT, PayPalCertificate, SANDBOX_SUBJECT};
#[cfg(feature = "paypal-fetch")]
pub use certificate_future::CertificateFuture;
#[cfg(feature = "paypal-fetch")]
pub use certificate_layer::CertificateLayer;
#[cfg(feature = "paypal-fetch")]
pub use certificate_service::CertificateService;
pub use error::PayPalError;
#[cfg(feature = "paypal-fetch")]
pub use fetch_error::FetchError;
#[cfg(feature = "paypal-fetch")]
pub use fetcher::CertificateFetcher;
pub use signer::PayPalSigner;
pub use verifier::{AUTH_ALGO, CERT_URL, PayPalVerifier, SHA256_WITH_RSA};
