use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::{Algorithm, Encoding, Scheme, TimestampUnit};
use crate::secret::SecretFormat;

/// Discord in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "discord",
    title: "Discord",
    aliases: &[],
    key_kind: KeyKind::PublicKey,
    scheme: Scheme::discord,
    variants: &[],
};

impl Scheme {
    /// [Discord](https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers)
    /// interactions and webhook events (feature `ed25519`).
    ///
    /// `X-Signature-Ed25519: <hex>`, an Ed25519 signature of
    /// `{X-Signature-Timestamp}{body}` (no separator), checked strictly with
    /// the application's public key, in hex
    /// ([`SecretFormat::Ed25519Hex`]). The event ID is the body's top-level
    /// `id` (the interaction's). Discord checks an endpoint by sending
    /// requests with invalid signatures: they get 401, as Discord requires.
    pub fn discord() -> Self {
        Self {
            secret_format: SecretFormat::Ed25519Hex,
            ..one_header_set(
                PROVIDER.name,
                HeaderSet {
                    signature: HeaderName::from_static("x-signature-ed25519"),
                    format: prefixed(""),
                    algorithm: Algorithm::Ed25519,
                    encoding: Encoding::Hex,
                    timestamp: Some(HeaderName::from_static("x-signature-timestamp")),
                    id: None,
                    written_by_signer: true,
                },
                MessageLayout::timestamp_then_body(),
                Some(TimestampUnit::Seconds),
                EventIdSource::json_field("id"),
            )
        }
    }
}
