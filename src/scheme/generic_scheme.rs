use std::borrow::Cow;
use std::time::Duration;

use http::HeaderName;

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
/// prefix such as `sha256=`), hex or base64, SHA-1/SHA-256/SHA-512, optional
/// timestamp and event-ID headers, and the layout of the signed message.
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

    /// The hash under HMAC.
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

    /// The header carrying the event ID.
    pub fn with_id_header(mut self, name: impl Into<String>) -> Self {
        self.id_header = Some(name.into());
        self
    }

    /// The signed message, part by part.
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
            return Err(SchemeError::IdWithoutHeader);
        }
        let unit = timestamp
            .as_ref()
            .map_or(TimestampUnit::Seconds, |(_, unit)| *unit);
        let message = MessageLayout::new(self.message, unit)?;

        let event_id = if id.is_some() {
            EventIdSource::Header
        } else {
            EventIdSource::None
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
