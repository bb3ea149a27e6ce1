//! `--provider generic`: a scheme described with flags, built with
//! [`GenericScheme`].

use clap::Args;
use webhook_guard::Scheme;
use webhook_guard::scheme::{
    Algorithm, Encoding, GenericScheme, MessagePart, SchemeError, TimestampUnit,
};
use webhook_guard::secret::SecretFormat;

use crate::UsageError;

/// `--algorithm` names. A new algorithm (say `rsa-sha256`) is one row
/// here, with the key format it dictates if it is a key pair.
const ALGORITHMS: &[(&str, AlgorithmName)] = &[
    ("sha256", AlgorithmName::shared_secret(Algorithm::Sha256)),
    ("sha512", AlgorithmName::shared_secret(Algorithm::Sha512)),
    ("sha1", AlgorithmName::shared_secret(Algorithm::Sha1)),
    (
        "sha256-secret-prefixed",
        AlgorithmName::shared_secret(Algorithm::Sha256SecretPrefixed),
    ),
    (
        "shared-token",
        AlgorithmName::shared_secret(Algorithm::SharedToken),
    ),
    (
        "ed25519",
        AlgorithmName::key_pair(Algorithm::Ed25519, SecretFormat::Ed25519Hex),
    ),
    (
        "ecdsa-p256-sha256",
        AlgorithmName::key_pair(Algorithm::EcdsaP256Sha256, SecretFormat::EcdsaP256),
    ),
    (
        "rsa-sha256",
        AlgorithmName::key_pair(Algorithm::RsaPkcs1v15Sha256, SecretFormat::Rsa),
    ),
];

/// `--encoding` names.
const ENCODINGS: &[(&str, Encoding)] = &[
    ("hex", Encoding::Hex),
    ("hex-upper", Encoding::HexUpper),
    ("base64", Encoding::Base64),
];

/// `--timestamp-unit` names.
const TIMESTAMP_UNITS: &[(&str, TimestampUnit)] = &[
    ("seconds", TimestampUnit::Seconds),
    ("milliseconds", TimestampUnit::Milliseconds),
    ("rfc3339", TimestampUnit::Rfc3339),
];

/// `--secret-format` names, for HMAC secrets.
const SECRET_FORMATS: &[(&str, SecretFormat)] = &[
    ("raw", SecretFormat::Raw),
    ("hex", SecretFormat::Hex),
    ("whsec", SecretFormat::StandardWebhooks),
];

/// The value of `name` in a table of names, or an error listing them.
fn lookup<T: Clone>(table: &[(&str, T)], what: &str, name: &str) -> Result<T, String> {
    table
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, value)| value.clone())
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(known, _)| *known).collect();
            format!("no {what} `{name}`; known: {}", names.join(", "))
        })
}

/// `--algorithm`: the algorithm, and the key format of a key pair (an
/// HMAC secret's format is `--secret-format`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AlgorithmName {
    algorithm: Algorithm,
    key_format: Option<SecretFormat>,
}

impl AlgorithmName {
    const fn shared_secret(algorithm: Algorithm) -> Self {
        Self {
            algorithm,
            key_format: None,
        }
    }

    const fn key_pair(algorithm: Algorithm, format: SecretFormat) -> Self {
        Self {
            algorithm,
            key_format: Some(format),
        }
    }
}

fn algorithm_name(name: &str) -> Result<AlgorithmName, String> {
    lookup(ALGORITHMS, "algorithm", name)
}

fn encoding_name(name: &str) -> Result<Encoding, String> {
    lookup(ENCODINGS, "encoding", name)
}

fn timestamp_unit_name(name: &str) -> Result<TimestampUnit, String> {
    lookup(TIMESTAMP_UNITS, "timestamp unit", name)
}

fn secret_format_name(name: &str) -> Result<SecretFormat, String> {
    lookup(SECRET_FORMATS, "secret format", name)
}

/// `--message`, parsed.
#[derive(Debug, Clone)]
pub(crate) struct MessageTemplate(Vec<MessagePart>);

fn message_template(template: &str) -> Result<MessageTemplate, String> {
    MessagePart::parse_template(template)
        .map(MessageTemplate)
        .map_err(|error| error.to_string())
}

/// The key flags of `--provider generic`, for `sign`, `verify` and `keys
/// generate`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Generic scheme (only with --provider generic)")]
pub(crate) struct GenericKeyArguments {
    /// The signature algorithm: `sha256` (HMAC-SHA-256, the default),
    /// `sha512`, `sha1`; weaker, for senders that offer nothing better:
    /// `sha256-secret-prefixed` (plain SHA-256 of secret and message),
    /// `shared-token` (the header carries the secret itself); or a key
    /// pair: `ed25519` (keys in hex), `ecdsa-p256-sha256` (keys as base64
    /// DER or PEM), `rsa-sha256` (RSA PKCS#1 v1.5; keys or certificates as
    /// PEM or base64 DER).
    #[arg(long, value_name = "NAME", value_parser = algorithm_name)]
    pub(crate) algorithm: Option<AlgorithmName>,
    /// How an HMAC secret is written: `raw` (its UTF-8 bytes, the default),
    /// `hex`, or `whsec` (base64, `whsec_` optional).
    #[arg(long, value_name = "FORMAT", value_parser = secret_format_name)]
    pub(crate) secret_format: Option<SecretFormat>,
}

impl GenericKeyArguments {
    /// The flags given, by name.
    pub(crate) fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        if self.algorithm.is_some() {
            given.push("--algorithm");
        }
        if self.secret_format.is_some() {
            given.push("--secret-format");
        }
        given
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        self.algorithm
            .map_or(Algorithm::Sha256, |name| name.algorithm)
    }

    /// The key format: the algorithm's for a key pair, else
    /// `--secret-format` (default raw).
    pub(crate) fn secret_format(&self) -> Result<SecretFormat, UsageError> {
        match (
            self.algorithm.and_then(|name| name.key_format),
            self.secret_format,
        ) {
            (Some(_), Some(_)) => Err(UsageError(
                "--secret-format is for HMAC secrets; a key pair's format follows --algorithm"
                    .to_owned(),
            )),
            (Some(format), None) => Ok(format),
            (None, format) => Ok(format.unwrap_or(SecretFormat::Raw)),
        }
    }
}

/// The flags that describe a scheme for `--provider generic`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Generic scheme (only with --provider generic)")]
pub(crate) struct GenericSchemeArguments {
    /// The header that carries the signature (required for generic).
    #[arg(long, value_name = "NAME")]
    pub(crate) signature_header: Option<String>,
    /// Text before the encoded signature, such as `sha256=` (default: none).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub(crate) prefix: Option<String>,
    /// How the signature is encoded: `hex` (the default), `hex-upper`,
    /// `base64`.
    #[arg(long, value_name = "NAME", value_parser = encoding_name)]
    pub(crate) encoding: Option<Encoding>,
    /// The header that carries the signed timestamp; put `{timestamp}` in
    /// --message.
    #[arg(long, value_name = "NAME")]
    pub(crate) timestamp_header: Option<String>,
    /// How the timestamp is written: `seconds` (the default),
    /// `milliseconds`, `rfc3339`.
    #[arg(long, value_name = "UNIT", value_parser = timestamp_unit_name, requires = "timestamp_header")]
    pub(crate) timestamp_unit: Option<TimestampUnit>,
    /// The header that carries the event ID (`{id}` in --message signs it).
    #[arg(long, value_name = "NAME", conflicts_with = "id_field")]
    pub(crate) id_header: Option<String>,
    /// The top-level string field of the JSON body that holds the event ID
    /// (signed with the body; nested paths are not read).
    #[arg(long, value_name = "NAME")]
    pub(crate) id_field: Option<String>,
    /// The signed message: `{id}`, `{timestamp}` and `{body}` with literal
    /// text between them, `{{` and `}}` for braces. Default `{body}`; for
    /// example `{timestamp}.{body}` or `{id}.{timestamp}.{body}`.
    #[arg(long, value_name = "TEMPLATE", value_parser = message_template)]
    pub(crate) message: Option<MessageTemplate>,
    #[command(flatten)]
    pub(crate) key: GenericKeyArguments,
}

impl GenericSchemeArguments {
    /// The flags given, by name.
    pub(crate) fn given(&self) -> Vec<&'static str> {
        let flags = [
            (self.signature_header.is_some(), "--signature-header"),
            (self.prefix.is_some(), "--prefix"),
            (self.encoding.is_some(), "--encoding"),
            (self.timestamp_header.is_some(), "--timestamp-header"),
            (self.timestamp_unit.is_some(), "--timestamp-unit"),
            (self.id_header.is_some(), "--id-header"),
            (self.id_field.is_some(), "--id-field"),
            (self.message.is_some(), "--message"),
        ];
        let mut given: Vec<&'static str> = flags
            .into_iter()
            .filter_map(|(set, name)| set.then_some(name))
            .collect();
        given.extend(self.key.given());
        given
    }

    /// The scheme the flags describe.
    pub(crate) fn scheme(&self) -> Result<Scheme, UsageError> {
        let signature_header = self.signature_header.as_deref().ok_or_else(|| {
            UsageError("--provider generic needs --signature-header NAME".to_owned())
        })?;
        let mut builder = GenericScheme::new("generic")
            .with_signature_header(signature_header)
            .with_algorithm(self.key.algorithm())
            .with_secret_format(self.key.secret_format()?);
        if let Some(prefix) = &self.prefix {
            builder = builder.with_prefix(prefix.as_str());
        }
        if let Some(encoding) = self.encoding {
            builder = builder.with_encoding(encoding);
        }
        if let Some(name) = &self.timestamp_header {
            let unit = self.timestamp_unit.unwrap_or(TimestampUnit::Seconds);
            builder = builder.with_timestamp_header(name.as_str(), unit);
        }
        if let Some(name) = &self.id_header {
            builder = builder.with_id_header(name.as_str());
        }
        if let Some(name) = &self.id_field {
            builder = builder.with_id_json_field(name.as_str());
        }
        if let Some(MessageTemplate(parts)) = &self.message {
            builder = builder.with_message(parts.iter().cloned());
        }
        builder
            .build()
            .map_err(|error| UsageError(format!("--provider generic: {error}{}", hint(&error))))
    }
}

/// Which flag mends a scheme error.
fn hint(error: &SchemeError) -> &'static str {
    match error {
        SchemeError::TimestampWithoutHeader => " (add --timestamp-header)",
        SchemeError::UnsignedTimestamp => " (put {timestamp} in --message)",
        SchemeError::IdWithoutHeader => " (add --id-header, or drop {id} from --message)",
        SchemeError::BodyIdInMessage => " (drop {id} from --message)",
        SchemeError::BodyNotSignedOnce => " (--message needs {body} once)",
        SchemeError::RequestPartUnsupported => " (use {id}, {timestamp} and {body} in --message)",
        SchemeError::AmbiguousMessage => {
            " (put a literal such as `.` between the placeholders of --message)"
        }
        _ => "",
    }
}
