use crate::providers::shape::{IdFrom, TimestampedList};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;

/// Mux in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "mux",
    title: "Mux",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::mux,
    variants: &[],
};

impl Scheme {
    /// [Mux](https://docs.mux.com/core/verify-webhook-signatures).
    ///
    /// `Mux-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA-256 over
    /// `{t}.{body}` under the webhook signing secret as typed: Stripe's
    /// shape under another header. Every `v1` entry is a candidate; other
    /// schemes are skipped. The event ID is the body's top-level `id`. Mux's
    /// SDK rejects timestamps older than 300 s and accepts any in the
    /// future; this crate holds the tolerance both ways.
    pub fn mux() -> Self {
        TimestampedList {
            header: "mux-signature",
            timestamp_key: "t",
            signature_key: "v1",
            separator: b',',
            joiner: ".",
            id: IdFrom::JsonField("id"),
        }
        .scheme(PROVIDER.name)
    }
}
