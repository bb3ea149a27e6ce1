use crate::providers::shape::{BodySignature, IdFrom};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::{Algorithm, Encoding, Scheme};

/// WooCommerce in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "woocommerce",
    title: "WooCommerce",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::woocommerce,
    variants: &[],
};

impl Scheme {
    /// [WooCommerce](https://woocommerce.com/document/webhooks/).
    ///
    /// `X-WC-Webhook-Signature: <base64>`, HMAC-SHA-256 over the raw body (WooCommerce
    /// core, `WC_Webhook::generate_signature`), keyed with the webhook's secret as
    /// typed. No timestamp is signed, so there is no freshness check and only the
    /// delivery's record stops a replay: choose a durable store. The reported event
    /// ID is `X-WC-Webhook-Delivery-ID`, which the signature does not cover (and
    /// which a manual re-delivery changes), so deliveries are keyed by their
    /// signature's fingerprint.
    ///
    /// WooCommerce checks a new webhook with an unsigned POST whose body is
    /// `webhook_id=<n>` and needs a 2xx: the guard's WooCommerce handshake answers
    /// it without reaching the handler.
    pub fn woocommerce() -> Self {
        BodySignature {
            header: "x-wc-webhook-signature",
            prefix: "",
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Base64,
            id: IdFrom::Header("x-wc-webhook-delivery-id"),
        }
        .scheme(PROVIDER.name)
    }
}
