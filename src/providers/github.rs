use std::borrow::Cow;
use std::time::Duration;

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

/// GitHub in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "github",
    title: "GitHub",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::github,
    variants: &[("with_sha1", Scheme::github_with_sha1)],
};

const DELIVERY: HeaderName = HeaderName::from_static("x-github-delivery");

impl Scheme {
    /// [GitHub](https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
    ///
    /// `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA-256 over the raw body.
    /// GitHub signs no timestamp, so there is no freshness check: a captured
    /// delivery can be replayed, and only idempotency stops it running twice.
    /// The event ID is `X-GitHub-Delivery`, which the signature does not
    /// cover. The legacy SHA-1 header is ignored; see
    /// [`github_with_sha1`](Scheme::github_with_sha1).
    ///
    /// GitHub does not retry a failed delivery by itself, but a person can
    /// redeliver any delivery of the past three days, so its
    /// [`retry_window`](Scheme::retry_window) is three days.
    pub fn github() -> Self {
        Self::github_with_sets(vec![sha256_set()])
    }

    /// GitHub, also accepting the legacy `X-Hub-Signature: sha1=<hex>` when
    /// `X-Hub-Signature-256` is absent (old GitHub Enterprise Server). SHA-1
    /// is weak: enable this only for a sender that cannot send SHA-256. A
    /// [`Signer`](crate::Signer) of this scheme writes both headers, as GitHub
    /// does.
    pub fn github_with_sha1() -> Self {
        Self::github_with_sets(vec![
            sha256_set(),
            HeaderSet {
                signature: HeaderName::from_static("x-hub-signature"),
                format: SignatureFormat::Prefixed {
                    prefix: Cow::Borrowed("sha1="),
                },
                algorithm: Algorithm::Sha1,
                ..sha256_set()
            },
        ])
    }

    fn github_with_sets(header_sets: Vec<HeaderSet>) -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets,
            message: MessageLayout::built_in(vec![MessagePart::Body]),
            timestamp_unit: None,
            event_id: EventIdSource::Header,
            secret_format: SecretFormat::GitHub,
            payload_format: PayloadFormat::JsonOrForm,
            retry_window: Some(Duration::from_secs(3 * 24 * 3600)),
            url_rules: UrlRules::EXACT,
            body_fields: None,
            body_timestamp: None,
            signed_item: None,
            tolerance: None,
        }
    }
}

fn sha256_set() -> HeaderSet {
    HeaderSet {
        signature: HeaderName::from_static("x-hub-signature-256"),
        format: SignatureFormat::Prefixed {
            prefix: Cow::Borrowed("sha256="),
        },
        algorithm: Algorithm::Sha256,
        encoding: Encoding::Hex,
        timestamp: None,
        id: Some(DELIVERY),
        written_by_signer: true,
    }
}
