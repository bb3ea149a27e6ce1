use std::time::Duration;

use http::HeaderName;

use crate::providers::shape::{BodySignature, IdFrom, one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signed_item::SignedItem;
use crate::scheme::{Algorithm, Encoding, Scheme};
use crate::secret::SecretFormat;

/// Adyen in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "adyen",
    title: "Adyen",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::adyen,
    variants: &[("platform", Scheme::adyen_platform)],
};

/// Adyen keeps a failing webhook in its retry queue for 30 days.
const RETRY_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

impl Scheme {
    /// [Adyen](https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures/)
    /// payment notifications (the Standard webhook and the other payments
    /// webhooks), keyed with the HMAC key of the Customer Area, in hex.
    ///
    /// The signature is in the body, inside the one item it signs:
    /// `{"live": "…", "notificationItems": [{"NotificationRequestItem":
    /// {…, "additionalData": {"hmacSignature": "<base64>"}}}]}`, the
    /// HMAC-SHA-256 of
    /// `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
    /// (`value` and `currency` from `amount`; an absent field is empty), as
    /// `@adyen/api-library`'s `HmacValidator` computes it.
    ///
    /// * **Only those fields are signed**: `eventDate`, `reason`,
    ///   `paymentMethod` and the rest of `additionalData` are not, so
    ///   [`Verified::body_is_signed`] is `false`. Trust only the signed
    ///   fields; fetch anything else you act on from Adyen's API.
    /// * **The event is `pspReference:eventCode:success`**, all signed: a
    ///   retry repeats them, and an authorisation refused then accepted is
    ///   two events. Once it is recorded, a captured signature cannot carry
    ///   other unsigned fields under the same event.
    /// * **No timestamp is signed**: nothing expires a captured
    ///   notification but its record, and Adyen retries for 30 days
    ///   ([`retry_window`](Self::retry_window)): use a durable store.
    /// * **One item per body**, as Adyen sends JSON notifications; a body
    ///   of two items, a signed field given twice, or given as another
    ///   type than Adyen writes is refused, so that no JSON parser of the
    ///   handler reads fields other than those checked. A `:` in a signed
    ///   field other than `merchantReference` is refused too: with it, the
    ///   signed text would split into fields more than one way.
    ///
    /// Nothing is in the head: the guard reads every body (within its
    /// limit and its budget of unverified bytes) before it can refuse one.
    /// Adyen expects a 2xx answer (the handler's), and no handshake.
    /// Balance Platform and Management webhooks sign differently:
    /// [`adyen_platform`](Self::adyen_platform).
    ///
    /// [`Verified::body_is_signed`]: crate::Verified::body_is_signed
    pub fn adyen() -> Self {
        Self {
            secret_format: SecretFormat::Hex,
            retry_window: Some(RETRY_WINDOW),
            signed_item: Some(SignedItem::AdyenNotification),
            ..one_header_set(
                PROVIDER.name,
                HeaderSet {
                    // Never read: the signature is in the item.
                    signature: HeaderName::from_static("x-adyen-hmac-signature"),
                    format: prefixed(""),
                    algorithm: Algorithm::Sha256,
                    encoding: Encoding::Base64,
                    timestamp: None,
                    id: None,
                    written_by_signer: false,
                },
                MessageLayout::unchecked(
                    Vec::new(),
                    "the item's fields are the message, joined by `:`; only \
                     merchantReference may hold one (checked for every item)",
                ),
                None,
                EventIdSource::Header,
            )
        }
    }

    /// [Adyen](https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures/#verify-using-hmac-signature-header)
    /// Balance Platform and Management API webhooks (registry variant
    /// `platform`).
    ///
    /// `HmacSignature: <base64>`, HMAC-SHA-256 over the raw body, keyed
    /// with the webhook's HMAC key in hex (`@adyen/api-library`'s
    /// `validateHMACSignature`). No timestamp is signed and no event ID
    /// travels in a header, so deliveries are keyed by their signature's
    /// fingerprint, and records must outlive Adyen's 30 days of retries.
    pub fn adyen_platform() -> Self {
        Self {
            secret_format: SecretFormat::Hex,
            retry_window: Some(RETRY_WINDOW),
            ..BodySignature {
                header: "hmacsignature",
                prefix: "",
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Base64,
                id: IdFrom::Nowhere,
            }
            .scheme(PROVIDER.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use http::HeaderMap;

    use super::*;
    use crate::{Signer, Verifier, VerifyError};

    const KEY: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

    fn body(psp: &str, code: &str, date: &str) -> Vec<u8> {
        format!(
            r#"{{"live":"false","notificationItems":[{{"NotificationRequestItem":{{"additionalData":{{"authCode":"1234"}},"amount":{{"currency":"EUR","value":1130}},"eventCode":"{code}","eventDate":"{date}","merchantAccountCode":"TestMerchant","merchantReference":"order-42","pspReference":"{psp}","reason":"1234:7777:12/2012","success":"true"}}}}]}}"#
        )
        .into_bytes()
    }

    #[test]
    fn what_the_signer_writes_the_verifier_accepts_as_the_signed_event() {
        let signer = Signer::from_secrets(Scheme::adyen(), [KEY]).unwrap();
        let verifier = Verifier::from_secrets(Scheme::adyen(), [KEY]).unwrap();
        let signed = signer
            .sign_into_body(
                "",
                SystemTime::UNIX_EPOCH,
                &body(
                    "7914073381342284",
                    "AUTHORISATION",
                    "2026-12-02T10:00:00+01:00",
                ),
            )
            .unwrap();
        let verified = verifier
            .verify_at(&HeaderMap::new(), &signed, SystemTime::now())
            .unwrap();
        assert_eq!(
            verified.event_id(),
            Some("7914073381342284:AUTHORISATION:true")
        );
        assert!(verified.event_id_is_signed());
        assert!(!verified.body_is_signed());
        assert_eq!(verified.timestamp(), None);

        // The unsigned eventDate may change; the signed pspReference may not.
        let text = String::from_utf8(signed).unwrap();
        let redated = text.replace("2026-12-02T10:00:00+01:00", "2030-01-01T00:00:00+01:00");
        assert!(
            verifier
                .verify_at(&HeaderMap::new(), redated.as_bytes(), SystemTime::now())
                .is_ok()
        );
        let other = text.replace("7914073381342284", "7914073381342285");
        assert_eq!(
            verifier
                .verify_at(&HeaderMap::new(), other.as_bytes(), SystemTime::now())
                .unwrap_err(),
            VerifyError::SignatureMismatch
        );
    }

    #[test]
    fn an_item_without_a_signature_or_a_header_signature_is_refused() {
        let verifier = Verifier::from_secrets(Scheme::adyen(), [KEY]).unwrap();
        let unsigned = body(
            "7914073381342284",
            "AUTHORISATION",
            "2026-12-02T10:00:00+01:00",
        );
        let error = verifier
            .verify_at(&HeaderMap::new(), &unsigned, SystemTime::now())
            .unwrap_err();
        assert_eq!(error.reason(), "malformed_body");
        // A platform signature in the header does not sign a notification.
        let platform = Signer::from_secrets(Scheme::adyen_platform(), [KEY]).unwrap();
        let headers = platform.sign("", SystemTime::now(), &unsigned).unwrap();
        let error = verifier
            .verify_at(&headers, &unsigned, SystemTime::now())
            .unwrap_err();
        assert_eq!(error.reason(), "malformed_body");
    }

    #[test]
    fn the_hmac_key_is_hex() {
        assert!(Verifier::from_secrets(Scheme::adyen(), ["not hex"]).is_err());
        assert!(Verifier::from_secrets(Scheme::adyen_platform(), ["not hex"]).is_err());
    }
}
