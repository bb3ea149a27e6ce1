use crate::scheme::SchemeError;
use crate::secret::SecretError;

/// Why a [`PayPalVerifier`](crate::paypal::PayPalVerifier),
/// [`PayPalSigner`](crate::paypal::PayPalSigner) or
/// [`PayPalCertificate`](crate::paypal::PayPalCertificate) could not be
/// built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayPalError {
    /// The webhook ID is not one PayPal writes.
    #[error(transparent)]
    WebhookId(#[from] SchemeError),
    /// The certificate could not be read, or is not one to trust.
    #[error("PayPal certificate: {reason}")]
    Certificate {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The key (the certificate's public key, or a signer's private key)
    /// was refused.
    #[error(transparent)]
    Key(#[from] SecretError),
    /// The certificate URL is not one of PayPal's (see
    /// [`PayPalCertUrl`](crate::paypal::PayPalCertUrl)).
    #[error("PAYPAL-CERT-URL: {reason}")]
    CertUrl {
        /// Which rule it breaks.
        reason: &'static str,
    },
}
