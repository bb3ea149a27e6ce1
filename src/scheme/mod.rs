//! How each provider signs: headers, the exact signed message, algorithm,
//! encoding, timestamp unit and where the event ID lives.
//!
//! A [`Scheme`] is data; the provider constructors live in
//! [`providers`](crate::providers) (one file each) and
//! [`GenericScheme`] builds one for any other HMAC sender.
//!
//! ```
//! use webhook_guard::scheme::{Algorithm, Encoding, GenericScheme, MessagePart, TimestampUnit};
//! use webhook_guard::{Signer, Verifier};
//!
//! // A sender that signs `{timestamp}.{body}` with HMAC-SHA-512, hex, in
//! // `X-Signature: sha512=…`, with the timestamp in `X-Timestamp`.
//! let scheme = GenericScheme::new("acme")
//!     .with_signature_header("x-signature")
//!     .with_prefix("sha512=")
//!     .with_algorithm(Algorithm::Sha512)
//!     .with_encoding(Encoding::Hex)
//!     .with_timestamp_header("x-timestamp", TimestampUnit::Seconds)
//!     .with_message([MessagePart::Timestamp, MessagePart::literal("."), MessagePart::Body])
//!     .build()?;
//!
//! let keys = scheme.keys(["shared secret"])?;
//! let signer = Signer::new(scheme.clone(), keys.clone());
//! let verifier = Verifier::new(scheme, keys);
//!
//! let now = std::time::SystemTime::now();
//! let headers = signer.sign("ignored", now, b"{}")?;
//! assert!(headers["x-signature"].to_str()?.starts_with("sha512="));
//! let verified = verifier.verify_at(&headers, b"{}", now)?;
//! assert_eq!(verified.provider().name(), "acme");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod body_fields;
mod definition;
mod error;
pub(crate) mod event_id;
pub(crate) mod form_parameters;
mod generic_scheme;
pub(crate) mod header_set;
pub(crate) mod json_field;
mod message;
pub(crate) mod message_layout;
mod message_template;
#[cfg(test)]
mod next_shapes_tests;
pub(crate) mod payload_format;
pub(crate) mod signature_format;
pub(crate) mod signature_header_error;
pub(crate) mod signed_item;
pub(crate) mod signed_message;
mod template_error;
mod timestamp;
pub(crate) mod url_rules;

pub use crate::crypto::{Algorithm, Encoding};
pub use definition::Scheme;
pub use error::SchemeError;
pub use generic_scheme::GenericScheme;
pub use message::MessagePart;
pub use payload_format::PayloadFormat;
pub use template_error::TemplateError;
pub use timestamp::TimestampUnit;

#[cfg(fuzzing)]
pub(crate) use timestamp::parse_for_fuzzing as parse_timestamp_for_fuzzing;
