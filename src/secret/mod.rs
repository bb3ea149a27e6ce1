//! Key material: secrets parsed the way each provider writes them, and a
//! [`KeyRing`] of several keys for rotation.
//!
//! A [`Secret`] prints as `[redacted]` and is zeroized when dropped. Every
//! provider writes its signing secret differently, and [`SecretFormat`] knows
//! how: Standard Webhooks decodes the base64 after `whsec_`, Stripe uses the
//! whole `whsec_…` string as bytes, GitHub, Slack and Shopify use the raw
//! string. Obvious mix-ups (an API key where a signing secret belongs) are a
//! construction error with a hint.
//!
//! ```
//! use webhook_guard::secret::{SecretError, SecretFormat};
//!
//! let secret = SecretFormat::StandardWebhooks.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! assert_eq!(secret.len(), 24);
//! assert_eq!(format!("{secret:?}"), "Secret([redacted])");
//!
//! let mix_up = SecretFormat::Stripe.parse("sk_live_51H8xyz").unwrap_err();
//! assert!(matches!(mix_up, SecretError::WrongKind { .. }));
//! # Ok::<(), SecretError>(())
//! ```

mod error;
mod format;
mod key;
mod key_pair;
mod prepared_keys;
mod prepared_message;
mod private_key;
mod public_key;
mod ring;
#[cfg(feature = "rsa")]
mod rsa_verifying_key;
mod value;

pub use error::SecretError;
pub use format::SecretFormat;
pub use key::Key;
pub use key_pair::KeyPair;
pub(crate) use prepared_keys::PreparedKeys;
pub(crate) use prepared_message::PreparedMessage;
pub use private_key::PrivateKey;
pub use public_key::PublicKey;
pub use ring::KeyRing;
#[cfg(feature = "rsa")]
pub(crate) use rsa_verifying_key::RsaVerifyingKey;
pub use value::Secret;
