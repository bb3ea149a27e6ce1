//! Every official known-answer vector in `tests/data/` verifies (or fails for
//! the stated reason) at its fixed clock, and a one-byte change of any signed
//! input of a valid vector is rejected.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use webhook_guard::providers::BuiltInProvider;
use webhook_guard::scheme::Algorithm;
use webhook_guard::verify::RequestHead;
use webhook_guard::{Scheme, Signer, Verifier};

struct Vector {
    scheme: Scheme,
    name: String,
    secret: String,
    headers: HeaderMap,
    body: Vec<u8>,
    now: SystemTime,
    tolerance: Duration,
    expect: String,
    event_id: Option<String>,
    /// The sender's key, where the vector gives it and the signature is
    /// deterministic (Ed25519): our signer must write the same signature.
    signing_key: Option<String>,
    /// The URL the sender requested, for schemes that sign it.
    url: Option<String>,
    /// The verifier's key as a file under `tests/data/` (PayPal's
    /// certificate); `secret` is then the provider's configuration (PayPal's
    /// webhook ID), not a key.
    certificate: Option<String>,
    /// Headers the provider sends but does not sign (a reported delivery
    /// ID): changing them changes nothing, which the one-byte test checks.
    unsigned_headers: Vec<HeaderName>,
    /// For a scheme that signs only parts of the body (Mailgun's signature
    /// object, Adyen's signed fields of the item): those parts, whose every
    /// byte the one-byte test changes.
    signed_body_parts: Vec<String>,
}

fn load(provider: &'static BuiltInProvider) -> Vec<Vector> {
    let file = provider.name();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(format!("{file}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let document: Value = serde_json::from_str(&text).unwrap();
    let scheme = scheme_for(provider, &document);
    let vectors = document["vectors"].as_array().expect("a `vectors` array");
    assert!(!vectors.is_empty(), "{file} has no vectors");
    vectors
        .iter()
        .map(|v| {
            let text = |key: &str| {
                v[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("{file}: `{key}` missing"))
            };
            assert!(!text("source").is_empty(), "every vector names its source");
            let mut headers = HeaderMap::new();
            for (name, value) in v["headers"].as_object().expect("headers") {
                headers.append(
                    HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    HeaderValue::from_str(value.as_str().unwrap()).unwrap(),
                );
            }
            let body = match v.get("body_base64").and_then(Value::as_str) {
                Some(encoded) => base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .unwrap(),
                None => text("body").as_bytes().to_vec(),
            };
            // A vector may name a variant of its own (HubSpot's v1 and v2
            // beside v3).
            let scheme = match v.get("variant").and_then(Value::as_str) {
                Some(variant) => provider
                    .variant(variant)
                    .unwrap_or_else(|| panic!("{file}: no variant {variant}")),
                None => scheme.clone(),
            };
            Vector {
                scheme,
                name: text("name").to_owned(),
                secret: text("secret").to_owned(),
                headers,
                body,
                now: UNIX_EPOCH + Duration::from_secs(v["now"].as_u64().expect("now")),
                tolerance: Duration::from_secs(
                    v.get("tolerance").and_then(Value::as_u64).unwrap_or(300),
                ),
                expect: text("expect").to_owned(),
                event_id: v.get("event_id").and_then(Value::as_str).map(str::to_owned),
                url: v.get("url").and_then(Value::as_str).map(str::to_owned),
                signing_key: v
                    .get("signing_key")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                certificate: v.get("certificate").and_then(Value::as_str).map(|file| {
                    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("tests/data")
                        .join(file);
                    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
                }),
                signed_body_parts: v
                    .get("signed_body_parts")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|part| part.as_str().unwrap().to_owned())
                    .collect(),
                unsigned_headers: v
                    .get("unsigned_headers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|name| HeaderName::from_bytes(name.as_str().unwrap().as_bytes()).unwrap())
                    .collect(),
            }
        })
        .collect()
}

/// The provider's scheme, or the variant its vectors file names (GitHub's
/// SHA-1 vectors need the legacy header: `"variant": "with_sha1"`).
fn scheme_for(provider: &BuiltInProvider, document: &Value) -> Scheme {
    match document.get("variant").and_then(Value::as_str) {
        Some(variant) => provider
            .variant(variant)
            .unwrap_or_else(|| panic!("{}: no variant {variant}", provider.name())),
        None => provider.scheme(),
    }
}

fn verifier(vector: &Vector) -> Verifier {
    let (scheme, key) = match &vector.certificate {
        None => (vector.scheme.clone(), &vector.secret),
        Some(certificate) => (configured(vector), certificate),
    };
    Verifier::from_secrets(scheme, [key])
        .unwrap_or_else(|e| panic!("{}: secret rejected: {e}", vector.name))
        .with_tolerance(vector.tolerance)
}

/// The scheme of a vector whose `secret` is configuration: PayPal's,
/// built for the webhook ID. (PayPal's other headers and the certificate's
/// validity are `PayPalVerifier`'s, checked in `tests/paypal.rs`.)
fn configured(vector: &Vector) -> Scheme {
    match vector.scheme.provider().name() {
        #[cfg(feature = "rsa")]
        "paypal" => Scheme::paypal(&vector.secret).unwrap(),
        other => panic!("{}: {other} takes no configuration", vector.name),
    }
}

/// Verifies `headers` and `body` as the vector's request: with the
/// request head when the vector has a URL (the absolute URL as the request
/// URI), else from the headers alone.
fn verify(
    vector: &Vector,
    verifier: &Verifier,
    url: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<webhook_guard::Verified, webhook_guard::VerifyError> {
    match url {
        None => verifier.verify_at(headers, body, vector.now),
        Some(url) => {
            let mut request = http::Request::post(url).body(()).unwrap();
            *request.headers_mut() = headers.clone();
            let (parts, ()) = request.into_parts();
            verifier.verify_request_at(RequestHead::from(&parts), body, vector.now)
        }
    }
}

/// The same vector through a server's eyes: the request URI is only a
/// path, and the verifier is configured with the public URL (the vector's
/// URL without Twilio's `bodySHA256`, which the sender appends).
fn verify_behind_a_proxy(
    vector: &Vector,
) -> Option<Result<webhook_guard::Verified, webhook_guard::VerifyError>> {
    let url = vector.url.as_deref()?;
    let public: String = match url.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|pair| !pair.starts_with("bodySHA256="))
                .collect();
            if kept.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{}", kept.join("&"))
            }
        }
        None => url.to_owned(),
    };
    let verifier = verifier(vector).with_public_url(&public).unwrap();
    let mut request = http::Request::post(format!(
        "/internal{}",
        url.find("?").map_or("", |at| &url[at..])
    ))
    .body(())
    .unwrap();
    *request.headers_mut() = vector.headers.clone();
    let (parts, ()) = request.into_parts();
    Some(verifier.verify_request_at(RequestHead::from(&parts), &vector.body, vector.now))
}

/// Every registered provider's vectors: each provider must have a file.
fn every_provider() -> impl Iterator<Item = (&'static str, Vec<Vector>)> {
    webhook_guard::providers::all()
        .iter()
        .map(|provider| (provider.name(), load(provider)))
}

#[test]
fn every_official_vector_gives_its_expected_result() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (file, vectors) in every_provider() {
        assert!(
            vectors.iter().any(|v| v.expect == "ok"),
            "{file}: at least one valid vector"
        );
        for vector in &vectors {
            // A sender's own test may sign with a key this crate refuses
            // (WooCommerce's empty default secret): the refusal is checked.
            if vector.expect == "secret_refused" {
                if Verifier::from_secrets(vector.scheme.clone(), [&vector.secret]).is_ok() {
                    failures.push(format!("{}: the secret was accepted", vector.name));
                }
                checked += 1;
                continue;
            }
            let result = verify(
                vector,
                &verifier(vector),
                vector.url.as_deref(),
                &vector.headers,
                &vector.body,
            );
            let reason = |result: &Result<_, webhook_guard::VerifyError>| {
                result
                    .as_ref()
                    .err()
                    .map(webhook_guard::VerifyError::reason)
            };
            if let Some(proxied) = verify_behind_a_proxy(vector)
                && reason(&proxied) != reason(&result)
            {
                failures.push(format!(
                    "{}: behind a proxy {proxied:?}, directly {result:?}",
                    vector.name
                ));
            }
            match (&result, vector.expect.as_str()) {
                (Ok(verified), "ok") => {
                    if let Some(id) = &vector.event_id
                        && verified.event_id() != Some(id.as_str())
                    {
                        failures.push(format!(
                            "{}: event ID {:?}",
                            vector.name,
                            verified.event_id()
                        ));
                    }
                }
                (Err(error), expected) if error.reason() == expected => {}
                _ => failures.push(format!(
                    "{file} {}: expected {}, got {result:?}",
                    vector.name, vector.expect
                )),
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 50, "only {checked} vectors");
}

#[test]
fn a_one_byte_change_of_any_signed_input_fails() {
    for (_, vectors) in every_provider() {
        for vector in vectors.iter().filter(|v| v.expect == "ok") {
            let verifier = verifier(vector);
            let url = vector.url.as_deref();
            let rejects = |headers: &HeaderMap, body: &[u8], what: &str| {
                let result = verify(vector, &verifier, url, headers, body);
                assert!(result.is_err(), "{} accepted a changed {what}", vector.name);
            };
            // Every byte of the URL, where it is signed; the port is not
            // pinned by Twilio's signature (its SDKs accept it with or
            // without), and a byte that makes no URL cannot be sent.
            if let Some(url) = url {
                let port = port_digits(url);
                for index in (0..url.len()).filter(|index| !port.contains(index)) {
                    let mut changed = url.as_bytes().to_vec();
                    changed[index] ^= 0x01;
                    let Ok(changed) = String::from_utf8(changed) else {
                        continue;
                    };
                    if changed
                        .parse::<http::Uri>()
                        .map_or(true, |uri| uri.authority().is_none())
                    {
                        continue;
                    }
                    let result = verify(
                        vector,
                        &verifier,
                        Some(&changed),
                        &vector.headers,
                        &vector.body,
                    );
                    assert!(
                        result.is_err(),
                        "{} accepted the URL {changed}",
                        vector.name
                    );
                }
            }

            // A shared token signs nothing: the body is the token holder's
            // to choose (the README says so), and changing it must verify.
            if vector
                .scheme
                .signature_algorithms()
                .contains(&Algorithm::SharedToken)
            {
                let mut body = vector.body.clone();
                body[0] ^= 0x01;
                assert!(
                    verify(vector, &verifier, url, &vector.headers, &body).is_ok(),
                    "{}: a token scheme that signs the body?",
                    vector.name
                );
            } else if !vector.signed_body_parts.is_empty() {
                // Only these parts are signed (the README says so); each
                // of their bytes is.
                for part in &vector.signed_body_parts {
                    let start = std::str::from_utf8(&vector.body)
                        .unwrap()
                        .find(part.as_str())
                        .expect("the signed part is in the body");
                    let mut body = vector.body.clone();
                    for index in start..start + part.len() {
                        body[index] ^= 0x01;
                        rejects(&vector.headers, &body, "signed part of the body");
                        body[index] ^= 0x01;
                    }
                }
            } else {
                one_byte_changes_of_the_body_fail(vector, &rejects);
            }

            // Each signed character of each header: the whole timestamp and ID
            // headers, and in the signature header the matched signature and
            // (Stripe) the `t=` timestamp. Other entries of a multi-signature
            // header are not signed inputs: changing them changes nothing.
            let verified = verify(vector, &verifier, url, &vector.headers, &vector.body).unwrap();
            for (name, value) in &vector.headers {
                if name == "x-github-delivery" || name.as_str().starts_with("x-shopify-webhook") {
                    continue; // unsigned by the provider's design
                }
                if vector.unsigned_headers.contains(name) {
                    let mut headers = vector.headers.clone();
                    let mut changed = value.as_bytes().to_vec();
                    changed[0] = if changed[0] == b'0' { b'1' } else { b'0' };
                    headers.insert(name, HeaderValue::from_bytes(&changed).unwrap());
                    let result = verify(vector, &verifier, url, &headers, &vector.body);
                    assert!(
                        result.is_ok(),
                        "{}: {name} is listed unsigned but changing it gives {result:?}",
                        vector.name
                    );
                    continue;
                }
                // The signature may stand twice (Mux's `v2=` entry repeats
                // the `v1=` one; Paddle may send one `h1` twice): a byte of
                // it is changed in every copy at once.
                let occurrences = signed_positions(value.to_str().unwrap(), verified.signature());
                for offset in 0..occurrences[0].len() {
                    let mut changed = value.as_bytes().to_vec();
                    // Each byte once: the copies share the `t=` timestamp.
                    let indices: std::collections::BTreeSet<usize> = occurrences
                        .iter()
                        .map(|positions| positions[offset])
                        .collect();
                    for index in indices {
                        changed[index] = if changed[index] == b'0' { b'1' } else { b'0' };
                    }
                    let mut headers = vector.headers.clone();
                    headers.insert(name, HeaderValue::from_bytes(&changed).unwrap());
                    rejects(&headers, &vector.body, &format!("byte {offset} of {name}"));
                }
            }
        }
    }
}

/// Every byte position of the body, one at a time (bodies are small), an
/// appended byte and a dropped one: each is rejected.
fn one_byte_changes_of_the_body_fail(vector: &Vector, rejects: &dyn Fn(&HeaderMap, &[u8], &str)) {
    let mut body = vector.body.clone();
    for index in 0..body.len() {
        body[index] ^= 0x01;
        rejects(&vector.headers, &body, "body");
        body[index] ^= 0x01;
    }
    let mut longer = vector.body.clone();
    longer.push(b' ');
    rejects(&vector.headers, &longer, "body (appended byte)");
    if !vector.body.is_empty() {
        rejects(
            &vector.headers,
            &vector.body[..vector.body.len() - 1],
            "body (dropped byte)",
        );
    }
}

/// The positions of the port's digits (and its colon) in an absolute URL.
fn port_digits(url: &str) -> std::ops::Range<usize> {
    let authority_start = url.find("://").map_or(0, |at| at + 3);
    let authority_end = url[authority_start..]
        .find(['/', '?'])
        .map_or(url.len(), |at| authority_start + at);
    match url[authority_start..authority_end].rfind(':') {
        Some(colon) => authority_start + colon..authority_end,
        None => 0..0,
    }
}

/// The byte positions of a header value that the signature covers.
fn signed_positions(value: &str, signature: &[u8]) -> Vec<Vec<usize>> {
    let encodings = [
        hex::encode(signature),
        base64::engine::general_purpose::STANDARD.encode(signature),
    ];
    let Some(encoded) = encodings
        .iter()
        .find(|encoded| value.contains(encoded.as_str()))
    else {
        return vec![(0..value.len()).collect()]; // a timestamp or ID header
    };
    value
        .match_indices(encoded.as_str())
        .map(|(start, _)| {
            let mut positions: Vec<usize> = (start..start + encoded.len()).collect();
            if let Some(t) = value.strip_prefix("t=") {
                positions.extend(2..2 + t.find(',').unwrap_or(t.len()));
            }
            positions
        })
        .collect()
}

#[test]
fn github_sha1_vectors_need_the_legacy_scheme() {
    let github = webhook_guard::providers::find("github").unwrap();
    for vector in load(github).iter().filter(|v| v.expect == "ok") {
        let sha256_only = Verifier::github(&vector.secret).unwrap();
        let result = sha256_only.verify_at(&vector.headers, &vector.body, vector.now);
        if vector.headers.contains_key("x-hub-signature-256") {
            assert!(result.is_ok(), "{}", vector.name);
        } else {
            assert_eq!(
                result.unwrap_err().reason(),
                "missing_header",
                "{}",
                vector.name
            );
        }
    }
}

#[test]
fn our_signer_writes_the_official_deterministic_signatures() {
    let mut checked = 0;
    for (_, vectors) in every_provider() {
        for vector in vectors.iter().filter(|v| v.signing_key.is_some()) {
            let signer = Signer::from_secrets(vector.scheme.clone(), vector.signing_key.as_slice())
                .unwrap_or_else(|e| panic!("{}: signing key rejected: {e}", vector.name));
            let id = vector.event_id.as_deref().unwrap_or_default();
            let signature_header = vector.scheme.signature_header();
            let timestamp = vector
                .headers
                .iter()
                .find(|(name, _)| name.as_str().contains("timestamp"))
                .map(|(_, value)| value.to_str().unwrap().parse::<u64>().unwrap())
                .expect("a timestamp header");
            let signed = signer
                .sign(
                    id,
                    UNIX_EPOCH + Duration::from_secs(timestamp),
                    &vector.body,
                )
                .unwrap();
            let ours = signed[signature_header].to_str().unwrap();
            let theirs = vector.headers[signature_header].to_str().unwrap();
            assert!(
                theirs.contains(ours),
                "{}: we wrote {ours}, they {theirs}",
                vector.name
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} signing vectors");
}
