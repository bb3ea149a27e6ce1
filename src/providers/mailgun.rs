use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::body_fields::BodyFields;
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::{Algorithm, Encoding, MessagePart, Scheme, TimestampUnit};

/// Mailgun in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "mailgun",
    title: "Mailgun",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::mailgun,
    variants: &[],
};

impl Scheme {
    /// [Mailgun](https://documentation.mailgun.com/docs/mailgun/user-manual/tracking-messages/#securing-webhooks)
    /// JSON webhooks.
    ///
    /// The signature is in the body: `{"signature": {"timestamp": "<unix>",
    /// "token": "<random>", "signature": "<hex>"}, "event-data": {…}}`, the
    /// hex HMAC-SHA-256 of `{timestamp}{token}` keyed with the HTTP webhook
    /// signing key. **The signature covers the timestamp and the token, not
    /// `event-data`**: whoever captures one delivery could attach its
    /// signature object to another `event-data` until the token is
    /// recorded. The single-use token is therefore the event ID that keys
    /// the delivery (use a durable store), [`Verified::body_is_signed`] is
    /// `false`, and a body repeating a key of its signature object (read
    /// differently by another JSON parser) is refused.
    ///
    /// Nothing is in the head: the guard reads every body (within its
    /// limit and its budget of unverified bytes) before it can refuse one.
    ///
    /// [`Verified::body_is_signed`]: crate::Verified::body_is_signed
    pub fn mailgun() -> Self {
        Self {
            body_fields: Some(BodyFields {
                signature: &["signature", "signature"],
                timestamp: Some(&["signature", "timestamp"]),
                id: Some(&["signature", "token"]),
            }),
            ..one_header_set(
                PROVIDER.name,
                HeaderSet {
                    // Never read: Mailgun signs in the body.
                    signature: HeaderName::from_static("x-mailgun-signature"),
                    format: prefixed(""),
                    algorithm: Algorithm::Sha256,
                    encoding: Encoding::Hex,
                    timestamp: None,
                    id: None,
                    written_by_signer: false,
                },
                MessageLayout::unchecked(
                    vec![MessagePart::Timestamp, MessagePart::Id],
                    "a fresh timestamp in seconds cannot give digits to the token, nor take \
                                 any: it would move decades away from any tolerance",
                ),
                Some(TimestampUnit::Seconds),
                EventIdSource::Header,
            )
        }
    }
}
