use std::borrow::Cow;
use std::time::Duration;

use http::HeaderName;

use crate::limits::MAX_EVENT_ID_LEN;
use crate::provider::Provider;
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{
    Algorithm, Encoding, MessagePart, PayloadFormat, Scheme, SchemeError, TimestampUnit,
};
use crate::secret::SecretFormat;

impl Scheme {
    /// Starts a [`GenericScheme`]: HMAC signing for any provider without a
    /// built-in scheme.
    pub fn generic(name: impl Into<String>) -> GenericScheme {
        GenericScheme::new(name)
    }
}

/// A builder for an HMAC scheme: one signature header (with an optional
/// prefix such as `sha256=`), hex or base64, SHA-1/SHA-256/SHA-512, an
/// optional timestamp header, the event ID from a header or a top-level
/// field of the JSON body, and the layout of the signed message.
///
/// Defaults: HMAC-SHA-256, hex, no prefix, message `[Body]`, secrets used as
/// raw bytes. [`build`](GenericScheme::build) checks that the pieces fit: the
/// body is signed exactly once, a signed timestamp or ID has a header, a
/// timestamp header is part of the signed message (an unsigned timestamp
/// proves nothing), a non-empty literal separates the variable parts (else
/// bytes could move between them under the same signature), no digit is in
/// the separator on the body's side of the timestamp, and the prefix can
/// travel in a header. An event ID that holds a byte of the separator on
/// its body's side is refused when signing, and is a malformed header (400)
/// when verifying: `evt_1.{"amount":12` could otherwise pass for `evt_1`
/// with a truncated body. See the example in [`scheme`](crate::scheme).
#[derive(Debug, Clone)]
#[must_use]
pub struct GenericScheme {
    name: String,
    signature_header: Option<String>,
    prefix: String,
    algorithm: Algorithm,
    encoding: Encoding,
    timestamp: Option<(String, TimestampUnit)>,
    id_header: Option<String>,
    id_field: Option<String>,
    message: Vec<MessagePart>,
    secret_format: SecretFormat,
    payload_format: PayloadFormat,
    retry_window: Option<Duration>,
}

impl GenericScheme {
    /// A scheme named `name`; the name is the provider name reported in
    /// [`Verified`](crate::Verified) and the default idempotency namespace.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            signature_header: None,
            prefix: String::new(),
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            timestamp: None,
            id_header: None,
            id_field: None,
            message: vec![MessagePart::Body],
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::Json,
            retry_window: None,
        }
    }

    /// The header that carries the signature (required).
    pub fn with_signature_header(mut self, name: impl Into<String>) -> Self {
        self.signature_header = Some(name.into());
        self
    }

    /// Text before the encoded signature, such as `sha256=`.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The algorithm (default HMAC-SHA-256): an HMAC, a public-key
    /// signature, or one of the weak checks (see [`Algorithm`]).
    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// How the signature is encoded.
    pub fn with_encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The header carrying a signed UNIX timestamp, checked for freshness.
    pub fn with_timestamp_header(mut self, name: impl Into<String>, unit: TimestampUnit) -> Self {
        self.timestamp = Some((name.into(), unit));
        self
    }

    /// The header carrying the event ID. One source of the ID: not with
    /// [`with_id_json_field`](Self::with_id_json_field).
    pub fn with_id_header(mut self, name: impl Into<String>) -> Self {
        self.id_header = Some(name.into());
        self
    }

    /// Takes the event ID from a top-level string field of the JSON body,
    /// as Stripe's `id` or Slack's `event_id`: it is signed with the body,
    /// so the message needs no [`MessagePart::Id`] (and may not have one,
    /// which stands for an ID header).
    ///
    /// Only a top-level field is read, and `name` may not hold a `.`
    /// (refused by [`build`](Self::build) rather than read as a path into
    /// nested objects). A verified body whose field is absent, not a
    /// string, or longer than [`MAX_EVENT_ID_LEN`](crate::limits::MAX_EVENT_ID_LEN)
    /// still verifies, with no event ID, as for the built-in providers.
    /// One source of the ID: not with [`with_id_header`](Self::with_id_header).
    ///
    /// ```
    /// use webhook_guard::scheme::GenericScheme;
    /// use webhook_guard::{Signer, Verifier};
    ///
    /// let scheme = GenericScheme::new("acme")
    ///     .with_signature_header("x-signature")
    ///     .with_id_json_field("event_id")
    ///     .build()?;
    /// let keys = scheme.keys(["shared secret"])?;
    /// let body = br#"{"event_id": "ev_42", "amount": 12}"#;
    /// let now = std::time::SystemTime::now();
    /// let headers = Signer::new(scheme.clone(), keys.clone()).sign("unused", now, body)?;
    /// let verified = Verifier::new(scheme, keys).verify_at(&headers, body, now)?;
    /// assert_eq!(verified.event_id(), Some("ev_42"));
    /// assert!(verified.event_id_is_signed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_id_json_field(mut self, name: impl Into<String>) -> Self {
        self.id_field = Some(name.into());
        self
    }

    /// The signed message, part by part (or written as text with
    /// [`MessagePart::parse_template`]).
    pub fn with_message(mut self, parts: impl IntoIterator<Item = MessagePart>) -> Self {
        self.message = parts.into_iter().collect();
        self
    }

    /// How secrets for this scheme are written (default: raw bytes).
    pub fn with_secret_format(mut self, format: SecretFormat) -> Self {
        self.secret_format = format;
        self
    }

    /// How the body is written, for the `Webhook<T>` extractor (default:
    /// [`PayloadFormat::Json`]).
    pub fn with_payload_format(mut self, format: PayloadFormat) -> Self {
        self.payload_format = format;
        self
    }

    /// How long the sender may send one event again (its retries, or a
    /// manual redelivery): a guard then keeps each record at least that
    /// long, and refuses a shorter retention when the scheme signs no
    /// timestamp (default: unknown).
    pub fn with_retry_window(mut self, window: Duration) -> Self {
        self.retry_window = Some(window);
        self
    }

    /// Checks the pieces and builds the scheme.
    pub fn build(self) -> Result<Scheme, SchemeError> {
        if self.name.trim().is_empty() {
            return Err(SchemeError::MissingName);
        }
        let signature = self
            .signature_header
            .as_deref()
            .ok_or(SchemeError::MissingSignatureHeader)
            .and_then(header_name)?;
        let timestamp = self
            .timestamp
            .as_ref()
            .map(|(name, unit)| header_name(name).map(|name| (name, *unit)))
            .transpose()?;
        let id = self.id_header.as_deref().map(header_name).transpose()?;
        if let Some(field) = &self.id_field {
            if id.is_some() {
                return Err(SchemeError::TwoIdSources);
            }
            if field.is_empty() || field.len() > MAX_EVENT_ID_LEN || field.contains('.') {
                return Err(SchemeError::InvalidIdField {
                    name: field.clone(),
                });
            }
        }

        if !self.prefix.bytes().all(|byte| matches!(byte, b' '..=b'~')) {
            return Err(SchemeError::InvalidPrefix);
        }
        let count =
            |wanted: &MessagePart| self.message.iter().filter(|part| *part == wanted).count();
        if count(&MessagePart::Body) + count(&MessagePart::BodyCrc32) != 1 {
            return Err(SchemeError::BodyNotSignedOnce);
        }
        let request_parts = [
            MessagePart::Method,
            MessagePart::Url,
            MessagePart::FormParameters,
        ];
        if request_parts.iter().any(|part| count(part) > 0) {
            return Err(SchemeError::RequestPartUnsupported);
        }
        let signs_timestamp = count(&MessagePart::Timestamp) > 0;
        match (signs_timestamp, timestamp.is_some()) {
            (true, false) => return Err(SchemeError::TimestampWithoutHeader),
            (false, true) => return Err(SchemeError::UnsignedTimestamp),
            _ => {}
        }
        if count(&MessagePart::Id) > 0 && id.is_none() {
            return Err(if self.id_field.is_some() {
                SchemeError::BodyIdInMessage
            } else {
                SchemeError::IdWithoutHeader
            });
        }
        // A CRC is no MAC: anyone can write another body with the same
        // CRC-32, so the body cannot carry the key (a body-field ID), and
        // without a signed ID every CRC-colliding body would share one key.
        if count(&MessagePart::BodyCrc32) > 0 && (id.is_none() || count(&MessagePart::Id) == 0) {
            return Err(SchemeError::CrcWithoutSignedId);
        }
        // A token signs nothing: a timestamp beside it proves no freshness,
        // and only the sender's ID can tell two events with one body apart.
        if self.algorithm == Algorithm::SharedToken {
            if timestamp.is_some() {
                return Err(SchemeError::UnsignedTimestamp);
            }
            if id.is_none() && self.id_field.is_none() {
                return Err(SchemeError::TokenWithoutId);
            }
        }
        let unit = timestamp
            .as_ref()
            .map_or(TimestampUnit::Seconds, |(_, unit)| *unit);
        let message = MessageLayout::new(self.message, unit)?;

        let event_id = match (&id, self.id_field) {
            (Some(_), _) => EventIdSource::Header,
            (None, Some(field)) => EventIdSource::JsonField(Cow::Owned(field)),
            (None, None) => EventIdSource::None,
        };
        let (timestamp, timestamp_unit) = match timestamp {
            Some((name, unit)) => (Some(name), Some(unit)),
            None => (None, None),
        };
        Ok(Scheme {
            provider: Provider::generic(self.name),
            header_sets: vec![HeaderSet {
                signature,
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Owned(self.prefix),
                },
                algorithm: self.algorithm,
                encoding: self.encoding,
                timestamp,
                id,
                written_by_signer: true,
            }],
            message,
            timestamp_unit,
            event_id,
            secret_format: self.secret_format,
            payload_format: self.payload_format,
            retry_window: self.retry_window,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            body_timestamp: None,
            signed_item: None,
            tolerance: None,
        })
    }
}

fn header_name(name: &str) -> Result<HeaderName, SchemeError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| SchemeError::InvalidHeaderName {
        name: name.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> GenericScheme {
        GenericScheme::new("acme").with_signature_header("x-signature")
    }

    #[test]
    fn minimal_scheme_builds() {
        let scheme = base().build().unwrap();
        assert_eq!(scheme.provider().name(), "acme");
        assert!(!scheme.signs_timestamp());
        assert_eq!(scheme.signature_header(), "x-signature");
    }

    #[test]
    fn inconsistent_schemes_are_refused() {
        let cases = [
            (
                GenericScheme::new("acme"),
                SchemeError::MissingSignatureHeader,
            ),
            (base().with_message([]), SchemeError::BodyNotSignedOnce),
            (
                base().with_message([MessagePart::Body, MessagePart::Body]),
                SchemeError::BodyNotSignedOnce,
            ),
            (
                base().with_message([MessagePart::Timestamp, MessagePart::Body]),
                SchemeError::TimestampWithoutHeader,
            ),
            (
                base().with_timestamp_header("x-ts", TimestampUnit::Seconds),
                SchemeError::UnsignedTimestamp,
            ),
            (
                base().with_message([
                    MessagePart::Id,
                    MessagePart::literal("."),
                    MessagePart::Body,
                ]),
                SchemeError::IdWithoutHeader,
            ),
            (
                base()
                    .with_id_header("x-id")
                    .with_message([MessagePart::Id, MessagePart::Body]),
                SchemeError::AmbiguousMessage,
            ),
            (
                base()
                    .with_timestamp_header("x-ts", TimestampUnit::Seconds)
                    .with_message([
                        MessagePart::Timestamp,
                        MessagePart::Body,
                        MessagePart::literal("."),
                    ]),
                SchemeError::AmbiguousMessage,
            ),
            (base().with_prefix("sha256=\n"), SchemeError::InvalidPrefix),
            (
                GenericScheme::new(" ").with_signature_header("x-signature"),
                SchemeError::MissingName,
            ),
        ];
        for (builder, expected) in cases {
            assert_eq!(builder.build().unwrap_err(), expected);
        }
        assert!(matches!(
            GenericScheme::new("acme")
                .with_signature_header("bad header")
                .build(),
            Err(SchemeError::InvalidHeaderName { .. })
        ));
    }

    #[test]
    fn the_event_id_has_one_source() {
        let both = base().with_id_header("x-id").with_id_json_field("id");
        assert_eq!(both.build().unwrap_err(), SchemeError::TwoIdSources);
        let field_in_message = base().with_id_json_field("id").with_message([
            MessagePart::Id,
            MessagePart::literal("."),
            MessagePart::Body,
        ]);
        assert_eq!(
            field_in_message.build().unwrap_err(),
            SchemeError::BodyIdInMessage
        );
        let long = "f".repeat(MAX_EVENT_ID_LEN + 1);
        for name in ["", "data.id", long.as_str()] {
            assert_eq!(
                base().with_id_json_field(name).build().unwrap_err(),
                SchemeError::InvalidIdField {
                    name: name.to_owned()
                },
                "{name}"
            );
        }
    }

    mod id_from_a_body_field {
        use std::time::SystemTime;

        use super::*;
        use crate::{Signer, Verified, Verifier};

        /// Signs `body` and verifies it with a scheme that reads the ID
        /// from the `event_id` field.
        fn verified(body: &[u8]) -> Verified {
            let scheme = base().with_id_json_field("event_id").build().unwrap();
            let keys = scheme.keys(["secret"]).unwrap();
            let now = SystemTime::now();
            let headers = Signer::new(scheme.clone(), keys.clone())
                .sign("ignored", now, body)
                .unwrap();
            Verifier::new(scheme, keys)
                .verify_at(&headers, body, now)
                .unwrap()
        }

        #[test]
        fn a_string_field_is_the_signed_event_id() {
            let verified = verified(br#"{"data": {"event_id": "inner"}, "event_id": "ev_1"}"#);
            assert_eq!(verified.event_id(), Some("ev_1"));
            assert!(verified.event_id_is_signed());
        }

        #[test]
        fn a_missing_field_verifies_without_an_id_as_for_stripe() {
            let verified = verified(br#"{"id": "ev_1"}"#);
            assert_eq!(verified.event_id(), None);

            let stripe = Scheme::stripe();
            let keys = stripe.keys(["whsec_x"]).unwrap();
            let now = SystemTime::now();
            let headers = Signer::new(stripe.clone(), keys.clone())
                .sign("ignored", now, br#"{"object": "event"}"#)
                .unwrap();
            let stripe_verified = Verifier::new(stripe, keys)
                .verify_at(&headers, br#"{"object": "event"}"#, now)
                .unwrap();
            assert_eq!(stripe_verified.event_id(), verified.event_id());
            assert_eq!(
                stripe_verified.event_id_is_signed(),
                verified.event_id_is_signed()
            );
        }

        #[test]
        fn a_non_string_field_gives_no_id() {
            for body in [
                &br#"{"event_id": 42}"#[..],
                br#"{"event_id": {"id": "x"}}"#,
                br#"{"event_id": null}"#,
                b"not json",
            ] {
                assert_eq!(verified(body).event_id(), None);
            }
        }
    }

    #[test]
    fn an_rfc3339_timestamp_needs_a_separator_it_cannot_hold() {
        let scheme = |separator: &'static str| {
            GenericScheme::new("dated")
                .with_signature_header("x-signature")
                .with_timestamp_header("x-date", TimestampUnit::Rfc3339)
                .with_message([
                    MessagePart::Timestamp,
                    MessagePart::literal(separator),
                    MessagePart::Body,
                ])
                .build()
        };
        for separator in [".", ":", "-", "Z", "+"] {
            assert_eq!(
                scheme(separator).unwrap_err(),
                SchemeError::AmbiguousMessage,
                "{separator}"
            );
        }
        assert!(scheme("|").is_ok());
    }
}
