//! The shapes most providers share, so that each provider's file is its
//! data: a signature over the body alone in one header (GitHub's,
//! Shopify's and a dozen others'), and Stripe's `t=…,v1=…` list over the
//! timestamp and the body.

use std::borrow::Cow;

use http::HeaderName;

use crate::provider::Provider;
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, Encoding, MessagePart, PayloadFormat, Scheme, TimestampUnit};
use crate::secret::SecretFormat;

/// A scheme of one header set over `message`, with the defaults most
/// providers share: the secret as typed, a JSON body, no retry window of
/// its own, the URL as it is, nothing signed in the body, the crate's
/// tolerance. A provider's file changes what differs with `..`.
pub(crate) fn one_header_set(
    provider: &'static str,
    set: HeaderSet,
    message: MessageLayout,
    timestamp_unit: Option<TimestampUnit>,
    event_id: EventIdSource,
) -> Scheme {
    Scheme {
        provider: Provider::built_in(provider),
        header_sets: vec![set],
        message,
        timestamp_unit,
        event_id,
        secret_format: SecretFormat::Raw,
        payload_format: PayloadFormat::Json,
        retry_window: None,
        url_rules: UrlRules::EXACT,
        body_fields: None,
        body_timestamp: None,
        signed_item: None,
        tolerance: None,
    }
}

/// `<prefix><signature>` in a header, as most providers write it.
pub(crate) fn prefixed(prefix: &'static str) -> SignatureFormat {
    SignatureFormat::Prefixed {
        prefix: Cow::Borrowed(prefix),
    }
}

/// Where a provider sends its event ID.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdFrom {
    /// Nowhere: deliveries are keyed by their signature's fingerprint.
    Nowhere,
    /// A header (unsigned in these shapes: the delivery is still keyed by
    /// the signature's fingerprint, and the header is what is reported).
    Header(&'static str),
    /// A top-level string field of the JSON body (signed with the body).
    JsonField(&'static str),
}

impl IdFrom {
    fn header(self) -> Option<HeaderName> {
        match self {
            Self::Header(name) => Some(HeaderName::from_static(name)),
            Self::Nowhere | Self::JsonField(_) => None,
        }
    }

    fn source(self) -> EventIdSource {
        match self {
            Self::Nowhere => EventIdSource::None,
            Self::Header(_) => EventIdSource::Header,
            Self::JsonField(field) => EventIdSource::json_field(field),
        }
    }
}

/// `<header>: <prefix><tag>`, the tag an HMAC over the raw body alone,
/// keyed with the secret as typed; no timestamp, a JSON body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodySignature {
    pub(crate) header: &'static str,
    pub(crate) prefix: &'static str,
    pub(crate) algorithm: Algorithm,
    pub(crate) encoding: Encoding,
    pub(crate) id: IdFrom,
}

impl BodySignature {
    /// The scheme, named after the provider.
    pub(crate) fn scheme(self, provider: &'static str) -> Scheme {
        one_header_set(
            provider,
            HeaderSet {
                signature: HeaderName::from_static(self.header),
                format: prefixed(self.prefix),
                algorithm: self.algorithm,
                encoding: self.encoding,
                timestamp: None,
                id: self.id.header(),
                written_by_signer: true,
            },
            MessageLayout::built_in(vec![MessagePart::Body]),
            None,
            self.id.source(),
        )
    }
}

/// `<header>: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA-256 over
/// `{t}{joiner}{body}` keyed with the secret as typed: Stripe's shape, with
/// its keys, separator and joiner as the provider writes them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimestampedList {
    pub(crate) header: &'static str,
    pub(crate) timestamp_key: &'static str,
    pub(crate) signature_key: &'static str,
    /// Between entries: `,` (Stripe) or `;` (Paddle).
    pub(crate) separator: u8,
    /// Between the timestamp and the body in the signed message.
    pub(crate) joiner: &'static str,
    pub(crate) id: IdFrom,
}

impl TimestampedList {
    /// The scheme, named after the provider.
    pub(crate) fn scheme(self, provider: &'static str) -> Scheme {
        one_header_set(
            provider,
            HeaderSet {
                signature: HeaderName::from_static(self.header),
                format: SignatureFormat::KeyValueList {
                    timestamp_key: self.timestamp_key,
                    signature_key: self.signature_key,
                    separator: self.separator,
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
                timestamp: None,
                id: self.id.header(),
                written_by_signer: true,
            },
            MessageLayout::built_in(vec![
                MessagePart::Timestamp,
                MessagePart::literal(self.joiner),
                MessagePart::Body,
            ]),
            Some(TimestampUnit::Seconds),
            self.id.source(),
        )
    }
}

/// `<header>: <prefix><token>`: a shared token sent as it is and compared
/// in constant time (by its digest, whatever its length). It signs
/// nothing, so whoever holds it may send any body and any ID: the ID is
/// what keys a delivery, and no timestamp proves freshness.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SharedTokenHeader {
    pub(crate) header: &'static str,
    pub(crate) prefix: &'static str,
    pub(crate) id: IdFrom,
}

impl SharedTokenHeader {
    /// The scheme, named after the provider.
    pub(crate) fn scheme(self, provider: &'static str) -> Scheme {
        one_header_set(
            provider,
            HeaderSet {
                signature: HeaderName::from_static(self.header),
                format: prefixed(self.prefix),
                algorithm: Algorithm::SharedToken,
                encoding: Encoding::Hex,
                timestamp: None,
                id: self.id.header(),
                written_by_signer: true,
            },
            MessageLayout::built_in(vec![MessagePart::Body]),
            None,
            self.id.source(),
        )
    }
}
