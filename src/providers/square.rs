use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::{Algorithm, Encoding, MessagePart, Scheme};

/// Square in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "square",
    title: "Square",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::square,
    variants: &[],
};

impl Scheme {
    /// [Square](https://developer.squareup.com/docs/webhooks/step3validate).
    ///
    /// `x-square-hmacsha256-signature: <base64>`, HMAC-SHA-256 under the
    /// subscription's signature key, over the notification URL followed by
    /// the raw body, with no separator. The verifier must know the
    /// notification URL exactly as the subscription holds it
    /// ([`Verifier::with_public_url`](crate::Verifier::with_public_url)).
    /// Square signs no timestamp; the event ID is the body's top-level
    /// `event_id`, covered by the signature.
    pub fn square() -> Self {
        one_header_set(
            PROVIDER.name,
            HeaderSet {
                signature: HeaderName::from_static("x-square-hmacsha256-signature"),
                format: prefixed(""),
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Base64,
                timestamp: None,
                id: None,
                written_by_signer: true,
            },
            MessageLayout::url_then(MessagePart::Body),
            None,
            EventIdSource::json_field("event_id"),
        )
    }
}
