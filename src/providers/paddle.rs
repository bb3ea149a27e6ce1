use std::time::Duration;

use crate::providers::shape::{IdFrom, TimestampedList};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;

/// Paddle in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "paddle",
    title: "Paddle Billing",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::paddle,
    variants: &[],
};

impl Scheme {
    /// [Paddle Billing](https://developer.paddle.com/webhooks/signature-verification).
    ///
    /// `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]` (entries separated
    /// by `;`), HMAC-SHA-256 over `{ts}:{body}` under the notification
    /// destination's secret key as typed (`pdl_ntfset_…`, not decoded).
    /// Every `h1` entry is a candidate (Paddle sends one per active secret
    /// while you rotate it); other keys are skipped, as Paddle's Node SDK
    /// does (its Python SDK refuses them). The event ID is the body's
    /// top-level `event_id`.
    ///
    /// **Tolerance 5 s**, as both official SDKs hold it (this crate holds it
    /// both ways; the SDKs only refuse old timestamps). A verifier's
    /// [`with_tolerance`](crate::Verifier::with_tolerance) widens it for a
    /// receiver whose clock drifts.
    pub fn paddle() -> Self {
        Self {
            tolerance: Some(Duration::from_secs(5)),
            ..TimestampedList {
                header: "paddle-signature",
                timestamp_key: "ts",
                signature_key: "h1",
                separator: b';',
                joiner: ":",
                id: IdFrom::JsonField("event_id"),
            }
            .scheme(PROVIDER.name)
        }
    }
}
