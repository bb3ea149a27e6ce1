//! Entry points for the `fuzz/` targets into crate-private parsers. Compiled
//! only under `--cfg fuzzing` (set by `cargo fuzz`); not part of the API.

use std::borrow::Cow;

use crate::crypto::Candidates;
use crate::scheme::json_field;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::{Algorithm, Encoding};

/// Parses a Standard Webhooks signature header (`v1,<base64> …`) for each
/// of its versions: `v1` HMAC tags, `v1a` Ed25519 signatures. Both read
/// the same entries; each keeps only its own, at most the limit.
pub fn standard_signature_header(value: &[u8]) {
    let mut entries = [0usize; 2];
    for (slot, (version, algorithm)) in [("v1", Algorithm::Sha256), ("v1a", Algorithm::Ed25519)]
        .into_iter()
        .enumerate()
    {
        let format = SignatureFormat::VersionedList { version };
        let mut candidates = Candidates::new(algorithm);
        if format
            .parse(value, Encoding::Base64, &mut candidates)
            .is_ok()
        {
            assert!(candidates.len() <= crate::limits::MAX_SIGNATURES);
            for candidate in candidates.iter() {
                assert_eq!(candidate.len(), algorithm.output_len());
            }
            entries[slot] = candidates.len();
        }
    }
    assert!(entries[0] + entries[1] <= crate::limits::MAX_SIGNATURES);
}

/// A form body as Twilio signs it (`Err` when refused: too many parameters,
/// or one that is not UTF-8 once decoded). The target compares it with
/// `form_urlencoded`.
pub fn sorted_form_parameters(body: &[u8]) -> Result<Vec<u8>, ()> {
    crate::scheme::form_parameters::sorted_name_values(body, false).map_err(|_| ())
}

/// The URL a verifier rebuilds from a request behind forwarding headers,
/// and its port variants: never a panic, never longer than the bound, and
/// each variant still a URL.
pub fn forwarded_url(data: &[u8]) {
    use crate::verify::url_source::{UrlSource, port_variants, query_value};
    let mut input = Input(data);
    let path = String::from_utf8_lossy(&input.bytes(200)).into_owned();
    let Ok(uri) = http::Uri::try_from(format!("/{path}")) else {
        return;
    };
    let mut headers = http::HeaderMap::new();
    for name in ["host", "forwarded", "x-forwarded-proto", "x-forwarded-host"] {
        if let Ok(value) = http::HeaderValue::from_bytes(&input.bytes(100)) {
            headers.insert(name, value);
        }
    }
    let method = http::Method::POST;
    let head = crate::verify::RequestHead::new(&method, &uri, &headers);
    let _ = query_value(uri.query(), "bodySHA256");
    let Ok(url) = UrlSource::Forwarded.signed_url(&head, Some("bodySHA256")) else {
        return;
    };
    assert!(url.len() <= crate::limits::MAX_URL_LEN);
    assert!(url.contains("://"), "{url}");
    let parses = url.parse::<http::Uri>().is_ok();
    for variant in port_variants(&url).into_iter().flatten() {
        if parses {
            assert!(variant.parse::<http::Uri>().is_ok(), "{url} -> {variant}");
        }
    }
}

/// Parses an RFC 3339 timestamp strictly: whatever it accepts is of the
/// grammar's length, and written back in UTC it is the same instant to the
/// second.
pub fn rfc3339_timestamp(raw: &[u8]) {
    use std::time::UNIX_EPOCH;
    let unit = crate::scheme::TimestampUnit::Rfc3339;
    let Some(time) = unit.parse(raw) else {
        return;
    };
    assert!((20..=35).contains(&raw.len()));
    let written = unit.format(time).expect("a parsed time is writable");
    let again = unit
        .parse(written.as_bytes())
        .expect("what is written parses");
    let seconds = |time: std::time::SystemTime| time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    assert_eq!(seconds(again), seconds(time), "{written}");
}

/// Parses a Stripe signature header (`t=…,v1=<hex>…`).
pub fn stripe_signature_header(value: &[u8]) {
    let format = SignatureFormat::KeyValueList {
        timestamp_key: "t",
        signature_key: "v1",
        separator: b',',
    };
    let mut candidates = Candidates::new(Algorithm::Sha256);
    if let Ok(timestamp) = format.parse(value, Encoding::Hex, &mut candidates) {
        assert!(timestamp.is_some());
    }
}

/// Parses a prefixed single signature in every encoding and algorithm, and
/// checks the hot-path decoders against the `hex` and `base64` crates: they
/// accept exactly the canonical spellings those crates write.
pub fn prefixed_signature_header(value: &[u8]) {
    let format = SignatureFormat::Prefixed {
        prefix: Cow::Borrowed("sha256="),
    };
    for encoding in [Encoding::Hex, Encoding::HexUpper, Encoding::Base64] {
        for algorithm in [
            Algorithm::Sha1,
            Algorithm::Sha256,
            Algorithm::Sha512,
            // Heap slots, up to 512 bytes.
            Algorithm::RsaPkcs1v15Sha256,
        ] {
            let _ = format.parse(value, encoding, &mut Candidates::new(algorithm));
        }
        let mut ours = [0u8; 64];
        let len = match encoding {
            Encoding::Base64 => value.len() / 4 * 3,
            _ => value.len() / 2,
        }
        .min(64);
        for out_len in [len.saturating_sub(2), len.saturating_sub(1), len] {
            let out = &mut ours[..out_len];
            let accepted = encoding.decode_tag(value, out).is_some();
            let reference =
                reference_decode(encoding, value).filter(|bytes| bytes.len() == out_len);
            assert_eq!(accepted, reference.is_some(), "{encoding:?} {value:?}");
            if let Some(bytes) = reference {
                assert_eq!(out, &bytes[..]);
            }
        }
    }
}

/// Parses arbitrary key text as every key-pair format's verifying and
/// signing key (PEM, base64 DER, hex), and arbitrary bytes as RSA DER (a
/// public key, a certificate, a private key): bounded, and never a panic.
pub fn key_text(data: &[u8]) {
    use crate::secret::SecretFormat;
    let text = String::from_utf8_lossy(data);
    for format in [
        SecretFormat::Rsa,
        SecretFormat::EcdsaP256,
        SecretFormat::Ed25519Hex,
        SecretFormat::StandardWebhooks,
    ] {
        let _ = format.parse_verifying_key(&text);
        let _ = format.parse_signing_key(&text);
    }
    #[cfg(feature = "rsa")]
    {
        use crate::secret::{PrivateKey, PublicKey};
        if let Ok(key) = PublicKey::rsa_der(data) {
            assert_eq!(key.algorithm(), Algorithm::RsaPkcs1v15Sha256);
            assert_eq!(PublicKey::rsa_der(&key.to_bytes()).ok(), Some(key));
        }
        if let Ok(key) = PrivateKey::rsa_der(data) {
            assert_eq!(key.algorithm(), Algorithm::RsaPkcs1v15Sha256);
        }
    }
}

/// What the reference crates decode, keeping only canonical spellings.
fn reference_decode(encoding: Encoding, value: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let value = std::str::from_utf8(value).ok()?;
    let bytes = match encoding {
        Encoding::Base64 => base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()?,
        _ => hex::decode(value).ok()?,
    };
    let canonical = match encoding {
        Encoding::Hex => hex::encode(&bytes),
        Encoding::HexUpper => hex::encode_upper(&bytes),
        _ => base64::engine::general_purpose::STANDARD.encode(&bytes),
    };
    (canonical == value).then_some(bytes)
}

/// Parses a UNIX timestamp strictly; whatever it accepts is all digits.
pub fn timestamp(raw: &[u8]) {
    if crate::scheme::parse_timestamp_for_fuzzing(raw).is_some() {
        assert!(!raw.is_empty() && raw.iter().all(u8::is_ascii_digit));
    }
}

/// The top-level string `field` of a JSON body, as the event-ID scanner
/// reads it (the fuzz target compares it with `serde_json`).
pub fn top_level_string(body: &[u8], field: &str) -> Option<String> {
    json_field::top_level_string(body, field).map(|value| value.into_owned())
}

/// The string at `path` of a JSON body, as a scheme that signs in the body
/// reads its fields (the fuzz target compares it with `serde_json`).
pub fn string_at(body: &[u8], path: &[&str], max_len: usize) -> Option<String> {
    json_field::string_at(body, path, max_len).map(|value| value.into_owned())
}

/// Parses a millisecond timestamp strictly: whatever it accepts is all
/// digits, and is the same instant as its value read in seconds and
/// milliseconds (no overflow, no lost precision).
pub fn millisecond_timestamp(raw: &[u8]) {
    use std::time::{Duration, UNIX_EPOCH};
    let Some(time) = crate::scheme::TimestampUnit::Milliseconds.parse(raw) else {
        return;
    };
    assert!(!raw.is_empty() && raw.iter().all(u8::is_ascii_digit));
    let millis: u64 = std::str::from_utf8(raw).unwrap().parse().unwrap();
    assert_eq!(time, UNIX_EPOCH + Duration::from_millis(millis));
    let written = crate::scheme::TimestampUnit::Milliseconds
        .format(time)
        .expect("after the epoch");
    assert_eq!(written.parse::<u64>().unwrap(), millis);
}

/// The size checks before a body is read: a `Content-Length` value (any
/// bytes) and a size hint against a limit. A body is refused exactly when
/// a plain declared number, or the hint, is over the limit.
#[cfg(feature = "tower")]
pub fn declared_length(value: &[u8], limit: usize, hint: usize) {
    use crate::delivery::SizeLimit;
    let mut headers = http::HeaderMap::new();
    let Ok(header) = http::HeaderValue::from_bytes(value) else {
        return;
    };
    headers.insert(http::header::CONTENT_LENGTH, header);
    let declared = std::str::from_utf8(value)
        .ok()
        .and_then(|text| text.parse::<u64>().ok());
    let limit_check = SizeLimit(limit);
    let over = declared.is_some_and(|length| length > limit as u64);
    assert_eq!(limit_check.check_declared(&headers).is_err(), over);
    assert_eq!(limit_check.check(hint).is_err(), hint > limit);
    assert_eq!(SizeLimit::declared(&headers), declared);
}

/// [`declared_length`] with its limit and hint read from the input first.
#[cfg(feature = "tower")]
pub fn declared_length_of(data: &[u8]) {
    let mut input = Input(data);
    let limit = usize::try_from(input.number()).unwrap_or(usize::MAX);
    let hint = usize::try_from(input.number()).unwrap_or(usize::MAX);
    declared_length(input.0, limit, hint);
}

/// Bytes of fuzz input, read a piece at a time (zeros once it runs out).
/// Who the guard takes a request's client to be behind trusted proxies,
/// from arbitrary forwarding headers (several lines of `X-Forwarded-For`,
/// `X-Forwarded-Proto` and `Forwarded`), read both ways: never a panic, a
/// refusal names an allowed client never, and without trusted proxies no
/// header lets a peer outside the range in.
#[cfg(feature = "tower")]
pub fn source_client(data: &[u8]) {
    use crate::delivery::Rejection;
    use crate::source::TrustedProxies;
    use crate::source::source_policy::{Connection, SourcePolicy};
    let mut input = Input(data);
    let mut headers = http::HeaderMap::new();
    for _ in 0..input.byte() % 6 {
        let name =
            ["x-forwarded-for", "x-forwarded-proto", "forwarded"][usize::from(input.byte() % 3)];
        if let Ok(value) = http::HeaderValue::from_bytes(&input.bytes(120)) {
            headers.append(name, value);
        }
    }
    let peer = Connection {
        peer: Some(std::net::SocketAddr::from(([10, 0, 0, 1], 443))),
        tls: input.byte() % 2 == 0,
    };
    for forwarded in [false, true] {
        let mut proxies = TrustedProxies::parse("10.0.0.0/8").expect("a valid range");
        if forwarded {
            proxies = proxies.using_forwarded_header();
        }
        let policy = SourcePolicy {
            allowed: Some("0.0.0.0/0, ::/0".parse().expect("valid ranges")),
            proxies: Some(proxies),
            https_required: false,
        };
        match policy.check(peer, &headers) {
            Ok(()) | Err(Rejection::SourceNotAllowed { client: None }) => {}
            Err(Rejection::SourceNotAllowed {
                client: Some(client),
            }) => {
                panic!("{client} is in 0.0.0.0/0 or ::/0")
            }
            Err(other) => panic!("not a source refusal: {other:?}"),
        }
        let untrusting = SourcePolicy {
            allowed: Some("192.0.2.0/24".parse().expect("a valid range")),
            proxies: None,
            https_required: true,
        };
        assert!(
            untrusting.check(peer, &headers).is_err(),
            "the peer 10.0.0.1 let in by its own headers: {headers:?}"
        );
    }
}

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        first
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = usize::from(self.byte()) % (max + 1);
        let len = len.min(self.0.len());
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        taken.to_vec()
    }

    /// 1 to `max` visible ASCII characters.
    fn visible(&mut self, max: usize) -> String {
        let mut text: String = self
            .bytes(max)
            .iter()
            .map(|byte| char::from(b'!' + byte % 94))
            .collect();
        if text.is_empty() {
            text.push('x');
        }
        text
    }

    fn number(&mut self) -> u64 {
        (0..4).fold(0, |value, _| value << 8 | u64::from(self.byte()))
    }
}

/// The differential target of the signed-message layouts: a generic scheme
/// of a fuzzed layout signs an ID, timestamp and body; the signed bytes are
/// then read again as any other ID, timestamp and body the fuzzer picks
/// (slices of the signed bytes). Whenever such a reading verifies under
/// the genuine signature, it must be the signed one: the same ID (so the
/// same idempotency key), timestamp and body.
pub fn scheme_differential(data: &[u8]) {
    use crate::scheme::{GenericScheme, MessagePart, TimestampUnit};
    use crate::{Signer, Verifier};
    use std::time::{Duration, UNIX_EPOCH};

    let mut input = Input(data);
    let shape = input.byte();
    let unit = if shape & 0x80 == 0 {
        TimestampUnit::Seconds
    } else {
        TimestampUnit::Milliseconds
    };
    let literal = |input: &mut Input<'_>| MessagePart::literal(input.visible(3));
    use MessagePart::{Body, Id, Timestamp};
    let parts = match shape % 6 {
        0 => vec![Id, literal(&mut input), Body],
        1 => vec![
            Id,
            literal(&mut input),
            Timestamp,
            literal(&mut input),
            Body,
        ],
        2 => vec![literal(&mut input), Timestamp, literal(&mut input), Body],
        3 => vec![Body, literal(&mut input), Id],
        4 => vec![
            Timestamp,
            literal(&mut input),
            Id,
            literal(&mut input),
            Body,
        ],
        _ => vec![
            Id,
            literal(&mut input),
            Body,
            literal(&mut input),
            Timestamp,
        ],
    };
    let signs_timestamp = parts.contains(&Timestamp);
    let mut builder = GenericScheme::new("fuzz")
        .with_signature_header("x-signature")
        .with_id_header("x-id")
        .with_message(parts.clone());
    if signs_timestamp {
        builder = builder.with_timestamp_header("x-ts", unit);
    }
    let Ok(scheme) = builder.build() else {
        return;
    };
    let id = input.visible(8);
    let time = UNIX_EPOCH + Duration::from_secs(input.number());
    let (offset, len) = (input.byte(), input.byte());
    let (ts_offset, ts_len) = (input.byte(), input.byte());
    let body = input.0.to_vec();

    let signer = Signer::from_secrets(scheme.clone(), ["fuzz secret"]).unwrap();
    let Ok(headers) = signer.sign(&id, time, &body) else {
        return; // an ID holding its separator is refused
    };
    let verifier = Verifier::from_secrets(scheme, ["fuzz secret"])
        .unwrap()
        .with_tolerance(Duration::from_secs(u64::MAX / 4));
    let verified = verifier
        .verify_at(&headers, &body, time)
        .expect("what the signer signs verifies");
    assert_eq!(verified.event_id(), Some(id.as_str()));
    assert_eq!(verified.event_id_is_signed(), parts.contains(&Id));
    let timestamp = headers
        .get("x-ts")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();

    let signed = fill(&parts, &id, &timestamp, &body);
    let slice = |offset: u8, len: u8| {
        let start = usize::from(offset).min(signed.len());
        let end = (start + usize::from(len)).min(signed.len());
        String::from_utf8(signed[start..end].to_vec()).ok()
    };
    let (Some(other_id), Some(other_timestamp)) = (slice(offset, len), slice(ts_offset, ts_len))
    else {
        return;
    };
    let other_timestamp = if signs_timestamp {
        other_timestamp
    } else {
        String::new()
    };
    // The body that makes the other ID and timestamp read as the same bytes.
    let around = fill(&parts, &other_id, &other_timestamp, b"");
    let body_at = parts.iter().position(|part| *part == Body).unwrap();
    let before = fill(&parts[..body_at], &other_id, &other_timestamp, b"");
    let after_len = around.len() - before.len();
    if signed.len() < around.len()
        || !signed.starts_with(&before)
        || signed[signed.len() - after_len..] != around[before.len()..]
    {
        return;
    }
    let other_body = &signed[before.len()..signed.len() - after_len];

    let mut forged = headers.clone();
    let (Ok(id_value), Ok(timestamp_value)) = (
        http::HeaderValue::from_str(&other_id),
        http::HeaderValue::from_str(&other_timestamp),
    ) else {
        return;
    };
    forged.insert("x-id", id_value);
    if signs_timestamp {
        forged.insert("x-ts", timestamp_value);
    }
    if let Ok(verified) = verifier.verify_at(&forged, other_body, time) {
        // An ID the layout does not sign proves nothing (the key is then the
        // delivery's fingerprint); a signed one must be the signed one.
        if verified.event_id_is_signed() {
            assert_eq!(
                verified.event_id(),
                Some(id.as_str()),
                "another ID verified"
            );
        }
        assert_eq!(other_timestamp, timestamp, "another timestamp verified");
        assert_eq!(other_body, &body[..], "another body verified");
    }
}

/// The signed bytes of `parts` with these values.
fn fill(parts: &[crate::scheme::MessagePart], id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    use crate::scheme::MessagePart;
    let mut bytes = Vec::new();
    for part in parts {
        match part {
            MessagePart::Literal(text) => bytes.extend_from_slice(text.as_bytes()),
            MessagePart::Id => bytes.extend_from_slice(id.as_bytes()),
            MessagePart::Timestamp => bytes.extend_from_slice(timestamp.as_bytes()),
            MessagePart::Body => bytes.extend_from_slice(body),
            MessagePart::BodyCrc32 => {
                bytes.extend_from_slice(crc32fast::hash(body).to_string().as_bytes());
            }
            MessagePart::Method | MessagePart::Url | MessagePart::FormParameters => {}
        }
    }
    bytes
}

/// One step of a fuzzed request body.
#[derive(Debug, Clone)]
#[cfg(feature = "tower")]
enum Step {
    Data(bytes::Bytes),
    /// Not ready yet (and wakes itself at once).
    Pending,
    Error,
}

/// A body plan from fuzz input: up to 16 steps, data of up to 255 bytes.
#[cfg(feature = "tower")]
fn body_plan(input: &mut Input<'_>) -> Vec<Step> {
    let steps = usize::from(input.byte() % 17);
    (0..steps)
        .map(|_| match input.byte() % 8 {
            0 => Step::Pending,
            1 => Step::Error,
            _ => Step::Data(bytes::Bytes::from(input.bytes(255))),
        })
        .collect()
}

/// What the guard must answer a body of `plan` under `limit`, declaring
/// `declared`: refused before reading when the declared length is over the
/// limit; else the first error (400) or the chunk crossing the limit (413)
/// ends it; a body that arrives whole verifies (200), and the handler gets
/// exactly its bytes.
#[cfg(feature = "tower")]
fn expected_status(plan: &[Step], limit: usize, declared: Option<usize>) -> (u16, Vec<u8>) {
    if declared.is_some_and(|declared| declared > limit) {
        return (413, Vec::new());
    }
    let mut body = Vec::new();
    for step in plan {
        match step {
            Step::Pending => {}
            Step::Error => return (400, Vec::new()),
            Step::Data(data) if body.len() + data.len() > limit => return (413, Vec::new()),
            Step::Data(data) => body.extend_from_slice(data),
        }
    }
    (200, body)
}

/// The bytes a plan sends when it runs to its end (what is signed).
#[cfg(feature = "tower")]
fn planned_bytes(plan: &[Step]) -> Vec<u8> {
    plan.iter()
        .filter_map(|step| match step {
            Step::Data(data) => Some(&data[..]),
            _ => None,
        })
        .flatten()
        .copied()
        .collect()
}

/// A request body following a plan; from `Bytes`, one whole frame.
#[cfg(feature = "tower")]
struct PlannedBody(std::collections::VecDeque<Step>);

#[cfg(feature = "tower")]
impl From<bytes::Bytes> for PlannedBody {
    fn from(bytes: bytes::Bytes) -> Self {
        Self([Step::Data(bytes)].into())
    }
}

#[cfg(feature = "tower")]
impl http_body::Body for PlannedBody {
    type Data = bytes::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, std::io::Error>>> {
        use std::task::Poll;
        match self.0.pop_front() {
            None => Poll::Ready(None),
            Some(Step::Data(data)) => Poll::Ready(Some(Ok(http_body::Frame::data(data)))),
            Some(Step::Error) => Poll::Ready(Some(Err(std::io::Error::other("broken")))),
            Some(Step::Pending) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
}

/// The inner service of the body targets: answers 200 with the body it
/// was given.
#[cfg(feature = "tower")]
#[derive(Clone)]
struct Echo;

#[cfg(feature = "tower")]
impl tower_service::Service<http::Request<PlannedBody>> for Echo {
    type Response = http::Response<PlannedBody>;
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<PlannedBody>) -> Self::Future {
        std::future::ready(Ok(http::Response::new(request.into_body())))
    }
}

/// A signed delivery of `plan`'s bytes, declaring `declared` if any.
#[cfg(feature = "tower")]
fn signed_headers(plan: &[Step], declared: Option<usize>) -> http::HeaderMap {
    let mut headers = crate::Signer::standard_webhooks(FUZZ_SECRET)
        .unwrap()
        .sign(
            "evt_fuzz",
            std::time::SystemTime::now(),
            &planned_bytes(plan),
        )
        .unwrap();
    if let Some(declared) = declared {
        headers.insert(http::header::CONTENT_LENGTH, declared.into());
    }
    headers
}

#[cfg(feature = "tower")]
const FUZZ_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The Tower face's body collection: a body of fuzzed chunks, errors and
/// pauses, under a fuzzed limit and declared length, is answered as
/// [`expected_status`] says, and the handler gets exactly the body's bytes.
#[cfg(feature = "tower")]
pub fn tower_body_collection(data: &[u8]) {
    use tower_layer::Layer;
    use tower_service::Service;

    let mut input = Input(data);
    let limit = usize::from(input.byte()) * 8;
    let declared = (input.byte() % 2 == 0).then(|| usize::from(input.byte()) * 8);
    let plan = body_plan(&mut input);
    let mut request = http::Request::new(PlannedBody(plan.clone().into()));
    *request.headers_mut() = signed_headers(&plan, declared);
    let (status, body) = expected_status(&plan, limit, declared);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let layer =
            crate::WebhookLayer::new(crate::Verifier::standard_webhooks(FUZZ_SECRET).unwrap())
                .with_body_limit(limit);
        let mut service = layer.layer(Echo);
        let response = service.call(request).await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{plan:?}");
        if status == 200 {
            let echoed = planned_bytes(&Vec::from(response.into_body().0));
            assert_eq!(echoed, body);
        }
    });
}

/// The actix-web face's payload collection: the same plans and answers as
/// [`tower_body_collection`], through the middleware.
#[cfg(feature = "actix")]
pub fn actix_body_collection(data: &[u8]) {
    use actix_web::HttpMessage;
    use actix_web::dev::{Service, ServiceRequest, Transform};

    let mut input = Input(data);
    let limit = usize::from(input.byte()) * 8;
    let declared = (input.byte() % 2 == 0).then(|| usize::from(input.byte()) * 8);
    let plan = body_plan(&mut input);
    let (status, body) = expected_status(&plan, limit, declared);
    let headers = signed_headers(&plan, declared);

    actix_web::rt::System::new().block_on(async move {
        let mut request = actix_web::test::TestRequest::post().uri("/hook");
        for (name, value) in &headers {
            request = request.insert_header((name.as_str(), value.as_bytes()));
        }
        let mut request = request.to_srv_request();
        // Pauses are the Tower body's concern; here every step is ready.
        let chunks = plan.into_iter().filter_map(|step| match step {
            Step::Data(data) => Some(Ok(data)),
            Step::Error => Some(Err(actix_web::error::PayloadError::Incomplete(None))),
            Step::Pending => None,
        });
        request.set_payload(actix_web::dev::Payload::Stream {
            payload: Box::pin(futures_core_stream(chunks)),
        });
        let echo = actix_web::dev::fn_service(|request: ServiceRequest| async move {
            let body = request
                .extensions()
                .get::<crate::actix::verified_body::VerifiedBody>()
                .map(|body| body.0.clone())
                .unwrap_or_default();
            Ok::<_, actix_web::Error>(
                request.into_response(actix_web::HttpResponse::Ok().body(body)),
            )
        });
        let layer =
            crate::WebhookLayer::new(crate::Verifier::standard_webhooks(FUZZ_SECRET).unwrap())
                .with_body_limit(limit);
        let service = layer.new_transform(echo).await.unwrap();
        let response = service.call(request).await.unwrap();
        assert_eq!(response.status().as_u16(), status);
        if status == 200 {
            let echoed = actix_web::body::to_bytes(response.into_body())
                .await
                .ok()
                .unwrap();
            assert_eq!(echoed, body);
        }
    });
}

/// A stream of `items`, ready one by one.
#[cfg(feature = "actix")]
fn futures_core_stream<T: Unpin>(
    items: impl Iterator<Item = T> + Unpin,
) -> impl futures_core::Stream<Item = T> {
    struct Ready<I>(I);
    impl<I: Iterator + Unpin> futures_core::Stream for Ready<I> {
        type Item = I::Item;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Ready(items)
}

/// The actix-web header conversion: any header values actix-web accepts
/// cross to `http` 1 unchanged and in order, or the request is refused as
/// malformed; nothing panics.
#[cfg(feature = "actix")]
pub fn actix_header_conversion(data: &[u8]) {
    use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

    let mut input = Input(data);
    let names = [
        "webhook-signature",
        "webhook-id",
        "content-length",
        "x-other",
    ];
    let mut headers = HeaderMap::new();
    for _ in 0..usize::from(input.byte() % 8) {
        let name = names[usize::from(input.byte()) % names.len()];
        let Ok(value) = HeaderValue::from_bytes(&input.bytes(64)) else {
            continue;
        };
        headers.append(HeaderName::from_static(name), value);
    }
    let read: Vec<http::HeaderName> = names[..3]
        .iter()
        .map(|name| http::HeaderName::from_static(name))
        .collect();
    match crate::actix::http_conversion::request_headers(&headers, Some(&read)) {
        Ok(converted) => {
            for name in &read {
                let ours: Vec<&[u8]> = converted
                    .get_all(name)
                    .iter()
                    .map(|v| v.as_bytes())
                    .collect();
                let theirs: Vec<&[u8]> = headers
                    .get_all(name.as_str())
                    .map(|v| v.as_bytes())
                    .collect();
                assert_eq!(ours, theirs, "{name}");
            }
            assert!(!converted.contains_key("x-other"));
        }
        Err(rejection) => assert_eq!(rejection.status(), 400),
    }
}
