use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::{Algorithm, Encoding, MessagePart, Scheme, TimestampUnit};

/// HubSpot in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "hubspot",
    title: "HubSpot",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::hubspot,
    variants: &[("v2", Scheme::hubspot_v2), ("v1", Scheme::hubspot_v1)],
};

impl Scheme {
    /// [HubSpot](https://developers.hubspot.com/docs/api/webhooks/validating-requests),
    /// signature v3.
    ///
    /// `X-HubSpot-Signature-v3: <base64>`, HMAC-SHA-256 keyed with the
    /// app's client secret over `{method}{url}{body}{timestamp}` with no
    /// separators, where the URL is the one HubSpot called, query included
    /// (the verifier must be told it:
    /// [`Verifier::with_public_url`](crate::Verifier::with_public_url);
    /// HubSpot decodes a few percent-escapes of it before signing, so
    /// configure it unescaped) and the timestamp is
    /// `X-HubSpot-Request-Timestamp`, in milliseconds. **Tolerance 5
    /// minutes**, as HubSpot's SDKs (which only refuse old timestamps; this
    /// crate holds it both ways). A body batches events, so deliveries are
    /// keyed by their signature's fingerprint.
    ///
    /// Older apps' requests carry v1 or v2 instead
    /// ([`hubspot_v1`](Self::hubspot_v1), [`hubspot_v2`](Self::hubspot_v2)).
    pub fn hubspot() -> Self {
        one_header_set(
            PROVIDER.name,
            HeaderSet {
                signature: HeaderName::from_static("x-hubspot-signature-v3"),
                format: prefixed(""),
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Base64,
                timestamp: Some(HeaderName::from_static("x-hubspot-request-timestamp")),
                id: None,
                written_by_signer: true,
            },
            MessageLayout::unchecked(
                vec![
                    MessagePart::Method,
                    MessagePart::Url,
                    MessagePart::Body,
                    MessagePart::Timestamp,
                ],
                "the method is letters and the URL the configured one, so nothing moves \
                 between them and the body; between the body and the timestamp in \
                 milliseconds, moving a digit changes the timestamp tenfold, decades away \
                 from any tolerance",
            ),
            Some(TimestampUnit::Milliseconds),
            EventIdSource::None,
        )
    }

    /// HubSpot signature v2: `X-HubSpot-Signature: <hex>` (with
    /// `X-HubSpot-Signature-Version: v2`), the plain SHA-256 of the client
    /// secret followed by `{method}{url}{body}`
    /// ([`Algorithm::Sha256SecretPrefixed`]: no MAC, and no timestamp, so
    /// only the delivery's record stops a replay). The verifier must be
    /// told the URL.
    pub fn hubspot_v2() -> Self {
        Self {
            message: MessageLayout::unchecked(
                vec![MessagePart::Method, MessagePart::Url, MessagePart::Body],
                "the method is letters and the URL the configured one: nothing moves",
            ),
            ..Self::hubspot_v1()
        }
    }

    /// HubSpot signature v1: `X-HubSpot-Signature: <hex>` (with
    /// `X-HubSpot-Signature-Version: v1`), the plain SHA-256 of the client
    /// secret followed by the body ([`Algorithm::Sha256SecretPrefixed`]: no
    /// MAC, and no timestamp).
    pub fn hubspot_v1() -> Self {
        one_header_set(
            PROVIDER.name,
            HeaderSet {
                signature: HeaderName::from_static("x-hubspot-signature"),
                format: prefixed(""),
                algorithm: Algorithm::Sha256SecretPrefixed,
                encoding: Encoding::Hex,
                timestamp: None,
                id: None,
                written_by_signer: true,
            },
            MessageLayout::built_in(vec![MessagePart::Body]),
            None,
            EventIdSource::None,
        )
    }
}
