//! PayPal as a whole (`PayPalVerifier`): the official vectors of
//! `tests/data/paypal.json` through the verifier a guard is given (the
//! scheme alone is checked by `tests/vectors.rs`), `PAYPAL-AUTH-ALGO`, the
//! pinned certificate's validity period, and our signer against it.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use webhook_guard::paypal::{PayPalCertificate, PayPalSigner, PayPalVerifier};
use webhook_guard::verify::VerifyRequest;

fn data(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

struct Vector {
    name: String,
    webhook_id: String,
    certificate: String,
    headers: HeaderMap,
    body: Vec<u8>,
    now: SystemTime,
    expect: String,
}

fn vectors() -> Vec<Vector> {
    let document: Value = serde_json::from_str(&data("paypal.json")).unwrap();
    document["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let mut headers = HeaderMap::new();
            for (name, value) in v["headers"].as_object().unwrap() {
                headers.insert(
                    HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    HeaderValue::from_str(value.as_str().unwrap()).unwrap(),
                );
            }
            Vector {
                name: v["name"].as_str().unwrap().to_owned(),
                webhook_id: v["secret"].as_str().unwrap().to_owned(),
                certificate: data(v["certificate"].as_str().unwrap()),
                headers,
                body: v["body"].as_str().unwrap().as_bytes().to_vec(),
                now: UNIX_EPOCH + Duration::from_secs(v["now"].as_u64().unwrap()),
                expect: v["expect"].as_str().unwrap().to_owned(),
            }
        })
        .collect()
}

fn official() -> Vector {
    vectors()
        .into_iter()
        .find(|v| v.name == "java-sdk-valid-endpoint")
        .unwrap()
}

#[test]
fn paypals_official_vectors_give_their_results_through_the_paypal_verifier() {
    let all = vectors();
    assert!(all.len() >= 5);
    for vector in all {
        let verifier = PayPalVerifier::pinned(&vector.webhook_id, &vector.certificate).unwrap();
        let result = verifier.verify_at(&vector.headers, &vector.body, vector.now);
        match (&result, vector.expect.as_str()) {
            (Ok(verified), "ok") => {
                assert_eq!(
                    verified.event_id(),
                    vector.headers["paypal-transmission-id"].to_str().ok()
                );
                assert!(verified.event_id_is_signed(), "the transmission ID keys it");
                assert!(!verified.body_is_signed(), "a CRC-32 is no signature");
            }
            (Err(error), expected) => assert_eq!(error.reason(), expected, "{}", vector.name),
            _ => panic!(
                "{}: expected {}, got {result:?}",
                vector.name, vector.expect
            ),
        }
    }
}

#[test]
fn a_one_byte_change_of_the_official_delivery_fails() {
    let vector = official();
    let verifier = PayPalVerifier::pinned(&vector.webhook_id, &vector.certificate).unwrap();
    assert!(
        verifier
            .verify_at(&vector.headers, &vector.body, vector.now)
            .is_ok()
    );
    let mut body = vector.body.clone();
    for index in 0..body.len() {
        body[index] ^= 0x01;
        assert!(
            verifier
                .verify_at(&vector.headers, &body, vector.now)
                .is_err(),
            "byte {index} of the body"
        );
        body[index] ^= 0x01;
    }
    for name in [
        "paypal-transmission-id",
        "paypal-transmission-time",
        "paypal-transmission-sig",
    ] {
        let value = vector.headers[name].as_bytes().to_vec();
        for index in 0..value.len() {
            let mut changed = value.clone();
            changed[index] = if changed[index] == b'0' { b'1' } else { b'0' };
            let mut headers = vector.headers.clone();
            headers.insert(name, HeaderValue::from_bytes(&changed).unwrap());
            assert!(
                verifier
                    .verify_at(&headers, &vector.body, vector.now)
                    .is_err(),
                "byte {index} of {name}"
            );
        }
    }
    // Another webhook's verifier, with the same PayPal certificate.
    let other = PayPalVerifier::pinned("96605875FF6516634", &vector.certificate).unwrap();
    assert_eq!(
        other
            .verify_at(&vector.headers, &vector.body, vector.now)
            .unwrap_err()
            .reason(),
        "signature_mismatch"
    );
}

#[test]
fn any_auth_algo_but_sha256_with_rsa_is_refused() {
    let vector = official();
    let verifier = PayPalVerifier::pinned(&vector.webhook_id, &vector.certificate).unwrap();
    for algo in [
        "SHA1withRSA",
        "sha256withrsa",
        "SHA256withRSA ",
        "SHA256withECDSA",
        "NotToBeFound",
    ] {
        let mut headers = vector.headers.clone();
        headers.insert("paypal-auth-algo", HeaderValue::from_str(algo).unwrap());
        let error = verifier
            .verify_at(&headers, &vector.body, vector.now)
            .unwrap_err();
        assert_eq!(error.status(), 400, "{algo}");
        assert!(
            verifier.check_headers_at(&headers, vector.now).is_err(),
            "{algo}: headers first"
        );
    }
    let mut missing = vector.headers.clone();
    missing.remove("paypal-auth-algo");
    assert_eq!(
        verifier
            .verify_at(&missing, &vector.body, vector.now)
            .unwrap_err()
            .reason(),
        "missing_header"
    );
}

#[test]
fn a_pinned_certificate_is_trusted_only_within_its_validity_period() {
    let vector = official();
    let certificate = PayPalCertificate::from_pem(&vector.certificate).unwrap();
    assert!(certificate.has_paypal_subject());
    assert_eq!(
        certificate.not_after(),
        UNIX_EPOCH + Duration::from_secs(1_556_280_000),
        "2019-04-26T12:00:00Z"
    );
    // A tolerance of years, so that only the certificate decides.
    let verifier = PayPalVerifier::pinned(&vector.webhook_id, &vector.certificate)
        .unwrap()
        .with_tolerance(Duration::from_secs(20 * 365 * 86_400));
    let verify = |now: SystemTime| verifier.verify_at(&vector.headers, &vector.body, now);
    assert!(verify(vector.now).is_ok());
    assert!(verify(certificate.not_after()).is_ok(), "its last second");
    for now in [
        certificate.not_after() + Duration::from_secs(1),
        certificate.not_before() - Duration::from_secs(1),
        SystemTime::now(),
    ] {
        let error = verify(now).unwrap_err();
        assert_eq!(error.reason(), "untrusted_key", "{now:?}");
        assert_eq!(error.status(), 401);
    }
}

#[test]
fn what_our_signer_writes_the_pinned_verifier_accepts_and_a_swapped_body_crc_does_not_save() {
    let private_key = data("rsa/signer-2048.pem");
    let certificate = data("rsa/certificate-2048.pem");
    let url =
        "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";
    let signer = PayPalSigner::new("WH-TEST-1", &private_key, url).unwrap();
    let verifier = PayPalVerifier::pinned("WH-TEST-1", &certificate).unwrap();
    let now = SystemTime::now();
    let body = br#"{"id":"WH-9","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#;
    let headers = signer.sign("tx-1", now, body).unwrap();
    assert_eq!(headers["paypal-auth-algo"], "SHA256withRSA");
    assert_eq!(headers["paypal-cert-url"], url);
    assert!(headers["paypal-transmission-sig"].is_sensitive());
    let verified = verifier.verify_at(&headers, body, now).unwrap();
    assert_eq!(verified.event_id(), Some("tx-1"));
    // Another body verifies only if it has the same CRC-32: here it has not.
    assert_eq!(
        verifier
            .verify_at(
                &headers,
                br#"{"id":"WH-9","event_type":"PAYMENT.CAPTURE.REFUNDED"}"#,
                now
            )
            .unwrap_err()
            .reason(),
        "signature_mismatch"
    );
    // The signer refuses a certificate URL that is not PayPal's, and a
    // verifier's certificate in place of the private key.
    assert!(PayPalSigner::new("WH-TEST-1", &private_key, "https://evil.com/cert").is_err());
    assert!(PayPalSigner::new("WH-TEST-1", &certificate, url).is_err());
    assert!(PayPalVerifier::pinned("WH|1", &certificate).is_err());
    assert!(PayPalVerifier::pinned("WH-1", "not a certificate").is_err());
    assert!(
        PayPalVerifier::pinned("WH-1", &data("rsa/public-4096.pem")).is_err(),
        "a key is no certificate"
    );
}

#[test]
fn two_webhooks_have_two_namespace_keys_although_paypal_has_one_certificate() {
    let certificate = data("rsa/certificate-2048.pem");
    let first = PayPalVerifier::pinned("WH-1", &certificate).unwrap();
    let again = PayPalVerifier::pinned("WH-1", &certificate).unwrap();
    let second = PayPalVerifier::pinned("WH-2", &certificate).unwrap();
    assert_eq!(first.key_fingerprints(), again.key_fingerprints());
    assert_ne!(first.key_fingerprints(), second.key_fingerprints());
    assert_eq!(first.replay_window(), Some(Duration::from_secs(300)));
    assert!(!format!("{first:?}").contains("BEGIN"));
}

#[test]
fn during_a_rotation_each_pinned_certificate_verifies_only_while_it_is_valid() {
    let vector = official();
    let verifier = PayPalVerifier::pinned(&vector.webhook_id, &vector.certificate)
        .unwrap()
        .with_pinned(&data("rsa/certificate-2048.pem"))
        .unwrap()
        .with_tolerance(Duration::from_secs(20 * 365 * 86_400));
    // The old certificate's delivery, in its time.
    let old = verifier
        .verify_at(&vector.headers, &vector.body, vector.now)
        .unwrap();
    assert_eq!(old.key_index(), 0);
    // A delivery under the new one, now.
    let url = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-new";
    let signer = PayPalSigner::new(&vector.webhook_id, &data("rsa/signer-2048.pem"), url).unwrap();
    let now = SystemTime::now();
    let headers = signer.sign("tx-new", now, b"{}").unwrap();
    assert_eq!(
        verifier
            .verify_at(&headers, b"{}", now)
            .unwrap()
            .key_index(),
        1
    );
    // The old certificate's delivery today: its certificate has expired,
    // though another pinned one is valid.
    let error = verifier
        .verify_at(&vector.headers, &vector.body, now)
        .unwrap_err();
    assert_eq!(error.reason(), "untrusted_key");
    assert!(format!("{verifier:?}").contains("messageverificationcerts.example.test"));
}
