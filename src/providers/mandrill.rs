use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, Encoding, MessagePart, PayloadFormat, Scheme};

/// Mandrill (Mailchimp Transactional) in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "mandrill",
    title: "Mailchimp Transactional (Mandrill)",
    aliases: &["mailchimp-transactional"],
    key_kind: KeyKind::Secret,
    scheme: Scheme::mandrill,
    variants: &[],
};

impl Scheme {
    /// [Mailchimp Transactional (Mandrill)](https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests).
    ///
    /// `X-Mandrill-Signature: <base64>`, HMAC-SHA-1 keyed with the
    /// webhook's key, over the webhook URL exactly as configured followed
    /// by the POST parameters sorted by name, each name followed by its
    /// value, no separators. The verifier must know that URL
    /// ([`Verifier::with_public_url`](crate::Verifier::with_public_url)).
    /// Mandrill posts one parameter, `mandrill_events` (a JSON array); a
    /// body repeating a name is refused (the PHP code Mandrill documents
    /// reads one value per name). No timestamp is signed and a body batches
    /// events, so deliveries are keyed by their signature's fingerprint and
    /// only their record stops a replay: choose a durable store.
    ///
    /// Mandrill checks a new webhook URL with a `HEAD` request: the guard's
    /// Mandrill handshake answers it.
    pub fn mandrill() -> Self {
        Self {
            payload_format: PayloadFormat::JsonOrForm,
            url_rules: UrlRules {
                form_names_once: true,
                ..UrlRules::EXACT
            },
            ..one_header_set(
                PROVIDER.name,
                HeaderSet {
                    signature: HeaderName::from_static("x-mandrill-signature"),
                    format: prefixed(""),
                    algorithm: Algorithm::Sha1,
                    encoding: Encoding::Base64,
                    timestamp: None,
                    id: None,
                    written_by_signer: true,
                },
                MessageLayout::url_then(MessagePart::FormParameters),
                None,
                EventIdSource::None,
            )
        }
    }
}
