//! The next issue's providers, checked against the model before they are
//! built: each shape it must express, with an official vector where one
//! exists (HubSpot's, from its SDK tests) and a constructed one otherwise
//! (computed with Python's `hmac`, `hashlib` and `zlib`). The design note
//! is `docs/scheme-model.md`.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, Method, Uri};

use crate::provider::Provider;
use crate::scheme::body_fields::BodyFields;
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{
    Algorithm, Encoding, GenericScheme, MessagePart, PayloadFormat, Scheme, TimestampUnit,
};
use crate::secret::SecretFormat;
use crate::verify::RequestHead;
use crate::{SignError, Signer, Verifier, VerifyError};

fn scheme(
    algorithm: Algorithm,
    encoding: Encoding,
    message: MessageLayout,
    timestamp_unit: Option<TimestampUnit>,
    body_fields: Option<BodyFields>,
) -> Scheme {
    Scheme {
        provider: Provider::built_in("shape"),
        header_sets: vec![HeaderSet {
            signature: HeaderName::from_static("x-signature"),
            format: SignatureFormat::Prefixed {
                prefix: Cow::Borrowed(""),
            },
            algorithm,
            encoding,
            timestamp: None,
            id: None,
            written_by_signer: true,
        }],
        message,
        timestamp_unit,
        event_id: EventIdSource::Header,
        secret_format: SecretFormat::Raw,
        payload_format: PayloadFormat::Json,
        retry_window: None,
        url_rules: UrlRules::EXACT,
        body_fields,
        body_timestamp: None,
        signed_item: None,
        tolerance: None,
    }
}

fn signed(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-signature", value.parse().unwrap());
    headers
}

const HUBSPOT_SECRET: &str = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";

/// HubSpot v1 and v2: plain SHA-256 of the client secret and the message.
/// Vectors: HubSpot/hubspot-api-php@7c8a54722e8e5c61f613ce488b5b675b1665eb4d,
/// `tests/Unit/Utils/WebhooksTest.php` (the same as HubSpot's docs).
#[test]
fn a_secret_prefixed_sha256_matches_hubspots_v1_and_v2_vectors() {
    let v1 = scheme(
        Algorithm::Sha256SecretPrefixed,
        Encoding::Hex,
        MessageLayout::built_in(vec![MessagePart::Body]),
        None,
        None,
    );
    let body = br#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]"#;
    let headers = signed("232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de");
    let verifier = Verifier::from_secrets(v1.clone(), [HUBSPOT_SECRET]).unwrap();
    let now = SystemTime::now();
    assert!(verifier.verify_at(&headers, body, now).is_ok());
    let mut flipped = body.to_vec();
    flipped[10] ^= 1;
    assert_eq!(
        verifier.verify_at(&headers, &flipped, now).unwrap_err(),
        VerifyError::SignatureMismatch
    );
    let signer = Signer::from_secrets(v1, [HUBSPOT_SECRET]).unwrap();
    assert_eq!(signer.sign("", now, body).unwrap(), headers);

    let v2 = scheme(
        Algorithm::Sha256SecretPrefixed,
        Encoding::Hex,
        MessageLayout::unchecked(
            vec![MessagePart::Method, MessagePart::Url, MessagePart::Body],
            "the method is letters, the URL the configured one",
        ),
        None,
        None,
    );
    let url = "https://www.example.com/webhook_uri";
    let verifier = Verifier::from_secrets(v2, [HUBSPOT_SECRET])
        .unwrap()
        .with_public_url(url)
        .unwrap();
    let uri = Uri::from_static("/webhook_uri");
    for (method, body, signature) in [
        (
            Method::GET,
            &b""[..],
            "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e",
        ),
        (
            Method::POST,
            &br#"{"example_field":"example_value"}"#[..],
            "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
        ),
    ] {
        let headers = signed(signature);
        let head = RequestHead::new(&method, &uri, &headers);
        assert!(
            verifier.verify_request_at(head, body, now).is_ok(),
            "{method}"
        );
        let other = if method == Method::GET {
            Method::POST
        } else {
            Method::GET
        };
        let head = RequestHead::new(&other, &uri, &headers);
        assert!(verifier.verify_request_at(head, body, now).is_err());
    }
}

/// GitLab's `X-Gitlab-Token`, Telegram's secret token: the token itself,
/// compared in constant time; deliveries keyed by their message, never by
/// the token every request repeats. Constructed.
#[test]
fn a_shared_token_is_compared_as_it_is_and_never_keys_a_delivery() {
    // Without the sender's ID, two events with one body would be one; a
    // timestamp beside a token proves nothing.
    let no_id = GenericScheme::new("gitlab-like")
        .with_signature_header("x-gitlab-token")
        .with_algorithm(Algorithm::SharedToken);
    assert_eq!(
        no_id.clone().build().unwrap_err(),
        crate::scheme::SchemeError::TokenWithoutId
    );
    assert_eq!(
        no_id
            .with_id_header("idempotency-key")
            .with_timestamp_header("x-ts", TimestampUnit::Seconds)
            .with_message([
                MessagePart::Timestamp,
                MessagePart::literal("."),
                MessagePart::Body
            ])
            .build()
            .unwrap_err(),
        crate::scheme::SchemeError::UnsignedTimestamp
    );
    // The model still keys a token delivery without an ID by its message
    // (a built-in provider's choice to make), never by the token.
    let mut token_scheme = GenericScheme::new("gitlab-like")
        .with_signature_header("x-gitlab-token")
        .with_id_header("x-unused")
        .with_algorithm(Algorithm::SharedToken)
        .build()
        .unwrap();
    token_scheme.header_sets[0].id = None;
    token_scheme.event_id = EventIdSource::None;
    let keys = token_scheme.keys(["glwht-s3cr3t"]).unwrap();
    let signer = Signer::new(token_scheme.clone(), keys.clone());
    let verifier = Verifier::new(token_scheme, keys);
    let now = SystemTime::now();
    let headers = signer.sign("", now, b"{\"a\":1}").unwrap();
    assert_eq!(headers["x-gitlab-token"], "glwht-s3cr3t");
    assert!(headers["x-gitlab-token"].is_sensitive());

    let first = verifier.verify_at(&headers, b"{\"a\":1}", now).unwrap();
    let retry = verifier.verify_at(&headers, b"{\"a\":1}", now).unwrap();
    let other = verifier.verify_at(&headers, b"{\"a\":2}", now).unwrap();
    assert_eq!(first.fingerprint(), retry.fingerprint());
    assert_ne!(
        first.fingerprint(),
        other.fingerprint(),
        "one token, two deliveries"
    );
    // With the sender's ID header, the ID keys the delivery.
    let with_id = GenericScheme::new("gitlab-like")
        .with_signature_header("x-gitlab-token")
        .with_id_header("idempotency-key")
        .with_algorithm(Algorithm::SharedToken)
        .build()
        .unwrap();
    let keyed = Signer::from_secrets(with_id.clone(), ["glwht-s3cr3t"])
        .unwrap()
        .sign("evt-7", now, b"{}")
        .unwrap();
    let verified = Verifier::from_secrets(with_id, ["glwht-s3cr3t"])
        .unwrap()
        .verify_at(&keyed, b"{}", now)
        .unwrap();
    assert_eq!(verified.event_id(), Some("evt-7"));
    assert!(verified.event_id_is_signed());

    for wrong in ["glwht-s3cr3T", "glwht-s3cr3", "glwht-s3cr3t ", "x"] {
        let mut forged = HeaderMap::new();
        forged.insert("x-gitlab-token", wrong.parse().unwrap());
        assert_eq!(
            verifier.verify_at(&forged, b"{}", now).unwrap_err(),
            VerifyError::SignatureMismatch,
            "{wrong:?}"
        );
    }
}

/// PayPal's message `transmission_id|transmission_time|webhook_id|crc32`:
/// the webhook ID a literal built at run time, the body's CRC-32 in
/// decimal. HMAC-SHA-256 stands in for PayPal's RSA here: the layout is
/// what is checked. Constructed: `zlib.crc32(body)` is 2325436976.
#[test]
fn paypals_layout_signs_a_configured_constant_and_the_body_crc32() {
    let webhook_id = String::from("WEBHOOK-ID-42");
    let parts = vec![
        MessagePart::Id,
        MessagePart::literal("|"),
        MessagePart::Timestamp,
        MessagePart::literal("|"),
        MessagePart::literal(webhook_id),
        MessagePart::literal("|"),
        MessagePart::BodyCrc32,
    ];
    // The generic builder's rule is stricter than PayPal needs: no byte
    // after a timestamp that a timestamp may hold, and the webhook ID holds
    // digits. PayPal's file takes its layout as it is, with the argument.
    let generic = GenericScheme::new("paypal-like")
        .with_signature_header("x-signature")
        .with_id_header("paypal-transmission-id")
        .with_timestamp_header("paypal-transmission-time", TimestampUnit::Rfc3339)
        .with_message(parts.clone())
        .build();
    assert_eq!(
        generic.unwrap_err(),
        crate::scheme::SchemeError::AmbiguousMessage
    );
    let mut paypal_like = scheme(
        Algorithm::Sha256,
        Encoding::Hex,
        MessageLayout::unchecked(
            parts,
            "a UUID, an RFC 3339 time and decimal digits hold no `|`",
        ),
        Some(TimestampUnit::Rfc3339),
        None,
    );
    let set = &mut paypal_like.header_sets[0];
    set.signature = HeaderName::from_static("paypal-transmission-sig");
    set.id = Some(HeaderName::from_static("paypal-transmission-id"));
    set.timestamp = Some(HeaderName::from_static("paypal-transmission-time"));
    let body = br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#;
    let mut headers = HeaderMap::new();
    headers.insert("paypal-transmission-id", "tx-1".parse().unwrap());
    headers.insert(
        "paypal-transmission-time",
        "2026-12-02T10:00:00Z".parse().unwrap(),
    );
    headers.insert(
        "paypal-transmission-sig",
        "9eadc429f2fe4a2b693527c9d73bcb8d3b12d4eb8a277b8a1b0f971356e2b5d0"
            .parse()
            .unwrap(),
    );
    let verifier = Verifier::from_secrets(paypal_like.clone(), ["paypal-like secret"]).unwrap();
    let at = UNIX_EPOCH + Duration::from_secs(1_796_205_600);
    let verified = verifier.verify_at(&headers, body, at).unwrap();
    assert_eq!(verified.event_id(), Some("tx-1"));
    assert!(verified.event_id_is_signed());
    let mut changed = body.to_vec();
    changed[8] = b'2';
    assert_eq!(
        verifier.verify_at(&headers, &changed, at).unwrap_err(),
        VerifyError::SignatureMismatch,
        "another body has another CRC"
    );
    let mut piped = headers.clone();
    piped.insert("paypal-transmission-id", "tx|1".parse().unwrap());
    assert_eq!(
        verifier.verify_at(&piped, body, at).unwrap_err().status(),
        400,
        "an ID holding the separator is refused"
    );
    let signer = Signer::from_secrets(paypal_like, ["paypal-like secret"]).unwrap();
    let resigned = signer.sign("tx-2", at, body).unwrap();
    assert!(verifier.verify_at(&resigned, body, at).is_ok());

    // A digit after the CRC would let digits move into it.
    let ambiguous = GenericScheme::new("x")
        .with_signature_header("x-signature")
        .with_id_header("x-id")
        .with_message([
            MessagePart::Id,
            MessagePart::literal("|"),
            MessagePart::BodyCrc32,
            MessagePart::literal("7"),
        ])
        .build();
    assert_eq!(
        ambiguous.unwrap_err(),
        crate::scheme::SchemeError::AmbiguousMessage
    );
    // A CRC is no MAC: the key must be a signed ID header, never the body's
    // (a body forged to the same CRC could carry any ID) and never a
    // fingerprint every CRC-colliding body would share.
    for weak in [
        GenericScheme::new("x")
            .with_signature_header("x-signature")
            .with_message([MessagePart::BodyCrc32]),
        GenericScheme::new("x")
            .with_signature_header("x-signature")
            .with_id_json_field("id")
            .with_message([MessagePart::BodyCrc32]),
        GenericScheme::new("x")
            .with_signature_header("x-signature")
            .with_id_header("x-id")
            .with_message([MessagePart::BodyCrc32]),
    ] {
        assert_eq!(
            weak.build().unwrap_err(),
            crate::scheme::SchemeError::CrcWithoutSignedId
        );
    }
}

/// Mailgun: `{"signature": {"timestamp", "token", "signature"}}` in the
/// body, hex HMAC-SHA-256 over timestamp‖token; the single-use token is the
/// event ID. Constructed.
#[test]
fn mailguns_signature_timestamp_and_token_are_read_from_the_body() {
    let mailgun_like = scheme(
        Algorithm::Sha256,
        Encoding::Hex,
        MessageLayout::unchecked(
            vec![MessagePart::Timestamp, MessagePart::Id],
            "a fresh timestamp in seconds cannot give digits to the token",
        ),
        Some(TimestampUnit::Seconds),
        Some(BodyFields {
            signature: &["signature", "signature"],
            timestamp: Some(&["signature", "timestamp"]),
            id: Some(&["signature", "token"]),
        }),
    );
    let verifier = Verifier::from_secrets(mailgun_like.clone(), ["mailgun signing key"]).unwrap();
    let body = br#"{"signature": {"timestamp": "1764669600", "token": "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0", "signature": "a7f7ad96564d72a1fc6270308ffdf9d579e3e47cd06ced7133d25c75dda7bb16"}, "event-data": {"event": "delivered"}}"#;
    let at = UNIX_EPOCH + Duration::from_secs(1_764_669_600);
    let none = HeaderMap::new();
    assert!(
        verifier.check_headers_at(&none, at).is_ok(),
        "nothing in the head"
    );
    let verified = verifier.verify_at(&none, body, at).unwrap();
    assert_eq!(
        verified.event_id(),
        Some("a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0")
    );
    assert!(verified.event_id_is_signed(), "the token keys the delivery");

    let later = at + Duration::from_secs(3600);
    assert!(matches!(
        verifier.verify_at(&none, body, later).unwrap_err(),
        VerifyError::TimestampExpired { .. }
    ));
    let text = std::str::from_utf8(body).unwrap();
    let forged = text.replace("a8ce0edb", "b8ce0edb");
    assert_eq!(
        verifier
            .verify_at(&none, forged.as_bytes(), at)
            .unwrap_err(),
        VerifyError::SignatureMismatch
    );
    let unsigned = br#"{"event-data": {"event": "delivered"}}"#;
    assert_eq!(
        verifier
            .verify_at(&none, unsigned, at)
            .unwrap_err()
            .status(),
        400
    );

    let signer = Signer::from_secrets(mailgun_like, ["mailgun signing key"]).unwrap();
    assert!(matches!(
        signer.sign("t", at, body),
        Err(SignError::BodyFields { .. })
    ));
    let resigned = signer
        .sign_into_body("f00d", at, br#"{"event-data": {"event": "opened"}}"#)
        .unwrap();
    let verified = verifier.verify_at(&none, &resigned, at).unwrap();
    assert_eq!(verified.event_id(), Some("f00d"));
    assert!(signer.sign_into_body("f00d", at, b"[1]").is_err());
}
