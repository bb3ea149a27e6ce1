//! Properties of every scheme: what a `Signer` signs, the matching `Verifier`
//! accepts; any single flipped bit in a signed input is rejected; timestamps
//! beyond the tolerance are rejected both ways; rotation reports the key.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;
use webhook_guard::providers::BuiltInProvider;
use webhook_guard::scheme::{Algorithm, Encoding, GenericScheme, MessagePart, TimestampUnit};
use webhook_guard::secret::KeyPair;
use webhook_guard::{Scheme, Signer, Verifier};

/// Every scheme of the registry (each provider and its variants), and
/// some generic ones. Schemes that read their send time from the body
/// (Linear) sign only bodies that carry it, and Mailgun signs into the
/// body: their own properties are below.
fn schemes() -> Vec<Scheme> {
    let mut schemes: Vec<Scheme> = webhook_guard::providers::all()
        .iter()
        .flat_map(BuiltInProvider::schemes)
        .filter(|scheme| scheme.body_timestamp_field().is_none() && !scheme.signs_in_the_body())
        .collect();
    schemes.extend([
        GenericScheme::new("sha512-base64")
            .with_signature_header("x-signature")
            .with_algorithm(Algorithm::Sha512)
            .with_encoding(Encoding::Base64)
            .with_id_header("x-event-id")
            .with_timestamp_header("x-timestamp", TimestampUnit::Milliseconds)
            .with_message([
                MessagePart::Id,
                MessagePart::literal(":"),
                MessagePart::Timestamp,
                MessagePart::literal(":"),
                MessagePart::Body,
            ])
            .build()
            .unwrap(),
        GenericScheme::new("rfc3339")
            .with_signature_header("x-signature")
            .with_timestamp_header("x-signed-at", TimestampUnit::Rfc3339)
            .with_message([
                MessagePart::Timestamp,
                MessagePart::literal("|"),
                MessagePart::Body,
            ])
            .build()
            .unwrap(),
        GenericScheme::new("secret-prefixed-sha256")
            .with_signature_header("x-hubspot-signature")
            .with_algorithm(Algorithm::Sha256SecretPrefixed)
            .build()
            .unwrap(),
        GenericScheme::new("crc32")
            .with_signature_header("x-sig")
            .with_id_header("x-transmission-id")
            .with_message([
                MessagePart::Id,
                MessagePart::literal("|"),
                MessagePart::BodyCrc32,
            ])
            .build()
            .unwrap(),
        GenericScheme::new("sha1-hex")
            .with_signature_header("x-sig")
            .with_prefix("sha1=")
            .with_algorithm(Algorithm::Sha1)
            .build()
            .unwrap(),
    ]);
    schemes
}

/// Every scheme with every algorithm it signs with (Standard Webhooks
/// twice: `v1` with a secret, `v1a` with an Ed25519 key pair).
fn keyed_schemes() -> Vec<(Scheme, Algorithm)> {
    schemes()
        .into_iter()
        .flat_map(|scheme| {
            scheme
                .signature_algorithms()
                .into_iter()
                .map(move |algorithm| (scheme.clone(), algorithm))
        })
        .collect()
}

/// A key in the scheme's own format, made from `seed` bytes (at most 31;
/// distinct seeds make distinct keys): the signer's half and the
/// verifier's half.
fn key_texts(scheme: &Scheme, algorithm: Algorithm, seed: &[u8]) -> KeyPair {
    let mut bytes = [0u8; 32];
    bytes[0] = seed.len() as u8;
    bytes[1..=seed.len()].copy_from_slice(seed);
    KeyPair::from_seed(scheme.secret_format(), algorithm, &bytes).unwrap()
}

/// The signer's and the verifier's text of the key `seed` makes. RSA keys
/// come from no seed: a seed picks one of the OpenSSL-made test keys of
/// `tests/data/rsa/` (so distinct seeds may make one key).
fn texts(scheme: &Scheme, algorithm: Algorithm, seed: &[u8]) -> (String, String) {
    if algorithm == Algorithm::RsaPkcs1v15Sha256 {
        const RSA: [(&str, &str); 2] = [
            (
                include_str!("data/rsa/signer-2048.pem"),
                include_str!("data/rsa/certificate-2048.pem"),
            ),
            (
                include_str!("data/rsa/signer-4096.pem"),
                include_str!("data/rsa/public-4096.pem"),
            ),
        ];
        let (signing, verifying) = RSA[seed.iter().map(|&b| usize::from(b)).sum::<usize>() % 2];
        return (signing.to_owned(), verifying.to_owned());
    }
    let pair = key_texts(scheme, algorithm, seed);
    (
        pair.signing_key().to_owned(),
        pair.verifying_key().to_owned(),
    )
}

fn pair(scheme: &Scheme, algorithm: Algorithm, seeds: &[Vec<u8>]) -> (Signer, Verifier) {
    let keys: Vec<(String, String)> = seeds
        .iter()
        .map(|seed| texts(scheme, algorithm, seed))
        .collect();
    let signing: Vec<&str> = keys.iter().map(|(signing, _)| signing.as_str()).collect();
    let verifying: Vec<&str> = keys
        .iter()
        .map(|(_, verifying)| verifying.as_str())
        .collect();
    (
        Signer::from_secrets(scheme.clone(), &signing).unwrap(),
        Verifier::from_secrets(scheme.clone(), &verifying).unwrap(),
    )
}

/// The URL every request goes to: schemes that sign the URL sign this one.
const URL: &str = "https://hooks.example.com/webhooks/test?tenant=7";

/// The header in which `sign` tells `verify` the request URI it chose
/// (test plumbing only; `verify` removes it).
const REQUEST_URI: &str = "x-test-request-uri";

/// Signs as the sender would: with the method and URL, which schemes that
/// do not sign them ignore. A body that is not a form goes to Twilio as
/// Twilio sends JSON: with its digest in the URL.
/// A signed request, or `None` where the scheme cannot sign this body and
/// its sender would not send it: Mandrill posts a form, and has no digest
/// for other bodies as Twilio does.
fn signed_if_signable(
    scheme: &Scheme,
    signed: Result<HeaderMap, webhook_guard::SignError>,
) -> Option<HeaderMap> {
    match signed {
        Err(webhook_guard::SignError::MalformedForm) if scheme.provider().name() == "mandrill" => {
            None
        }
        signed => Some(signed.unwrap()),
    }
}

fn sign(
    signer: &Signer,
    id: &str,
    time: SystemTime,
    body: &[u8],
) -> Result<HeaderMap, webhook_guard::SignError> {
    let (url, mut headers) = match signer.sign_request(&http::Method::POST, URL, id, time, body) {
        Err(webhook_guard::SignError::MalformedForm) => {
            let url = signer.url_with_body_digest(URL, body);
            let headers = signer.sign_request(&http::Method::POST, &url, id, time, body)?;
            (url, headers)
        }
        signed => (URL.to_owned(), signed?),
    };
    let path = &url[url.find("/webhooks").unwrap()..];
    headers.insert(REQUEST_URI, HeaderValue::from_str(path).unwrap());
    Ok(headers)
}

/// Verifies as a guard would: the request head (a server's path-only URI)
/// and the verifier told the public URL.
fn verify(
    verifier: &Verifier,
    headers: &HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> Result<webhook_guard::Verified, webhook_guard::VerifyError> {
    let verifier = verifier.clone().with_public_url(URL).unwrap();
    let mut headers = headers.clone();
    let uri = headers.remove(REQUEST_URI).map_or_else(
        || "/webhooks/test?tenant=7".to_owned(),
        |uri| uri.to_str().unwrap().to_owned(),
    );
    let mut request = http::Request::post(uri).body(()).unwrap();
    *request.headers_mut() = headers;
    let (parts, ()) = request.into_parts();
    verifier.verify_request_at((&parts).into(), body, now)
}

/// Whether two form bodies hold the same parameters once decoded (Twilio
/// signs those, not the bytes: `%4a` and `%4A` are one `J`).
fn same_form_parameters(one: &[u8], other: &[u8]) -> bool {
    let parameters = |body: &[u8]| {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(body)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        pairs.sort();
        pairs.dedup();
        pairs
    };
    parameters(one) == parameters(other)
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn seeds(max: usize) -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 1..32), 1..=max)
}

/// Event IDs as senders write them. None holds `.` or `:`, the separators
/// after the ID in the signed messages of these schemes (an ID holding its
/// separator is refused: `an_id_holding_its_separator_is_refused_both_ways`).
fn event_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{1,64}"
}

/// Bodies are arbitrary bytes; for Stripe the event ID is read from a JSON
/// body, so some bodies are JSON events.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        event_id().prop_map(|id| format!(r#"{{"id":"{id}","object":"event"}}"#).into_bytes()),
    ]
}

/// The top-level string `field` of a JSON body, as `serde_json` reads it.
fn body_field(body: &[u8], field: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get(field)?.as_str().map(str::to_owned)
}

const TIMES: std::ops::Range<u64> = 1_000_000_000..4_000_000_000;

/// A generic scheme signing `{id}{separator}{body}`.
fn id_then_body(separator: &str) -> Scheme {
    GenericScheme::new("acme")
        .with_signature_header("x-signature")
        .with_id_header("x-event-id")
        .with_message([
            MessagePart::Id,
            MessagePart::literal(separator.to_owned()),
            MessagePart::Body,
        ])
        .build()
        .unwrap()
}

/// The review's forgery: the ID `evt_1` with a body holding `.`, read
/// again as the ID `evt_1.{"amount":12` and the rest of the body.
#[test]
fn bytes_cannot_move_from_the_body_into_a_signed_id() {
    let scheme = id_then_body(".");
    let (signer, verifier) = pair(&scheme, Algorithm::Sha256, &[b"secret".to_vec()]);
    let body = br#"{"amount":12.50,"currency":"usd"}"#;
    let mut headers = sign(&signer, "evt_1", at(1_700_000_000), body).unwrap();
    assert!(
        verifier
            .verify_at(&headers, body, at(1_700_000_000))
            .is_ok()
    );

    headers.insert(
        "x-event-id",
        HeaderValue::from_static(r#"evt_1.{"amount":12"#),
    );
    let error = verifier
        .verify_at(&headers, br#"50,"currency":"usd"}"#, at(1_700_000_000))
        .unwrap_err();
    assert_eq!(error.status(), http::StatusCode::BAD_REQUEST, "{error}");
}

#[test]
fn an_id_holding_its_separator_is_refused_both_ways() {
    for (scheme, id) in [
        (Scheme::standard_webhooks(), "msg.1"),
        (id_then_body("::"), "evt:1"),
    ] {
        let (signer, _) = pair(&scheme, Algorithm::Sha256, &[b"secret".to_vec()]);
        assert_eq!(
            sign(&signer, id, at(1_700_000_000), b"{}").unwrap_err(),
            webhook_guard::SignError::AmbiguousId,
            "{}",
            scheme.provider()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the separator and body, the signed bytes have one reading:
    /// no other split of them into an ID and a body verifies.
    #[test]
    fn no_other_reading_of_the_signed_bytes_verifies(
        separator in prop::sample::select(vec![".", ":", "|", "::", "ab", ".x", "--"]),
        id in "[a-z_.:|-]{1,12}", body in "[a-z_.:|{}-]{0,40}", time in TIMES,
    ) {
        let scheme = id_then_body(separator);
        let (signer, verifier) = pair(&scheme, Algorithm::Sha256, &[b"secret".to_vec()]);
        let Ok(headers) = sign(&signer, &id, at(time), body.as_bytes()) else {
            prop_assert!(id.bytes().any(|byte| separator.as_bytes().contains(&byte)));
            return Ok(());
        };
        let signed = format!("{id}{separator}{body}");
        for (at_byte, _) in signed.match_indices(separator) {
            let (other_id, other_body) = (&signed[..at_byte], &signed[at_byte + separator.len()..]);
            let Ok(value) = HeaderValue::from_str(other_id) else { continue };
            let mut forged = headers.clone();
            forged.insert("x-event-id", value);
            if let Ok(verified) = verify(&verifier, &forged, other_body.as_bytes(), at(time)) {
                prop_assert_eq!(verified.event_id(), Some(id.as_str()));
                prop_assert_eq!(other_body, body.as_str());
            }
        }
    }

    #[test]
    fn what_the_signer_signs_the_verifier_accepts(
        keys in seeds(4), id in event_id(), body in body(), time in TIMES,
    ) {
        for (scheme, algorithm) in keyed_schemes() {
            let (signer, verifier) = pair(&scheme, algorithm, &keys);
            let Some(headers) = signed_if_signable(&scheme, sign(&signer, &id, at(time), &body)) else {
                continue;
            };
            let verified = verify(&verifier, &headers, &body, at(time));
            prop_assert!(verified.is_ok(), "{}: {:?}", scheme.provider(), verified);
            let verified = verified.unwrap();
            prop_assert_eq!(verified.key_index(), 0);
            if scheme.signs_timestamp() {
                prop_assert_eq!(verified.timestamp_unix(), Some(time));
            }
            // Schemes with an ID header report it; Stripe reports the body's
            // `id` and Slack its `event_id` (absent from these bodies).
            let id_headers = [
                "webhook-id",
                "x-event-id",
                "x-github-delivery",
                "x-shopify-event-id",
                "i-twilio-idempotency-token",
                "x-transmission-id",
                "x-razorpay-event-id",
                "svix-id",
                "x-wc-webhook-delivery-id",
                "x-request-uuid",
                "x-atlassian-webhook-identifier",
                "request-id",
                "twitch-eventsub-message-id",
                "x-zendesk-webhook-invocation-id",
                "idempotency-key",
                "paypal-transmission-id",
            ];
            let expected = match scheme.provider().name() {
                "stripe" | "discord" | "mux" | "intercom" | "vercel" => body_field(&body, "id"),
                "slack" | "square" | "paddle" | "typeform" => body_field(&body, "event_id"),
                "segment" => body_field(&body, "messageId"),
                "okta" => body_field(&body, "eventId"),
                _ if id_headers.iter().any(|name| headers.contains_key(*name)) => Some(id.clone()),
                _ => None,
            };
            prop_assert_eq!(verified.event_id(), expected.as_deref(), "{}", scheme.provider());
        }
    }

    #[test]
    fn rotation_reports_the_key_that_matched(
        keys in seeds(4), pick in any::<prop::sample::Index>(), body in body(), time in TIMES,
    ) {
        let index = pick.index(keys.len());
        for (scheme, algorithm) in keyed_schemes() {
            let (_, verifier) = pair(&scheme, algorithm, &keys);
            let (signer, _) = pair(&scheme, algorithm, &keys[index..=index]);
            let Some(headers) = signed_if_signable(&scheme, sign(&signer, "evt_rotation", at(time), &body)) else {
                continue;
            };
            let verified = verify(&verifier, &headers, &body, at(time)).unwrap();
            // Equal seeds make equal keys (RSA's test keys are few); the
            // first equal key matches.
            let made: Vec<(String, String)> =
                keys.iter().map(|seed| texts(&scheme, algorithm, seed)).collect();
            let first_equal = made.iter().position(|k| *k == made[index]).unwrap();
            prop_assert_eq!(verified.key_index(), first_equal, "{}", scheme.provider());
        }
    }

    #[test]
    fn a_flipped_bit_in_any_signed_input_is_rejected(
        key in prop::collection::vec(any::<u8>(), 1..32),
        id in event_id(), body in body(), time in TIMES,
        position in any::<prop::sample::Index>(), bit in 0u8..8,
    ) {
        let keys = [key];
        for (scheme, algorithm) in keyed_schemes() {
            let (signer, verifier) = pair(&scheme, algorithm, &keys);
            let Some(headers) = signed_if_signable(&scheme, sign(&signer, &id, at(time), &body)) else {
                continue;
            };

            if !body.is_empty() {
                let mut flipped = body.clone();
                let at_index = position.index(body.len());
                flipped[at_index] ^= 1 << bit;
                let result = verify(&verifier, &headers, &flipped, at(time));
                // A token signs nothing (the README says so); Twilio signs
                // the form parameters, not their encoding.
                let equivalent = scheme.signature_algorithms().contains(&Algorithm::SharedToken)
                    || (scheme.provider().name() == "twilio"
                        && same_form_parameters(&body, &flipped));
                prop_assert!(result.is_err() || equivalent, "{}: flipped body accepted", scheme.provider());
            }
            for (name, value) in &headers {
                // Every signature header (GitHub's SHA-1 one too), every
                // timestamp and the IDs that are signed; GitHub's and
                // Shopify's ID headers are not covered by their signatures.
                let signed = name != REQUEST_URI && (name.as_str().contains("signature")
                    || name == scheme.signature_header()
                    || name.as_str().contains("timestamp")
                    || name == "webhook-id"
                    || name == "x-event-id");
                if !signed {
                    continue;
                }
                let mut bytes = value.as_bytes().to_vec();
                let at_index = position.index(bytes.len());
                bytes[at_index] ^= 1 << bit;
                let Ok(changed) = HeaderValue::from_bytes(&bytes) else {
                    continue; // not a header value at all: nothing to send
                };
                let mut tampered: HeaderMap = headers.clone();
                if name == "x-hub-signature" {
                    // The legacy SHA-1 header is read only without the SHA-256 one.
                    tampered.remove("x-hub-signature-256");
                    prop_assert!(verify(&verifier, &tampered, &body, at(time)).is_ok());
                }
                tampered.insert(name, changed);
                let result = verify(&verifier, &tampered, &body, at(time));
                prop_assert!(result.is_err(), "{}: flipped {} accepted", scheme.provider(), name);
            }
        }
    }

    /// Linear keeps its send time in the signed body: a body that carries
    /// it verifies within the tolerance and nowhere else, a flipped bit of
    /// it fails, and a body without it is refused.
    #[test]
    fn a_send_time_in_the_signed_body_bounds_freshness(
        keys in seeds(2), id in event_id(), time in TIMES, millis in 0u64..1000,
        offset in 0u64..200, bit in 0u8..8, position in any::<prop::sample::Index>(),
    ) {
        let scheme = Scheme::linear();
        let field = scheme.body_timestamp_field().unwrap();
        let (signer, verifier) = pair(&scheme, Algorithm::Sha256, &keys);
        let sent = time * 1000 + millis;
        let body = format!(r#"{{"id":"{id}","{field}":{sent},"type":"Issue"}}"#).into_bytes();
        let headers = sign(&signer, &id, at(time), &body).unwrap();
        let tolerance = verifier.tolerance().as_secs();
        let verified = verify(&verifier, &headers, &body, at(time + offset.min(tolerance - 1)));
        prop_assert!(verified.is_ok(), "{verified:?}");
        prop_assert_eq!(verified.unwrap().timestamp_unix(), Some(time));
        for now in [time + tolerance + 1 + offset, time - tolerance - 1 - offset] {
            let error = verify(&verifier, &headers, &body, at(now)).unwrap_err();
            prop_assert_eq!(error.reason(), "timestamp_out_of_tolerance");
        }
        let mut flipped = body.clone();
        flipped[position.index(body.len())] ^= 1 << bit;
        prop_assert!(verify(&verifier, &headers, &flipped, at(time)).is_err());
        let untimed = format!(r#"{{"id":"{id}","type":"Issue"}}"#).into_bytes();
        let headers = sign(&signer, &id, at(time), &untimed).unwrap();
        let error = verify(&verifier, &headers, &untimed, at(time)).unwrap_err();
        prop_assert_eq!(error.reason(), "malformed_body");
    }

    /// Mailgun signs into the body: what the signer writes verifies, keyed
    /// by its token; a changed token or timestamp fails; the event data
    /// beside the signature is not signed; a repeated key is refused.
    #[test]
    fn a_signature_written_into_the_body_verifies_and_keys_by_its_token(
        keys in seeds(2), token in "[a-z0-9]{1,50}", time in TIMES, word in "[a-z]{1,12}",
    ) {
        let scheme = Scheme::mailgun();
        let (signer, verifier) = pair(&scheme, Algorithm::Sha256, &keys);
        let event = format!(r#"{{"event-data":{{"event":"{word}"}}}}"#);
        let body = signer.sign_into_body(&token, at(time), event.as_bytes()).unwrap();
        let verified = verify(&verifier, &HeaderMap::new(), &body, at(time)).unwrap();
        prop_assert_eq!(verified.event_id(), Some(token.as_str()));
        prop_assert!(verified.event_id_is_signed());
        prop_assert!(!verified.body_is_signed());
        prop_assert_eq!(verified.timestamp_unix(), Some(time));
        let text = String::from_utf8(body.clone()).unwrap();
        let other_token = text.replace(&format!(r#""{token}""#), &format!(r#""{token}x""#));
        prop_assert!(verify(&verifier, &HeaderMap::new(), other_token.as_bytes(), at(time)).is_err());
        let other_time = text.replace(&format!(r#""{time}""#), &format!(r#""{}""#, time + 1));
        prop_assert!(verify(&verifier, &HeaderMap::new(), other_time.as_bytes(), at(time)).is_err());
        let other_event = text.replace(&format!(r#""event":"{word}""#), r#""event":"forged""#);
        prop_assert!(verify(&verifier, &HeaderMap::new(), other_event.as_bytes(), at(time)).is_ok());
        let repeated = text.replacen('{', r#"{"signature":{},"#, 1);
        let error = verify(&verifier, &HeaderMap::new(), repeated.as_bytes(), at(time)).unwrap_err();
        prop_assert_eq!(error.reason(), "malformed_body");
    }

    #[test]
    fn timestamps_beyond_the_tolerance_are_rejected_both_ways(
        keys in seeds(2), body in body(), time in TIMES,
        tolerance in 1u64..3600, beyond in 1u64..1_000_000, within in 0u64..3600,
    ) {
        for (scheme, algorithm) in keyed_schemes().into_iter().filter(|(scheme, _)| scheme.signs_timestamp()) {
            let (signer, verifier) = pair(&scheme, algorithm, &keys);
            let verifier = verifier.with_tolerance(Duration::from_secs(tolerance));
            let Some(headers) = signed_if_signable(&scheme, sign(&signer, "evt_time", at(time), &body)) else {
                continue;
            };
            let within = within.min(tolerance);

            for now in [time + tolerance + beyond, time - tolerance - beyond] {
                let error = verify(&verifier, &headers, &body, at(now)).unwrap_err();
                prop_assert_eq!(error.reason(), "timestamp_out_of_tolerance");
                prop_assert_eq!(error.status(), http::StatusCode::UNAUTHORIZED);
            }
            for now in [time + within, time - within] {
                prop_assert!(verify(&verifier, &headers, &body, at(now)).is_ok());
            }
        }
    }
}

/// Standard Webhooks while a sender moves from `v1` to `v1a`: one header
/// carries both versions, a receiver holding either kind of key (or both)
/// accepts it, and the key index is the ring's.
#[cfg(feature = "ed25519")]
#[test]
fn v1_and_v1a_stand_side_by_side_through_a_rotation() {
    let scheme = Scheme::standard_webhooks();
    let secret = key_texts(&scheme, Algorithm::Sha256, b"old hmac");
    let pair_key = key_texts(&scheme, Algorithm::Ed25519, b"new ed25519");
    let signer = Signer::from_secrets(
        scheme.clone(),
        [pair_key.signing_key(), secret.signing_key()],
    )
    .unwrap();
    let body = br#"{"type":"rotation"}"#;
    let headers = signer
        .sign("msg_rotation", at(1_700_000_000), body)
        .unwrap();
    let value = headers["webhook-signature"].to_str().unwrap();
    assert!(
        value.starts_with("v1,") && value.contains(" v1a,"),
        "{value}"
    );

    for (verifying, index) in [
        (vec![secret.verifying_key()], 0),
        (vec![pair_key.verifying_key()], 0),
        (vec![secret.verifying_key(), pair_key.verifying_key()], 0),
        (vec![pair_key.verifying_key(), secret.verifying_key()], 1),
    ] {
        let verifier = Verifier::from_secrets(scheme.clone(), &verifying).unwrap();
        let verified = verifier
            .verify_at(&headers, body, at(1_700_000_000))
            .unwrap();
        assert_eq!(verified.key_index(), index, "{verifying:?}");
        assert_eq!(verified.event_id(), Some("msg_rotation"));
    }
    // Without the v1 entry, a receiver holding only the secret has nothing
    // to check; one holding the public key still verifies.
    let only_v1a = value
        .split(' ')
        .find(|entry| entry.starts_with("v1a,"))
        .unwrap();
    let mut headers = headers.clone();
    headers.insert(
        "webhook-signature",
        HeaderValue::from_str(only_v1a).unwrap(),
    );
    let secret_only = Verifier::from_secrets(scheme.clone(), [secret.verifying_key()]).unwrap();
    assert_eq!(
        secret_only
            .verify_at(&headers, body, at(1_700_000_000))
            .unwrap_err()
            .reason(),
        "no_supported_signature"
    );
    let public_only = Verifier::from_secrets(scheme, [pair_key.verifying_key()]).unwrap();
    assert!(
        public_only
            .verify_at(&headers, body, at(1_700_000_000))
            .is_ok()
    );
}

/// Mix-ups between the halves of a key pair are refused with a hint.
#[cfg(feature = "ed25519")]
#[test]
fn each_side_refuses_the_other_half_of_a_key_pair() {
    let scheme = Scheme::standard_webhooks();
    let keys = key_texts(&scheme, Algorithm::Ed25519, b"mix-up");
    let error = Verifier::from_secrets(scheme.clone(), [keys.signing_key()]).unwrap_err();
    assert!(error.to_string().contains("whpk_"), "{error}");
    let error = Signer::from_secrets(scheme, [keys.verifying_key()]).unwrap_err();
    assert!(error.to_string().contains("whsk_"), "{error}");
    assert!(!format!("{keys:?}").contains(keys.signing_key()));
}
