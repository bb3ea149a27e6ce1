use std::time::Duration;

use http::HeaderName;

use crate::provider::Provider;
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, Encoding, MessagePart, PayloadFormat, Scheme, TimestampUnit};
use crate::secret::SecretFormat;

/// Standard Webhooks in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "standard",
    title: "Standard Webhooks",
    aliases: &["standard-webhooks", "standard_webhooks", "svix"],
    key_kind: if cfg!(feature = "ed25519") {
        KeyKind::SecretOrPublicKey
    } else {
        KeyKind::Secret
    },
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
    /// key while the sender rotates), HMAC-SHA-256 under a `whsec_` secret.
    /// With the `ed25519` feature it also holds `v1a,<base64>` entries:
    /// Ed25519 signatures, checked with a `whpk_` public key (a signer takes
    /// the `whsk_` private key, a 32-byte seed or the 64-byte seed and
    /// public key). Both versions may stand side by side in one header, and
    /// a ring may hold both kinds of key: each version is checked with the
    /// keys of its kind. Entries of other versions are skipped. Signed
    /// message: `{webhook-id}.{webhook-timestamp}.{body}`. Keys are written
    /// as [`SecretFormat::StandardWebhooks`] says.
    pub fn standard_webhooks() -> Self {
        Self::standard_webhooks_as(Provider::built_in(PROVIDER.name), false)
    }

    /// Standard Webhooks as a Svix-based sender (Clerk, Resend) sends it:
    /// the `svix-*` headers read first and written by a signer, the
    /// `webhook-*` names still read.
    pub(crate) fn svix_sender(provider: Provider) -> Self {
        Self::standard_webhooks_as(provider, true)
    }

    /// Standard Webhooks under another provider's name (GitLab's signing
    /// token): the `webhook-*` headers written, the `svix-*` ones read.
    pub(crate) fn standard_webhooks_named(provider: Provider) -> Self {
        Self::standard_webhooks_as(provider, false)
    }

    fn standard_webhooks_as(provider: Provider, svix_first: bool) -> Self {
        let standard = ["webhook-signature", "webhook-timestamp", "webhook-id"];
        let svix = ["svix-signature", "svix-timestamp", "svix-id"];
        let (first, second) = if svix_first {
            (svix, standard)
        } else {
            (standard, svix)
        };
        Self {
            provider,
            header_sets: [(first, true), (second, false)]
                .into_iter()
                .flat_map(|(names, written)| {
                    let symmetric = header_set(names, written, "v1", Algorithm::Sha256);
                    #[cfg(feature = "ed25519")]
                    return [
                        symmetric,
                        header_set(names, written, "v1a", Algorithm::Ed25519),
                    ];
                    #[cfg(not(feature = "ed25519"))]
                    [symmetric]
                })
                .collect(),
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
            url_rules: UrlRules::EXACT,
            body_fields: None,
            body_timestamp: None,
            signed_item: None,
            tolerance: None,
        }
    }
}

fn header_set(
    [signature, timestamp, id]: [&'static str; 3],
    written_by_signer: bool,
    version: &'static str,
    algorithm: Algorithm,
) -> HeaderSet {
    HeaderSet {
        signature: HeaderName::from_static(signature),
        format: SignatureFormat::VersionedList { version },
        algorithm,
        encoding: Encoding::Base64,
        timestamp: Some(HeaderName::from_static(timestamp)),
        id: Some(HeaderName::from_static(id)),
        written_by_signer,
    }
}
