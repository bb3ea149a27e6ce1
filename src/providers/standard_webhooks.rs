use std::time::Duration;

use http::HeaderName;

use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::{Algorithm, Encoding, MessagePart, PayloadFormat, Scheme, TimestampUnit};
use crate::secret::SecretFormat;

/// Standard Webhooks in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "standard",
    title: "Standard Webhooks",
    aliases: &["standard-webhooks", "standard_webhooks", "svix"],
    key_kind: KeyKind::Secret,
    scheme: Scheme::standard_webhooks,
    variants: &[],
};

impl Scheme {
    /// [Standard Webhooks](https://www.standardwebhooks.com/) (and Svix, which
    /// it grew from).
    ///
    /// Reads `webhook-id`, `webhook-timestamp` and `webhook-signature`, or
    /// their `svix-*` aliases when `webhook-signature` is absent. The
    /// signature header holds space-separated `v1,<base64>` entries (one per
    /// key while the sender rotates); entries of other versions, such as the
    /// asymmetric `v1a`, are skipped. Signed message:
    /// `{webhook-id}.{webhook-timestamp}.{body}`, HMAC-SHA-256. Secrets are
    /// `whsec_` followed by base64 ([`SecretFormat::StandardWebhooks`]).
    pub fn standard_webhooks() -> Self {
        Self {
            provider: Provider::built_in(PROVIDER.name),
            header_sets: vec![
                header_set(
                    ["webhook-signature", "webhook-timestamp", "webhook-id"],
                    true,
                ),
                header_set(["svix-signature", "svix-timestamp", "svix-id"], false),
            ],
            message: MessageLayout::built_in(vec![
                MessagePart::Id,
                MessagePart::literal("."),
                MessagePart::Timestamp,
                MessagePart::literal("."),
                MessagePart::Body,
            ]),
            timestamp_unit: Some(TimestampUnit::Seconds),
            event_id: EventIdSource::Header,
            secret_format: SecretFormat::StandardWebhooks,
            payload_format: PayloadFormat::Json,
            retry_window: Some(Duration::from_secs(3 * 24 * 3600)),
        }
    }
}

fn header_set([signature, timestamp, id]: [&'static str; 3], written_by_signer: bool) -> HeaderSet {
    HeaderSet {
        signature: HeaderName::from_static(signature),
        format: SignatureFormat::VersionedList { version: "v1" },
        algorithm: Algorithm::Sha256,
        encoding: Encoding::Base64,
        timestamp: Some(HeaderName::from_static(timestamp)),
        id: Some(HeaderName::from_static(id)),
        written_by_signer,
    }
}
