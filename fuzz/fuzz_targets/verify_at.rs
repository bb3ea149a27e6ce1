//! Arbitrary headers and body against the verifier of every scheme in the
//! provider registry. The input is
//! `selector, header lines…, "\n\n", body`; header lines are `name:value`.
//! When the selector's top bit is set, the body is first signed correctly
//! and the fuzzed headers are added on top, to reach the code past the MAC.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;
use webhook_guard::scheme::Algorithm;
use webhook_guard::secret::KeyPair;
use webhook_guard::verify::RequestHead;
use webhook_guard::{Scheme, SignError, Signer, Verifier, VerifyError};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // Every scheme of the registry, variants included.
    let schemes: Vec<Scheme> = webhook_guard::providers::all()
        .iter()
        .flat_map(webhook_guard::providers::BuiltInProvider::schemes)
        .collect();
    let scheme = schemes[usize::from(selector & 0x7f) % schemes.len()].clone();
    let split = rest
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or(rest.len());
    let (head, body) = rest.split_at(split);
    let body = body.get(2..).unwrap_or_default();

    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    // A key of the scheme's main kind (a secret, or a key pair), fixed so a
    // crash reproduces.
    let algorithm = scheme.signature_algorithms()[0];
    // RSA keys come from no seed: the OpenSSL-made test key and its certificate.
    let (signing_key, verifying_key) = if algorithm == Algorithm::RsaPkcs1v15Sha256 {
        (
            include_str!("../../tests/data/rsa/signer-2048.pem").to_owned(),
            include_str!("../../tests/data/rsa/certificate-2048.pem").to_owned(),
        )
    } else {
        let pair = KeyPair::from_seed(scheme.secret_format(), algorithm, &[7; 32]).unwrap();
        (
            pair.signing_key().to_owned(),
            pair.verifying_key().to_owned(),
        )
    };
    let url = "https://hooks.example.com/fuzz?tenant=1";
    // Mailgun signs into the body: the signed body replaces the fuzzed one.
    let signed_body;
    let (body, signed_in_body) = if selector & 0x80 != 0 && scheme.signs_in_the_body() {
        let signer = Signer::from_secrets(scheme.clone(), [&signing_key]).unwrap();
        match signer.sign_into_body("msg_fuzz", now, body) {
            Ok(signed) => {
                signed_body = signed;
                (&signed_body[..], true)
            }
            // Not a JSON object: fuzz it unsigned.
            Err(_) => (body, false),
        }
    } else {
        (body, false)
    };
    let mut headers = if selector & 0x80 != 0 && !scheme.signs_in_the_body() {
        let signer = Signer::from_secrets(scheme.clone(), [&signing_key]).unwrap();
        match signer.sign_request(&Method::POST, url, "msg_fuzz", now, body) {
            Ok(headers) => headers,
            // A body Twilio cannot sign as a form: fuzz it unsigned.
            Err(SignError::MalformedForm) => HeaderMap::new(),
            Err(error) => panic!("{error}"),
        }
    } else {
        HeaderMap::new()
    };
    let signed = headers.clone();

    let mut touched = false;
    for line in head.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(&line[colon + 1..]),
        ) else {
            continue;
        };
        touched |= signed.contains_key(&name);
        headers.append(name, value);
    }

    let body_timed = scheme.body_timestamp_field().is_some();
    let verifier = Verifier::from_secrets(scheme, [&verifying_key])
        .unwrap()
        .with_public_url(url)
        .unwrap();
    let uri = http::Uri::from_static("/fuzz?tenant=1");
    let method = Method::POST;
    let result = verifier.verify_request_at(RequestHead::new(&method, &uri, &headers), body, now);
    if let Err(error) = &result {
        let status = error.status().as_u16();
        assert!(status == 400 || status == 401);
    }
    if signed.is_empty() && !signed_in_body {
        // Nothing was signed with the key: nothing may verify (a forgery by
        // the fuzzer would need a preimage, or a forged public-key signature).
        assert!(result.is_err(), "an unsigned request verified: {result:?}");
    } else if !touched {
        // A correctly signed request whose signed headers nobody touched
        // verifies, unless its send time is the body's (Linear) and the
        // fuzzed body has none, or an old one.
        let timed_by_body = body_timed
            && matches!(
                result.as_ref().map_err(VerifyError::reason),
                Err("malformed_body" | "timestamp_out_of_tolerance")
            );
        assert!(result.is_ok() || timed_by_body, "{result:?}");
    }
});
