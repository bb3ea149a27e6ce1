use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// Razorpay in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "razorpay",
    title: "Razorpay",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::razorpay,
    variants: &[],
};

impl Scheme {
    /// [Razorpay](https://razorpay.com/docs/webhooks/validate-test/).
    ///
    /// `X-Razorpay-Signature: <hex>`, HMAC-SHA-256 over the raw body, keyed
    /// with the webhook secret as typed. Razorpay signs no timestamp, so
    /// there is no freshness check and only the delivery's record stops a
    /// replay: choose a durable store. The event ID is
    /// `X-Razorpay-Event-Id`, which Razorpay names for deduplication; the
    /// signature does not cover it, so deliveries are keyed by their
    /// signature's fingerprint (a retry repeats the body, and so the tag).
    ///
    /// The official SDKs compare signatures with `==` in Node and Go; this
    /// crate compares in constant time.
    pub fn razorpay() -> Self {
        BodySignature {
            header: "x-razorpay-signature",
            prefix: "",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
            id: IdFrom::Header("x-razorpay-event-id"),
        }
        .scheme(PROVIDER.name)
    }
}
