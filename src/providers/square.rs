use std::borrow::Cow;

use http::HeaderName;

use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, Encoding, MessagePart, PayloadFormat, Scheme};
use crate::secret::SecretFormat;

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
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-square-hmacsha256-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed(""),
                },
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Base64,
                timestamp: None,
                id: None,
                written_by_signer: true,
            }],
            message: MessageLayout::url_then(MessagePart::Body),
            timestamp_unit: None,
            event_id: EventIdSource::json_field("event_id"),
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::Json,
            retry_window: None,
            url_rules: UrlRules::EXACT,
            body_fields: None,
            body_timestamp: None,
            tolerance: None,
        }
    }
}
