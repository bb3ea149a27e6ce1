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
use crate::scheme::{
    Algorithm, Encoding, MessagePart, PayloadFormat, Scheme, SchemeError, TimestampUnit,
};
use crate::secret::SecretFormat;

/// PayPal in the provider registry. The registry's constructor takes no
/// argument, so its scheme signs a placeholder where the webhook ID goes
/// (see [`unconfigured`]): no genuine PayPal delivery verifies under it.
/// Build PayPal's scheme with [`Scheme::paypal`].
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "paypal",
    title: "PayPal",
    aliases: &[],
    key_kind: KeyKind::PublicKey,
    scheme: unconfigured,
    variants: &[],
};

/// What the registry's scheme signs in place of the webhook ID: PayPal's
/// webhook IDs are letters and digits, so no message PayPal signs holds
/// this, and a verifier built from the registry's scheme without
/// [`Scheme::paypal`] refuses every genuine delivery (fails closed).
const UNSET_WEBHOOK_ID: &str = "\0webhook ID not configured: use Scheme::paypal(webhook_id)\0";

/// The longest webhook ID accepted (PayPal's are 17 to 24 characters).
const MAX_WEBHOOK_ID_LEN: usize = 64;

/// The transmission ID header: the event ID, and what the signature covers.
pub(crate) const TRANSMISSION_ID: HeaderName = HeaderName::from_static("paypal-transmission-id");
/// The transmission time header, RFC 3339.
pub(crate) const TRANSMISSION_TIME: HeaderName =
    HeaderName::from_static("paypal-transmission-time");
/// The signature header, base64.
pub(crate) const TRANSMISSION_SIG: HeaderName = HeaderName::from_static("paypal-transmission-sig");

/// The registry's PayPal scheme, with no webhook ID.
fn unconfigured() -> Scheme {
    paypal_with(MessagePart::literal(UNSET_WEBHOOK_ID))
}

fn paypal_with(webhook_id: MessagePart) -> Scheme {
    Scheme {
        provider: Provider::built_in(PROVIDER.name),
        header_sets: vec![HeaderSet {
            signature: TRANSMISSION_SIG,
            format: SignatureFormat::Prefixed {
                prefix: Cow::Borrowed(""),
            },
            algorithm: Algorithm::RsaPkcs1v15Sha256,
            encoding: Encoding::Base64,
            timestamp: Some(TRANSMISSION_TIME),
            id: Some(TRANSMISSION_ID),
            written_by_signer: true,
        }],
        message: MessageLayout::unchecked(
            vec![
                MessagePart::Id,
                MessagePart::literal("|"),
                MessagePart::Timestamp,
                MessagePart::literal("|"),
                webhook_id,
                MessagePart::literal("|"),
                MessagePart::BodyCrc32,
            ],
            "the ID may hold no `|` (checked for every request), an RFC 3339 time and the \
             configured webhook ID hold none, and the CRC is the last part: each `|` is a boundary",
        ),
        timestamp_unit: Some(TimestampUnit::Rfc3339),
        event_id: EventIdSource::Header,
        secret_format: SecretFormat::Rsa,
        payload_format: PayloadFormat::Json,
        // PayPal retries a delivery up to 25 times over 3 days.
        retry_window: Some(Duration::from_secs(3 * 24 * 3600)),
        url_rules: UrlRules::EXACT,
        body_fields: None,
        tolerance: None,
        body_timestamp: None,
        signed_item: None,
    }
}

impl Scheme {
    /// [PayPal](https://developer.paypal.com/api/rest/webhooks/rest/)
    /// webhooks for the webhook `webhook_id` (feature `rsa`).
    ///
    /// `PAYPAL-TRANSMISSION-SIG: <base64>`, an RSA PKCS#1 v1.5 / SHA-256
    /// signature of
    /// `{PAYPAL-TRANSMISSION-ID}|{PAYPAL-TRANSMISSION-TIME}|{webhook ID}|{CRC-32 of the body}`,
    /// the CRC-32 (IEEE) in unsigned decimal, the time in RFC 3339 and
    /// checked for freshness. The key is the public key of the certificate
    /// at `PAYPAL-CERT-URL`; PayPal uses one certificate for every
    /// merchant, so the webhook ID (configuration, not a secret) is what
    /// ties a delivery to *your* webhook.
    ///
    /// **The body is protected by a CRC-32 only.** A CRC is no MAC: anyone
    /// holding one genuine delivery can write another body with the same
    /// CRC-32, and the signature still verifies. What the signature does
    /// cover is the transmission ID, so the transmission ID is the event ID
    /// and the idempotency key: once the genuine delivery is recorded, its
    /// signature cannot carry a second body (within the freshness window
    /// and while the record lives). Keep records for the whole tolerance,
    /// in a store that does not lose them; and treat the body's fields as
    /// only as trustworthy as that.
    ///
    /// This scheme checks the signature. PayPal's other headers
    /// (`PAYPAL-AUTH-ALGO` must be `SHA256withRSA`; `PAYPAL-CERT-URL` names
    /// the certificate) and the certificate itself are checked by
    /// [`PayPalVerifier`](crate::paypal::PayPalVerifier), which is what a
    /// guard should be given.
    ///
    /// Refused: an empty webhook ID, one longer than 64 bytes, or one with
    /// anything but ASCII letters, digits, `-` and `_`.
    ///
    /// ```
    /// use webhook_guard::Scheme;
    ///
    /// let scheme = Scheme::paypal("96605875FF6516633")?;
    /// assert_eq!(scheme.provider().name(), "paypal");
    /// assert!(Scheme::paypal("a|b").is_err());
    /// # Ok::<(), webhook_guard::scheme::SchemeError>(())
    /// ```
    pub fn paypal(webhook_id: &str) -> Result<Self, SchemeError> {
        let valid = !webhook_id.is_empty()
            && webhook_id.len() <= MAX_WEBHOOK_ID_LEN
            && webhook_id
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if !valid {
            return Err(SchemeError::InvalidWebhookId);
        }
        Ok(paypal_with(MessagePart::literal(webhook_id.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{SystemTime, UNIX_EPOCH};

    use http::HeaderMap;

    use super::*;
    use crate::{Signer, Verifier, VerifyError};

    const SIGNER: &str = include_str!("../../tests/data/rsa/signer-2048.pem");
    const CERTIFICATE: &str = include_str!("../../tests/data/rsa/certificate-2048.pem");

    fn at() -> SystemTime {
        UNIX_EPOCH + std::time::Duration::from_secs(1_764_669_600)
    }

    #[test]
    fn what_the_signer_writes_the_verifier_of_the_same_webhook_accepts() {
        let scheme = Scheme::paypal("WH-ID-1").unwrap();
        let signer = Signer::from_secrets(scheme.clone(), [SIGNER]).unwrap();
        let verifier = Verifier::from_secrets(scheme, [CERTIFICATE]).unwrap();
        let body = br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#;
        let headers = signer
            .sign("071f7d20-1584-11e7-abf0-6b62a8a99ac4", at(), body)
            .unwrap();
        assert_eq!(headers[TRANSMISSION_TIME], "2025-12-02T10:00:00Z");
        let verified = verifier.verify_at(&headers, body, at()).unwrap();
        assert_eq!(
            verified.event_id(),
            Some("071f7d20-1584-11e7-abf0-6b62a8a99ac4")
        );
        assert!(verified.event_id_is_signed(), "the transmission ID keys it");

        // Another webhook's verifier (same PayPal certificate) refuses it.
        let other = Verifier::from_secrets(Scheme::paypal("WH-ID-2").unwrap(), [CERTIFICATE])
            .unwrap()
            .verify_at(&headers, body, at());
        assert_eq!(other.unwrap_err(), VerifyError::SignatureMismatch);
        // So does the registry's scheme, which has no webhook ID.
        let unset = Verifier::from_secrets(unconfigured(), [CERTIFICATE])
            .unwrap()
            .verify_at(&headers, body, at());
        assert_eq!(unset.unwrap_err(), VerifyError::SignatureMismatch);
    }

    #[test]
    fn a_transmission_id_holding_the_separator_is_refused() {
        let scheme = Scheme::paypal("WH-ID-1").unwrap();
        let verifier = Verifier::from_secrets(scheme.clone(), [CERTIFICATE]).unwrap();
        let signer = Signer::from_secrets(scheme, [SIGNER]).unwrap();
        assert!(signer.sign("tx|1", at(), b"{}").is_err());
        let mut headers: HeaderMap = signer.sign("tx-1", at(), b"{}").unwrap();
        headers.insert(TRANSMISSION_ID, "tx|1".parse().unwrap());
        assert_eq!(
            verifier
                .verify_at(&headers, b"{}", at())
                .unwrap_err()
                .status(),
            400
        );
    }

    #[test]
    fn webhook_ids_are_letters_digits_dashes_and_underscores() {
        for good in ["96605875FF6516633", "8PT597110X687430LKGECATA", "WH_1-a"] {
            assert!(Scheme::paypal(good).is_ok(), "{good}");
        }
        let long = "A".repeat(MAX_WEBHOOK_ID_LEN + 1);
        for bad in ["", "a|b", "a b", "é", "a\0", long.as_str()] {
            assert_eq!(
                Scheme::paypal(bad).unwrap_err(),
                SchemeError::InvalidWebhookId,
                "{bad:?}"
            );
        }
    }
}
