//! RSA PKCS#1 v1.5 / SHA-256 (feature `rsa`): Google's Wycheproof vectors,
//! OpenSSL's signatures as known answers both ways, the key forms a
//! verifier and a signer take, and the key-size rule.

use std::path::Path;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use serde_json::Value;
use webhook_guard::scheme::{Algorithm, Encoding, GenericScheme};
use webhook_guard::secret::{KeyPair, PrivateKey, PublicKey, SecretError, SecretFormat};
use webhook_guard::{Scheme, Signer, Verifier};

fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn scheme(encoding: Encoding) -> Scheme {
    GenericScheme::new("rsa")
        .with_signature_header("x-signature")
        .with_algorithm(Algorithm::RsaPkcs1v15Sha256)
        .with_encoding(encoding)
        .with_secret_format(SecretFormat::Rsa)
        .build()
        .unwrap()
}

fn headers(signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-signature", signature.parse().unwrap());
    headers
}

#[test]
fn wycheproof_vectors_verify_exactly_when_they_are_valid() {
    let vectors: Value = serde_json::from_str(&data("rsa_pkcs1_sha256.json")).unwrap();
    let now = SystemTime::now();
    let (mut valid, mut refused) = (0, 0);
    for group in vectors["groups"].as_array().unwrap() {
        let pem = group["publicKeyPem"].as_str().unwrap();
        // One key, three spellings: PEM and DER SubjectPublicKeyInfo, PKCS#1.
        let from_pem = PublicKey::rsa_pem(pem).unwrap();
        for der in ["publicKeyDer", "publicKeyAsn"] {
            let der = hex::decode(group[der].as_str().unwrap()).unwrap();
            assert_eq!(PublicKey::rsa_der(&der).unwrap(), from_pem);
        }
        let scheme = scheme(Encoding::Hex);
        let verifier = Verifier::new(scheme.clone(), scheme.keys([pem]).unwrap());
        for case in group["tests"].as_array().unwrap() {
            let id = case["tcId"].as_u64().unwrap();
            let message = hex::decode(case["msg"].as_str().unwrap()).unwrap();
            let signature = case["sig"].as_str().unwrap();
            if signature.is_empty() {
                refused += 1;
                continue; // an empty header cannot even be sent
            }
            let outcome = verifier.verify_at(&headers(signature), &message, now);
            match case["result"].as_str().unwrap() {
                "valid" => {
                    assert!(outcome.is_ok(), "tcId {id}: {outcome:?}");
                    valid += 1;
                }
                "invalid" => {
                    assert!(outcome.is_err(), "tcId {id} ({}) verified", case["comment"]);
                    refused += 1;
                }
                _ => {} // "acceptable": either answer is
            }
        }
    }
    assert!(
        valid >= 10 && refused >= 280,
        "{valid} valid, {refused} refused"
    );
}

#[test]
fn one_changed_byte_of_a_valid_vector_fails() {
    let vectors: Value = serde_json::from_str(&data("rsa_pkcs1_sha256.json")).unwrap();
    let group = &vectors["groups"][0];
    let case = group["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["result"] == "valid" && !case["msg"].as_str().unwrap().is_empty())
        .unwrap();
    let scheme = scheme(Encoding::Hex);
    let verifier =
        Verifier::from_secrets(scheme, [group["publicKeyPem"].as_str().unwrap()]).unwrap();
    let message = hex::decode(case["msg"].as_str().unwrap()).unwrap();
    let signature = hex::decode(case["sig"].as_str().unwrap()).unwrap();
    let now = SystemTime::now();
    assert!(
        verifier
            .verify_at(&headers(&hex::encode(&signature)), &message, now)
            .is_ok()
    );
    for at in 0..message.len() {
        let mut changed = message.clone();
        changed[at] ^= 1;
        assert!(
            verifier
                .verify_at(&headers(&hex::encode(&signature)), &changed, now)
                .is_err()
        );
    }
    for at in [0, 1, 100, signature.len() - 1] {
        let mut changed = signature.clone();
        changed[at] ^= 1;
        assert!(
            verifier
                .verify_at(&headers(&hex::encode(&changed)), &message, now)
                .is_err()
        );
    }
}

#[test]
fn our_signatures_are_openssls_and_openssls_verify_with_a_certificate_or_a_key() {
    let known: Value = serde_json::from_str(&data("rsa/openssl_signatures.json")).unwrap();
    let message = known["message"].as_str().unwrap().as_bytes();
    let now = SystemTime::now();
    let scheme = scheme(Encoding::Base64);
    for (signer_key, verifier_key, expected) in [
        (
            "rsa/signer-2048.pem",
            "rsa/certificate-2048.pem",
            "signature_2048_base64",
        ),
        (
            "rsa/signer-2048-pkcs1.pem",
            "rsa/certificate-2048.pem",
            "signature_2048_base64",
        ),
        (
            "rsa/signer-4096.pem",
            "rsa/public-4096.pem",
            "signature_4096_base64",
        ),
    ] {
        let expected = known[expected].as_str().unwrap();
        let signer = Signer::new(
            scheme.clone(),
            scheme.signing_keys([data(signer_key)]).unwrap(),
        );
        let signed = signer.sign("", now, message).unwrap();
        assert_eq!(signed["x-signature"], expected, "{signer_key}");
        let verifier = Verifier::from_secrets(scheme.clone(), [data(verifier_key)]).unwrap();
        assert!(
            verifier.verify_at(&headers(expected), message, now).is_ok(),
            "{verifier_key}"
        );
        // The same key as base64 DER, as a dashboard may show it.
        let der = pem_body(&data(verifier_key));
        let verifier = Verifier::from_secrets(scheme.clone(), [der]).unwrap();
        assert!(verifier.verify_at(&headers(expected), message, now).is_ok());
    }
    // A 4096-bit signature is 512 bytes, kept whole; one byte more is refused.
    let long = STANDARD.encode([0u8; 513]);
    let verifier = Verifier::from_secrets(scheme, [data("rsa/public-4096.pem")]).unwrap();
    assert_eq!(
        verifier
            .verify_at(&headers(&long), message, now)
            .unwrap_err()
            .status(),
        400
    );
}

/// The base64 between a PEM's armour lines.
fn pem_body(pem: &str) -> String {
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .collect()
}

#[test]
fn keys_of_the_wrong_kind_or_size_are_refused_with_a_reason() {
    let format = SecretFormat::Rsa;
    assert!(matches!(
        format.parse_verifying_key(&data("rsa/too-short-1024-public.pem")),
        Err(SecretError::InvalidKey { expected }) if expected.contains("2048 to 4096")
    ));
    assert!(matches!(
        format.parse_verifying_key(&data("rsa/signer-2048.pem")),
        Err(SecretError::WrongKind { .. })
    ));
    assert!(matches!(
        format.parse_signing_key(&data("rsa/certificate-2048.pem")),
        Err(SecretError::WrongKind { .. })
    ));
    assert!(
        format
            .parse_verifying_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
            .is_err()
    );
    assert!(format.parse_verifying_key("bm90IGEga2V5").is_err());
    assert!(format.parse_verifying_key(&"A".repeat(17 * 1024)).is_err());
    let private = PrivateKey::rsa_pem(&data("rsa/signer-2048.pem")).unwrap();
    assert_eq!(format!("{private:?}"), "PrivateKey([redacted])");
    assert_eq!(private.algorithm(), Algorithm::RsaPkcs1v15Sha256);
}

#[test]
fn a_generated_key_pair_signs_what_its_public_half_verifies() {
    let pair = KeyPair::generate(SecretFormat::Rsa, Algorithm::RsaPkcs1v15Sha256).unwrap();
    assert!(
        pair.signing_key()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    assert!(
        pair.verifying_key()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let scheme = scheme(Encoding::Base64);
    let signer = Signer::from_secrets(scheme.clone(), [pair.signing_key()]).unwrap();
    let verifier = Verifier::from_secrets(scheme, [pair.verifying_key()]).unwrap();
    let now = SystemTime::now();
    let headers = signer.sign("", now, b"{\"a\":1}").unwrap();
    assert!(verifier.verify_at(&headers, b"{\"a\":1}", now).is_ok());
    assert!(verifier.verify_at(&headers, b"{\"a\":2}", now).is_err());
    assert!(KeyPair::from_seed(SecretFormat::Rsa, Algorithm::RsaPkcs1v15Sha256, &[1; 32]).is_err());
}
