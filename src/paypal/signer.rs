use std::fmt;
use std::time::SystemTime;

use http::{HeaderMap, HeaderValue};

use crate::paypal::verifier::{AUTH_ALGO, CERT_URL, SHA256_WITH_RSA};
use crate::paypal::{PayPalCertUrl, PayPalError};
use crate::scheme::Scheme;
use crate::{SignError, Signer};

/// Signs deliveries the way PayPal does, for tests and for a PayPal
/// stand-in: exactly the headers a
/// [`PayPalVerifier`](crate::paypal::PayPalVerifier) of the same webhook
/// checks, `PAYPAL-AUTH-ALGO: SHA256withRSA` and the `PAYPAL-CERT-URL`
/// given.
///
/// The private key is yours (PayPal's is PayPal's): pair it with a
/// verifier that pins its certificate.
#[derive(Clone)]
pub struct PayPalSigner {
    signer: Signer,
    cert_url: HeaderValue,
}

impl PayPalSigner {
    /// A signer for the webhook `webhook_id` with the RSA private key
    /// `private_key_pem` (PKCS#8 or PKCS#1 PEM, 2048 to 4096 bits),
    /// naming `cert_url` as its certificate's location (which must pass
    /// [`PayPalCertUrl`]'s rule, as PayPal's do).
    pub fn new(
        webhook_id: &str,
        private_key_pem: &str,
        cert_url: &str,
    ) -> Result<Self, PayPalError> {
        let url = PayPalCertUrl::parse(cert_url)?;
        let scheme = Scheme::paypal(webhook_id)?;
        let signer = Signer::from_secrets(scheme, [private_key_pem])?;
        let cert_url = HeaderValue::from_str(url.as_str()).map_err(|_| PayPalError::CertUrl {
            reason: "not a header value",
        })?;
        Ok(Self { signer, cert_url })
    }

    /// The headers that authenticate `body` as transmission
    /// `transmission_id` sent at `time`: `PAYPAL-TRANSMISSION-ID`,
    /// `-TIME` (RFC 3339, whole seconds), `-SIG` (marked sensitive),
    /// `PAYPAL-AUTH-ALGO` and `PAYPAL-CERT-URL`.
    pub fn sign(
        &self,
        transmission_id: &str,
        time: SystemTime,
        body: &[u8],
    ) -> Result<HeaderMap, SignError> {
        if transmission_id.is_empty() {
            return Err(SignError::MissingId);
        }
        let mut headers = self.signer.sign(transmission_id, time, body)?;
        headers.insert(AUTH_ALGO, HeaderValue::from_static(SHA256_WITH_RSA));
        headers.insert(CERT_URL, self.cert_url.clone());
        Ok(headers)
    }

    /// The scheme it signs: [`Scheme::paypal`] of its webhook ID.
    pub fn scheme(&self) -> &Scheme {
        self.signer.scheme()
    }
}

impl fmt::Debug for PayPalSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayPalSigner")
            .field("cert_url", &self.cert_url)
            .finish_non_exhaustive()
    }
}
