use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use crate::secret::{Key, Secret, SecretError};

/// Which half of a key pair a caller needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Verifying,
    Signing,
}

/// How a provider writes its signing secret, and what it is often confused with.
///
/// [`parse`](SecretFormat::parse) turns the string from the provider's
/// dashboard into key bytes. Every format rejects empty secrets and secrets
/// with surrounding white space; the provider formats also reject the other
/// credentials of the same provider with a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretFormat {
    /// Standard Webhooks and Svix: `whsec_` followed by base64; the key is the
    /// decoded bytes. The prefix and the base64 padding are optional, as in the
    /// official libraries.
    StandardWebhooks,
    /// Stripe: the whole `whsec_…` string, as UTF-8 bytes (not decoded).
    /// Stripe API keys (`sk_…`, `rk_…`, `pk_…`) are rejected with a hint.
    Stripe,
    /// GitHub: the webhook secret as typed, as UTF-8 bytes. GitHub tokens
    /// (`ghp_…`, `github_pat_…`, …) are rejected with a hint.
    GitHub,
    /// Slack: the app's signing secret, as UTF-8 bytes. Slack tokens
    /// (`xoxb-…`, `xoxp-…`, `xapp-…`) are rejected with a hint.
    Slack,
    /// Shopify: the app's client secret, as UTF-8 bytes. Shopify access tokens
    /// (`shpat_…`, `shpca_…`, `shppa_…`) are rejected with a hint.
    Shopify,
    /// Any other provider: the string's UTF-8 bytes as they are.
    Raw,
    /// A hexadecimal string whose decoded bytes are the key (Adyen, for one).
    Hex,
    /// HTTP Basic credentials written `user:password` (Postmark, or a
    /// sender that does not sign): kept as the base64 the `Authorization:
    /// Basic …` header carries, so that the token compared is the header's.
    BasicCredentials,
    /// Ed25519 keys in hexadecimal (Discord) or base64: the verifier takes
    /// the application's 32-byte public key, a signer the 32-byte seed (or
    /// the 64-byte seed and public key).
    Ed25519Hex,
    /// ECDSA P-256 keys (SendGrid): the verifier takes the verification key
    /// as base64 DER `SubjectPublicKeyInfo` (as SendGrid shows it) or PEM; a
    /// signer takes a PKCS#8 private key, PEM or base64 DER.
    EcdsaP256,
    /// RSA keys (PayPal): the verifier takes a public key or an X.509
    /// certificate, PEM (`BEGIN PUBLIC KEY`, `BEGIN RSA PUBLIC KEY`, `BEGIN
    /// CERTIFICATE`) or base64 DER; a signer takes a PKCS#8 or PKCS#1
    /// private key, PEM or base64 DER. 2048 to 4096 bits.
    Rsa,
}

/// Standard base64 with or without its `=` padding: the official libraries
/// restore a lost padding, so a secret copied without it must still work.
const SECRET_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Credential prefixes that are not webhook signing secrets, per format.
struct MixUp {
    prefixes: &'static [&'static str],
    hint: &'static str,
}

const STRIPE_API_KEY: MixUp = MixUp {
    prefixes: &["sk_", "rk_", "pk_"],
    hint: "it is a Stripe API key; the webhook signing secret starts with `whsec_` \
           (Dashboard → Developers → Webhooks → your endpoint → Signing secret)",
};

const GITHUB_TOKEN: MixUp = MixUp {
    prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    hint: "it is a GitHub token; use the secret you typed in the webhook's settings",
};

const SLACK_TOKEN: MixUp = MixUp {
    prefixes: &["xoxb-", "xoxp-", "xoxa-", "xoxe-", "xapp-"],
    hint: "it is a Slack token; use the app's Signing Secret \
           (Basic Information → App Credentials)",
};

const BASIC_CREDENTIALS_HINT: &str = "HTTP Basic credentials are written `user:password`, \
     as typed into the sender's URL or settings (not base64, not `Basic …`)";

const SHOPIFY_TOKEN: MixUp = MixUp {
    prefixes: &["shpat_", "shpca_", "shppa_"],
    hint: "it is a Shopify access token; use the app's client secret (API secret key)",
};

impl SecretFormat {
    /// Parses `secret` the provider's way into key bytes.
    ///
    /// ```
    /// use webhook_guard::secret::SecretFormat;
    ///
    /// // Stripe keys the HMAC with the whole string, prefix included.
    /// let stripe = SecretFormat::Stripe.parse("whsec_abc")?;
    /// assert_eq!(stripe.len(), "whsec_abc".len());
    ///
    /// // Standard Webhooks decodes the base64 after the prefix.
    /// let standard = SecretFormat::StandardWebhooks.parse("whsec_aGVsbG8=")?;
    /// assert_eq!(standard.len(), 5);
    /// # Ok::<(), webhook_guard::secret::SecretError>(())
    /// ```
    pub fn parse(self, secret: &str) -> Result<Secret, SecretError> {
        check_surroundings(secret)?;
        if let Some(mix_up) = self.mix_up()
            && mix_up.prefixes.iter().any(|p| secret.starts_with(p))
        {
            return Err(SecretError::WrongKind { hint: mix_up.hint });
        }
        match self {
            Self::StandardWebhooks => {
                let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
                let bytes = Zeroizing::new(
                    SECRET_BASE64
                        .decode(encoded)
                        .map_err(|_| SecretError::InvalidBase64)?,
                );
                Secret::from_bytes(bytes.as_slice())
            }
            Self::Hex => {
                let bytes =
                    Zeroizing::new(hex::decode(secret).map_err(|_| SecretError::InvalidHex)?);
                Secret::from_bytes(bytes.as_slice())
            }
            Self::Stripe | Self::GitHub | Self::Slack | Self::Shopify | Self::Raw => {
                Secret::from_bytes(secret.as_bytes())
            }
            Self::BasicCredentials => {
                if secret.starts_with("Basic ") || !secret.contains(':') {
                    return Err(SecretError::WrongKind {
                        hint: BASIC_CREDENTIALS_HINT,
                    });
                }
                let encoded =
                    Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(secret));
                Secret::from_bytes(encoded.as_bytes())
            }
            Self::Ed25519Hex | Self::EcdsaP256 | Self::Rsa => Err(SecretError::WrongKind {
                hint: "this provider signs with a key pair; parse its key with \
                       `parse_verifying_key` or `parse_signing_key`",
            }),
        }
    }

    /// Parses `text` into a key a verifier checks signatures with: a secret
    /// for HMAC formats, a public key for public-key ones. A private key
    /// given here is refused with a hint to pass its public half.
    ///
    /// ```
    /// use webhook_guard::secret::{Key, SecretError, SecretFormat};
    ///
    /// // Standard Webhooks: `whsec_` is an HMAC secret…
    /// assert!(matches!(SecretFormat::StandardWebhooks.parse_verifying_key("whsec_aGVsbG8=")?, Key::Secret(_)));
    /// // …and a `whsk_` private key is a mix-up for a verifier.
    /// let mix_up = SecretFormat::StandardWebhooks.parse_verifying_key("whsk_aGVsbG8=").unwrap_err();
    /// assert!(mix_up.to_string().contains("whpk_"));
    /// # Ok::<(), SecretError>(())
    /// ```
    pub fn parse_verifying_key(self, text: &str) -> Result<Key, SecretError> {
        self.parse_key(text, Role::Verifying)
    }

    /// Parses `text` into a key a signer signs with: a secret for HMAC
    /// formats, a private key for public-key ones. A public key given here is
    /// refused with a hint to pass the private key.
    pub fn parse_signing_key(self, text: &str) -> Result<Key, SecretError> {
        self.parse_key(text, Role::Signing)
    }

    fn parse_key(self, text: &str, role: Role) -> Result<Key, SecretError> {
        if !matches!(self, Self::EcdsaP256 | Self::Rsa) {
            check_surroundings(text)?;
        }
        match self {
            Self::StandardWebhooks => {
                if let Some(public) = text.strip_prefix("whpk_") {
                    return match role {
                        Role::Verifying => ed25519_public(&decode_base64(public)?),
                        Role::Signing => Err(SecretError::WrongKind {
                            hint: "it is a `whpk_` public key; a signer needs the `whsk_` private key",
                        }),
                    };
                }
                if let Some(private) = text.strip_prefix("whsk_") {
                    return match role {
                        Role::Verifying => Err(SecretError::WrongKind {
                            hint: "it is a `whsk_` private key; give the verifier the `whpk_` public key",
                        }),
                        Role::Signing => ed25519_private(&decode_base64(private)?),
                    };
                }
                self.parse(text).map(Key::Secret)
            }
            Self::Ed25519Hex => {
                check_surroundings(text)?;
                // Hex as Discord shows it, or base64 as other senders do: a
                // key's hex (64 or 128 digits) is never valid base64 of 32
                // or 64 bytes (44 or 88 characters with padding, 43 or 86
                // without), so the two cannot be confused.
                let bytes = match hex::decode(text) {
                    Ok(bytes) => Zeroizing::new(bytes),
                    Err(_) => decode_base64(text).map_err(|_| SecretError::InvalidKey {
                        expected: "an Ed25519 key in hex or base64",
                    })?,
                };
                match role {
                    Role::Verifying if bytes.len() == 64 => Err(SecretError::WrongKind {
                        hint: "64 bytes is a private key (seed and public key); give the verifier the 32-byte public key",
                    }),
                    Role::Verifying => ed25519_public(&bytes),
                    Role::Signing => ed25519_private(&bytes),
                }
            }
            Self::EcdsaP256 => p256_key(text, role),
            Self::Rsa => rsa_key(text, role),
            Self::Stripe
            | Self::GitHub
            | Self::Slack
            | Self::Shopify
            | Self::Raw
            | Self::Hex
            | Self::BasicCredentials => self.parse(text).map(Key::Secret),
        }
    }

    fn mix_up(self) -> Option<&'static MixUp> {
        match self {
            Self::Stripe => Some(&STRIPE_API_KEY),
            Self::GitHub => Some(&GITHUB_TOKEN),
            Self::Slack => Some(&SLACK_TOKEN),
            Self::Shopify => Some(&SHOPIFY_TOKEN),
            Self::StandardWebhooks
            | Self::Raw
            | Self::Hex
            | Self::BasicCredentials
            | Self::Ed25519Hex
            | Self::EcdsaP256
            | Self::Rsa => None,
        }
    }
}

/// The checks every key shares: not empty, no surrounding white space.
fn check_surroundings(text: &str) -> Result<(), SecretError> {
    if text.trim().is_empty() {
        return Err(SecretError::Empty);
    }
    if text.trim() != text {
        return Err(SecretError::SurroundingWhitespace);
    }
    Ok(())
}

fn decode_base64(encoded: &str) -> Result<Zeroizing<Vec<u8>>, SecretError> {
    if encoded.is_empty() {
        return Err(SecretError::Empty);
    }
    SECRET_BASE64
        .decode(encoded)
        .map(Zeroizing::new)
        .map_err(|_| SecretError::InvalidBase64)
}

#[cfg_attr(not(feature = "ed25519"), allow(unused_variables))]
fn ed25519_public(bytes: &[u8]) -> Result<Key, SecretError> {
    #[cfg(feature = "ed25519")]
    return crate::secret::PublicKey::ed25519(bytes).map(Key::Public);
    #[cfg(not(feature = "ed25519"))]
    Err(SecretError::FeatureDisabled { feature: "ed25519" })
}

#[cfg_attr(not(feature = "ed25519"), allow(unused_variables))]
fn ed25519_private(bytes: &[u8]) -> Result<Key, SecretError> {
    #[cfg(feature = "ed25519")]
    return crate::secret::PrivateKey::ed25519(bytes).map(Key::Private);
    #[cfg(not(feature = "ed25519"))]
    Err(SecretError::FeatureDisabled { feature: "ed25519" })
}

/// The longest key text read: a PEM certificate of a 4096-bit key with a
/// long chain of names is a few kilobytes; nothing honest comes near this.
const MAX_KEY_TEXT_LEN: usize = 16 * 1024;

/// An RSA key or certificate as PEM (a trailing newline allowed) or base64
/// DER.
#[cfg_attr(not(feature = "rsa"), allow(unused_variables))]
fn rsa_key(text: &str, role: Role) -> Result<Key, SecretError> {
    let text = text.trim_end_matches(['\r', '\n']);
    check_surroundings(text)?;
    if text.len() > MAX_KEY_TEXT_LEN {
        return Err(SecretError::InvalidKey {
            expected: "an RSA key or certificate of at most 16 KiB",
        });
    }
    let private = text.contains("PRIVATE KEY");
    let public = text.contains("PUBLIC KEY") || text.contains("CERTIFICATE");
    match role {
        Role::Verifying if private => {
            return Err(SecretError::WrongKind {
                hint: "it is a private key; give the verifier the public key or the certificate",
            });
        }
        Role::Signing if public => {
            return Err(SecretError::WrongKind {
                hint: "it is a public key or a certificate; a signer needs the private key (PKCS#8 or PKCS#1)",
            });
        }
        _ => {}
    }
    #[cfg(feature = "rsa")]
    {
        use crate::secret::{PrivateKey, PublicKey};
        let pem = text.starts_with("-----BEGIN");
        match (role, pem) {
            (Role::Verifying, true) => PublicKey::rsa_pem(text).map(Key::Public),
            (Role::Verifying, false) => PublicKey::rsa_der(&decode_base64(text)?).map(Key::Public),
            (Role::Signing, true) => PrivateKey::rsa_pem(text).map(Key::Private),
            (Role::Signing, false) => PrivateKey::rsa_der(&decode_base64(text)?).map(Key::Private),
        }
    }
    #[cfg(not(feature = "rsa"))]
    Err(SecretError::FeatureDisabled { feature: "rsa" })
}

/// A P-256 key as PEM (a trailing newline allowed) or base64 DER.
#[cfg_attr(not(feature = "p256"), allow(unused_variables))]
fn p256_key(text: &str, role: Role) -> Result<Key, SecretError> {
    let text = text.trim_end_matches(['\r', '\n']);
    check_surroundings(text)?;
    let private = text.contains("PRIVATE KEY");
    let public = text.contains("PUBLIC KEY");
    match role {
        Role::Verifying if private => {
            return Err(SecretError::WrongKind {
                hint: "it is a private key; give the verifier the public key (PEM `BEGIN PUBLIC KEY`, or base64 DER)",
            });
        }
        Role::Signing if public => {
            return Err(SecretError::WrongKind {
                hint: "it is a public key; a signer needs the PKCS#8 private key",
            });
        }
        _ => {}
    }
    #[cfg(feature = "p256")]
    {
        use crate::secret::{PrivateKey, PublicKey};
        let pem = text.starts_with("-----BEGIN");
        match (role, pem) {
            (Role::Verifying, true) => PublicKey::p256_pem(text).map(Key::Public),
            (Role::Verifying, false) => PublicKey::p256_der(&decode_base64(text)?).map(Key::Public),
            (Role::Signing, true) => PrivateKey::p256_pem(text).map(Key::Private),
            (Role::Signing, false) => PrivateKey::p256_der(&decode_base64(text)?).map(Key::Private),
        }
    }
    #[cfg(not(feature = "p256"))]
    Err(SecretError::FeatureDisabled { feature: "p256" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_secrets_are_rejected_in_every_format() {
        for format in [
            SecretFormat::StandardWebhooks,
            SecretFormat::Stripe,
            SecretFormat::GitHub,
            SecretFormat::Slack,
            SecretFormat::Shopify,
            SecretFormat::Raw,
            SecretFormat::Hex,
        ] {
            for blank in ["", " ", "\t\n", "   "] {
                assert_eq!(format.parse(blank).unwrap_err(), SecretError::Empty);
            }
            assert_eq!(
                format.parse("abcd\n").unwrap_err(),
                SecretError::SurroundingWhitespace
            );
        }
    }

    #[test]
    fn standard_webhooks_prefix_is_optional_and_base64_decoded() {
        let with = SecretFormat::StandardWebhooks
            .parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap();
        let without = SecretFormat::StandardWebhooks
            .parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap();
        assert_eq!(with.expose(), without.expose());
        assert_eq!(with.len(), 24);
    }

    #[test]
    fn standard_webhooks_secret_may_lack_its_padding() {
        let padded = SecretFormat::StandardWebhooks
            .parse("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
            .unwrap();
        let unpadded = SecretFormat::StandardWebhooks
            .parse("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
            .unwrap();
        assert_eq!(padded.expose(), unpadded.expose());
        assert_eq!(padded.expose(), (0u8..32).collect::<Vec<_>>());
    }

    #[test]
    fn standard_webhooks_rejects_non_base64() {
        assert_eq!(
            SecretFormat::StandardWebhooks
                .parse("whsec_not base64!")
                .unwrap_err(),
            SecretError::InvalidBase64
        );
        // A prefix with nothing after it decodes to no key at all.
        assert_eq!(
            SecretFormat::StandardWebhooks.parse("whsec_").unwrap_err(),
            SecretError::Empty
        );
    }

    #[test]
    fn stripe_secret_is_used_verbatim() {
        let secret = SecretFormat::Stripe.parse("whsec_c2VjcmV0").unwrap();
        assert_eq!(secret.expose(), b"whsec_c2VjcmV0");
    }

    #[test]
    fn provider_mix_ups_get_a_hint() {
        let cases = [
            (SecretFormat::Stripe, "sk_live_123"),
            (SecretFormat::Stripe, "rk_test_123"),
            (SecretFormat::Stripe, "pk_test_123"),
            (SecretFormat::GitHub, "ghp_abcdef"),
            (SecretFormat::GitHub, "github_pat_11AB"),
            (SecretFormat::Slack, "xoxb-123-456"),
            (SecretFormat::Shopify, "shpat_0123"),
        ];
        for (format, value) in cases {
            match format.parse(value) {
                Err(SecretError::WrongKind { hint }) => {
                    assert!(!hint.contains(value), "hint echoes the secret");
                }
                other => panic!("{format:?} accepted {value:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn error_messages_never_contain_the_secret() {
        let secret = "sk_live_supersecretvalue";
        let message = SecretFormat::Stripe.parse(secret).unwrap_err().to_string();
        assert!(!message.contains("supersecretvalue"), "{message}");
    }

    #[test]
    fn basic_credentials_are_kept_as_the_header_carries_them() {
        let secret = SecretFormat::BasicCredentials
            .parse("hook:pa ss:word")
            .unwrap();
        // base64("hook:pa ss:word"): the user ends at the first colon.
        assert_eq!(secret.expose(), b"aG9vazpwYSBzczp3b3Jk");
        for mix_up in ["no-colon", "Basic aG9vazpwYXNz"] {
            let error = SecretFormat::BasicCredentials.parse(mix_up).unwrap_err();
            assert!(error.to_string().contains("user:password"), "{error}");
            assert!(!error.to_string().contains(mix_up));
        }
    }

    #[test]
    fn hex_secrets_are_decoded() {
        let secret = SecretFormat::Hex.parse("00ff10").unwrap();
        assert_eq!(secret.expose(), &[0x00, 0xff, 0x10]);
        assert_eq!(
            SecretFormat::Hex.parse("xyz").unwrap_err(),
            SecretError::InvalidHex
        );
    }

    #[test]
    #[cfg(feature = "ed25519")]
    fn an_ed25519_key_is_read_in_hex_or_base64() {
        use base64::engine::general_purpose::STANDARD;
        let public = crate::secret::KeyPair::from_seed(
            SecretFormat::Ed25519Hex,
            crate::crypto::Algorithm::Ed25519,
            &[9; 32],
        )
        .unwrap()
        .verifying_key()
        .to_owned();
        let bytes = hex::decode(&public).unwrap();
        let from_hex = SecretFormat::Ed25519Hex
            .parse_verifying_key(&public)
            .unwrap();
        for base64 in [
            STANDARD.encode(&bytes),
            STANDARD.encode(&bytes).trim_end_matches('=').to_owned(),
        ] {
            let from_base64 = SecretFormat::Ed25519Hex
                .parse_verifying_key(&base64)
                .unwrap();
            assert!(
                matches!((&from_hex, &from_base64), (Key::Public(a), Key::Public(b)) if a == b)
            );
        }
        assert!(
            SecretFormat::Ed25519Hex
                .parse_verifying_key("not a key!")
                .is_err()
        );
    }
}
