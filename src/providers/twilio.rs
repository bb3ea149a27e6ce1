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

/// Twilio in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "twilio",
    title: "Twilio",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::twilio,
    variants: &[],
};

impl Scheme {
    /// [Twilio](https://www.twilio.com/docs/usage/webhooks/webhooks-security)
    /// webhooks (voice, messaging, status callbacks).
    ///
    /// `X-Twilio-Signature: <base64>`, HMAC-SHA-1 under the account's auth
    /// token, over the URL Twilio requested (query included) followed by the
    /// form parameters of the body, sorted by name, each name followed by
    /// its value (a repeated name's values sorted, each once). A JSON body
    /// is not signed itself: Twilio adds its SHA-256 in hex as the
    /// `bodySHA256` query parameter, signs only the URL, and the verifier
    /// checks the body against it. The URL is tried with and without its
    /// port (`:443`), as Twilio's SDKs do.
    ///
    /// The verifier must know the URL Twilio requested
    /// ([`Verifier::with_public_url`](crate::Verifier::with_public_url)).
    /// Twilio signs no timestamp: only idempotency stops a replay. The
    /// `I-Twilio-Idempotency-Token` header is reported as the event ID; the
    /// signature does not cover it, so deliveries are told apart by their
    /// signed bytes.
    pub fn twilio() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![HeaderSet {
                signature: HeaderName::from_static("x-twilio-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed(""),
                },
                algorithm: Algorithm::Sha1,
                encoding: Encoding::Base64,
                timestamp: None,
                id: Some(HeaderName::from_static("i-twilio-idempotency-token")),
                written_by_signer: true,
            }],
            message: MessageLayout::url_then(MessagePart::FormParameters),
            timestamp_unit: None,
            event_id: EventIdSource::Header,
            secret_format: SecretFormat::Raw,
            payload_format: PayloadFormat::JsonOrForm,
            retry_window: None,
            url_rules: UrlRules {
                port_variants: true,
                body_digest_query: Some("bodySHA256"),
                form_names_once: false,
            },
            body_fields: None,
            body_timestamp: None,
            signed_item: None,
            tolerance: None,
        }
    }
}
