use std::fmt;
use std::time::SystemTime;

use crate::paypal::PayPalError;
use crate::secret::PublicKey;

/// The subject PayPal's live message-verification certificates carry.
pub const LIVE_SUBJECT: &str = "messageverificationcerts.paypal.com";
/// The subject of the sandbox's.
pub const SANDBOX_SUBJECT: &str = "messageverificationcerts.sandbox.paypal.com";

/// The longest certificate file read: a chain of a few certificates.
pub(crate) const MAX_PEM_LEN: usize = 64 * 1024;
/// The most certificates read from one file (the leaf and its
/// intermediates).
const MAX_CHAIN_LEN: usize = 8;

/// A PayPal message-verification certificate, read once: its public key
/// (RSA, 2048 to 4096 bits), its validity period and its subject's common
/// name, with the certificates that followed it in the file (the chain a
/// fetcher checks).
///
/// Reading checks the shape only. Whether to trust it is the caller's: a
/// pinned certificate is trusted as configured (its validity is still
/// checked at every verification), a fetched one only once its chain leads
/// to a trusted root and its subject is PayPal's.
///
/// ```
/// use webhook_guard::paypal::PayPalCertificate;
///
/// let pem = std::fs::read_to_string("tests/data/paypal/sandbox-2017.pem")?;
/// let certificate = PayPalCertificate::from_pem(&pem)?;
/// assert_eq!(certificate.common_name(), "messageverificationcerts.sandbox.paypal.com");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PayPalCertificate {
    key: PublicKey,
    not_before: SystemTime,
    not_after: SystemTime,
    /// The earliest expiry of the chain read (the leaf's, or an
    /// intermediate's that expires first).
    chain_not_after: SystemTime,
    common_name: Box<str>,
    /// DER of each certificate, the leaf first.
    chain: Vec<Vec<u8>>,
}

impl PayPalCertificate {
    /// Reads a PEM file of one certificate, or of a leaf followed by its
    /// intermediates (as PayPal serves them); at most 64 KiB and 8
    /// certificates.
    pub fn from_pem(pem: &str) -> Result<Self, PayPalError> {
        Self::from_pem_bytes(pem.as_bytes())
    }

    pub(crate) fn from_pem_bytes(pem: &[u8]) -> Result<Self, PayPalError> {
        use x509_cert::der::Encode as _;
        let refuse = |reason| PayPalError::Certificate { reason };
        if pem.len() > MAX_PEM_LEN {
            return Err(refuse("longer than 64 KiB"));
        }
        let blocks = pem
            .windows(b"-----BEGIN CERTIFICATE-----".len())
            .filter(|window| *window == b"-----BEGIN CERTIFICATE-----")
            .count();
        if blocks == 0 {
            return Err(refuse("no PEM `BEGIN CERTIFICATE` block"));
        }
        if blocks > MAX_CHAIN_LEN {
            return Err(refuse("more than 8 certificates"));
        }
        let certificates = x509_cert::Certificate::load_pem_chain(pem)
            .map_err(|_| refuse("not a PEM X.509 certificate chain"))?;
        let leaf = certificates.first().ok_or(refuse("no certificate"))?;
        let chain = certificates
            .iter()
            .map(|certificate| certificate.to_der())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| refuse("a certificate cannot be re-encoded"))?;
        let key = PublicKey::rsa_der(&chain[0])?;
        let tbs = leaf.tbs_certificate();
        let validity = tbs.validity();
        let not_after = validity.not_after.to_system_time();
        let chain_not_after = certificates
            .iter()
            .map(|certificate| {
                certificate
                    .tbs_certificate()
                    .validity()
                    .not_after
                    .to_system_time()
            })
            .fold(not_after, SystemTime::min);
        Ok(Self {
            key,
            not_before: validity.not_before.to_system_time(),
            not_after,
            chain_not_after,
            common_name: common_name(tbs.subject())
                .ok_or(refuse("the subject has no single readable common name"))?
                .into(),
            chain,
        })
    }

    /// The subject's common name (CN).
    pub fn common_name(&self) -> &str {
        &self.common_name
    }

    /// Whether the subject is PayPal's, live or sandbox.
    pub fn has_paypal_subject(&self) -> bool {
        [LIVE_SUBJECT, SANDBOX_SUBJECT].contains(&self.common_name())
    }

    /// When it becomes valid.
    pub fn not_before(&self) -> SystemTime {
        self.not_before
    }

    /// When it expires.
    pub fn not_after(&self) -> SystemTime {
        self.not_after
    }

    /// Whether `now` lies within its validity period, ends included (and
    /// before the expiry of every certificate read with it).
    pub fn is_valid_at(&self, now: SystemTime) -> bool {
        self.not_before <= now && now <= self.chain_not_after
    }

    /// Until when it may be used: the earliest expiry of the chain read.
    pub fn valid_until(&self) -> SystemTime {
        self.chain_not_after
    }

    /// The public key that checks PayPal's signatures.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// DER of each certificate read, the leaf first.
    #[cfg_attr(not(feature = "paypal-fetch"), allow(dead_code))]
    pub(crate) fn chain_der(&self) -> &[Vec<u8>] {
        &self.chain
    }
}

/// `id-at-commonName` (RFC 4519).
const COMMON_NAME: x509_cert::spki::ObjectIdentifier =
    x509_cert::spki::ObjectIdentifier::new_unwrap("2.5.4.3");

/// The subject's common name, where there is exactly one and it reads as
/// text.
fn common_name(subject: &x509_cert::name::Name) -> Option<String> {
    use x509_cert::ext::pkix::name::DirectoryString;
    let mut names = subject
        .iter()
        .filter(|attribute| attribute.oid == COMMON_NAME);
    let first = names.next()?;
    if names.next().is_some() {
        return None;
    }
    DirectoryString::try_from(&first.value)
        .ok()
        .map(|name| name.value().into_owned())
}

impl fmt::Debug for PayPalCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayPalCertificate")
            .field("common_name", &self.common_name)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .field("chain_len", &self.chain.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANDBOX_2017: &str = include_str!("../../tests/data/paypal/sandbox-2017.pem");
    const TEST_CERTIFICATE: &str = include_str!("../../tests/data/rsa/certificate-2048.pem");

    #[test]
    fn paypals_certificate_reads_with_its_subject_and_validity() {
        let certificate = PayPalCertificate::from_pem(SANDBOX_2017).unwrap();
        assert_eq!(certificate.common_name(), SANDBOX_SUBJECT);
        assert!(certificate.has_paypal_subject());
        let at = |seconds| std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        assert_eq!(certificate.not_before(), at(1_487_376_000)); // 2017-02-18
        assert_eq!(certificate.valid_until(), certificate.not_after());
        assert!(certificate.is_valid_at(at(1_490_904_245)));
        assert!(!certificate.is_valid_at(at(1_487_375_999)));
        assert!(!certificate.is_valid_at(at(1_556_280_001)));
        assert_eq!(certificate.chain_der().len(), 1);
        assert!(
            !format!("{certificate:?}").contains("MII"),
            "no key material in Debug"
        );
    }

    #[test]
    fn a_chain_is_valid_until_its_first_expiry() {
        // The 2017 certificate followed by the test one (valid to 2126):
        // the chain ends with the earlier.
        let chain = format!("{SANDBOX_2017}\n{TEST_CERTIFICATE}");
        let certificate = PayPalCertificate::from_pem(&chain).unwrap();
        assert_eq!(certificate.chain_der().len(), 2);
        assert_eq!(
            certificate.common_name(),
            SANDBOX_SUBJECT,
            "the leaf is first"
        );
        let reversed =
            PayPalCertificate::from_pem(&format!("{TEST_CERTIFICATE}\n{SANDBOX_2017}")).unwrap();
        assert!(reversed.valid_until() < reversed.not_after());
        assert_eq!(reversed.valid_until(), certificate.not_after());
    }

    #[test]
    fn what_is_no_certificate_or_too_much_is_refused() {
        let refused = |pem: &str| PayPalCertificate::from_pem(pem).unwrap_err();
        for pem in [
            "",
            "not a certificate",
            include_str!("../../tests/data/rsa/public-4096.pem"),
            include_str!("../../tests/data/rsa/signer-2048.pem"),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ] {
            assert!(
                matches!(
                    refused(pem),
                    PayPalError::Certificate { .. } | PayPalError::Key(_)
                ),
                "{pem:.30}"
            );
        }
        let nine = [TEST_CERTIFICATE; 9].join("\n");
        assert_eq!(
            refused(&nine),
            PayPalError::Certificate {
                reason: "more than 8 certificates"
            }
        );
        let huge = format!("{TEST_CERTIFICATE}{}", " ".repeat(MAX_PEM_LEN));
        assert_eq!(
            refused(&huge),
            PayPalError::Certificate {
                reason: "longer than 64 KiB"
            }
        );
    }
}
