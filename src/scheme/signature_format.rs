use std::borrow::Cow;

use crate::crypto::{Candidates, Tag};
use crate::limits::MAX_SIGNATURES;
use crate::scheme::Encoding;
use crate::scheme::signature_header_error::SignatureHeaderError;

/// How a signature header is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SignatureFormat {
    /// Space-separated `version,signature` entries; entries of other
    /// versions are skipped (Standard Webhooks: `v1,<base64> v1,<base64>`).
    VersionedList { version: &'static str },
    /// `key=value` entries, separated by `separator`, holding the timestamp
    /// and any number of signatures; other keys are skipped (Stripe:
    /// `t=<ts>,v1=<hex>,v0=<hex>`; Paddle: `ts=<ts>;h1=<hex>`).
    KeyValueList {
        timestamp_key: &'static str,
        signature_key: &'static str,
        separator: u8,
    },
    /// One signature behind a fixed prefix, possibly empty
    /// (GitHub: `sha256=<hex>`, Shopify: `<base64>`).
    Prefixed { prefix: Cow<'static, str> },
}

impl SignatureFormat {
    /// Whether the header can carry one signature per key (rotation).
    pub(crate) fn carries_several(&self) -> bool {
        !matches!(self, Self::Prefixed { .. })
    }

    /// Splits a header value and decodes its signatures into `candidates`
    /// (filled in place: it is a kilobyte, not worth moving); returns the
    /// timestamp where the header itself carries it. Bounded: at most
    /// [`MAX_SIGNATURES`] entries are looked at before giving up.
    ///
    /// In the list formats an entry of the checked version that does not
    /// decode is skipped, as the official libraries do (it can never match;
    /// another entry may): the result may then hold no candidate at all, which
    /// verifies as a mismatch. A single prefixed signature that does not decode
    /// is [`SignatureHeaderError::MalformedSignature`].
    pub(crate) fn parse<'a>(
        &self,
        value: &'a [u8],
        encoding: Encoding,
        candidates: &mut Candidates,
    ) -> Result<Option<&'a [u8]>, SignatureHeaderError> {
        let mut timestamp = None;
        let mut entries = 0usize;
        let mut checked = 0usize;
        match self {
            Self::VersionedList { version } => {
                for entry in value
                    .split(|byte| *byte == b' ')
                    .filter(|entry| !entry.is_empty())
                {
                    entries += 1;
                    if entries > MAX_SIGNATURES {
                        return Err(SignatureHeaderError::TooManySignatures);
                    }
                    let (entry_version, signature) = split_once(entry, b',').ok_or(
                        SignatureHeaderError::Malformed("an entry is not `version,signature`"),
                    )?;
                    if entry_version == version.as_bytes() {
                        checked += 1;
                        candidates.push_if_readable(signature, encoding);
                    }
                }
            }
            Self::KeyValueList {
                timestamp_key,
                signature_key,
                separator,
            } => {
                for entry in value
                    .split(|byte| byte == separator)
                    .map(<[u8]>::trim_ascii)
                {
                    let (key, item) = split_once(entry, b'=').ok_or(
                        SignatureHeaderError::Malformed("an entry is not `key=value`"),
                    )?;
                    if key == timestamp_key.as_bytes() {
                        if timestamp.replace(item).is_some() {
                            return Err(SignatureHeaderError::Malformed(
                                "the timestamp appears more than once",
                            ));
                        }
                        continue;
                    }
                    entries += 1;
                    if entries > MAX_SIGNATURES {
                        return Err(SignatureHeaderError::TooManySignatures);
                    }
                    if key == signature_key.as_bytes() {
                        checked += 1;
                        candidates.push_if_readable(item, encoding);
                    }
                }
                if timestamp.is_none() {
                    return Err(SignatureHeaderError::Malformed("no timestamp entry"));
                }
            }
            Self::Prefixed { prefix } => {
                let signature = value.strip_prefix(prefix.as_bytes()).ok_or(
                    SignatureHeaderError::Malformed("the signature lacks the expected prefix"),
                )?;
                entries = 1;
                checked = 1;
                candidates.push(signature, encoding)?;
            }
        }
        if checked == 0 {
            return Err(if entries == 0 {
                SignatureHeaderError::Malformed("no signature entry")
            } else {
                SignatureHeaderError::NoSupportedSignature
            });
        }
        Ok(timestamp)
    }

    /// Writes a header value carrying `tags` (only the first where the
    /// header holds one signature).
    pub(crate) fn render(
        &self,
        tags: &[Tag],
        encoding: Encoding,
        timestamp: Option<&str>,
    ) -> String {
        match self {
            Self::VersionedList { version } => tags
                .iter()
                .map(|tag| format!("{version},{}", encoding.encode(tag.as_slice())))
                .collect::<Vec<_>>()
                .join(" "),
            Self::KeyValueList {
                timestamp_key,
                signature_key,
                separator,
            } => {
                let mut value = format!("{timestamp_key}={}", timestamp.unwrap_or_default());
                for tag in tags {
                    value.push(char::from(*separator));
                    value.push_str(signature_key);
                    value.push('=');
                    value.push_str(&encoding.encode(tag.as_slice()));
                }
                value
            }
            Self::Prefixed { prefix } => {
                let encoded = tags
                    .first()
                    .map(|tag| encoding.encode(tag.as_slice()))
                    .unwrap_or_default();
                format!("{prefix}{encoded}")
            }
        }
    }
}

impl SignatureFormat {
    /// A shared token as the header carries it: behind the prefix, as it
    /// is; `None` if it is not text.
    pub(crate) fn render_verbatim(&self, token: &[u8]) -> Option<String> {
        let token = std::str::from_utf8(token).ok()?;
        Some(match self {
            Self::Prefixed { prefix } => format!("{prefix}{token}"),
            Self::VersionedList { .. } | Self::KeyValueList { .. } => token.to_owned(),
        })
    }
}

/// `bytes` split at the first `separator`, which neither side keeps.
fn split_once(bytes: &[u8], separator: u8) -> Option<(&[u8], &[u8])> {
    let at = bytes.iter().position(|byte| *byte == separator)?;
    Some((&bytes[..at], &bytes[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Algorithm;

    const STANDARD: SignatureFormat = SignatureFormat::VersionedList { version: "v1" };
    const STRIPE: SignatureFormat = SignatureFormat::KeyValueList {
        timestamp_key: "t",
        signature_key: "v1",
        separator: b',',
    };

    fn github() -> SignatureFormat {
        SignatureFormat::Prefixed {
            prefix: Cow::Borrowed("sha256="),
        }
    }

    /// The decoded candidates and the timestamp, or the error.
    fn parse<'a>(
        format: &SignatureFormat,
        value: &'a str,
        encoding: Encoding,
    ) -> Result<(Candidates, Option<&'a [u8]>), SignatureHeaderError> {
        let mut candidates = Candidates::new(Algorithm::Sha256);
        let timestamp = format.parse(value.as_bytes(), encoding, &mut candidates)?;
        Ok((candidates, timestamp))
    }

    fn error(
        format: &SignatureFormat,
        value: &str,
        encoding: Encoding,
    ) -> Option<SignatureHeaderError> {
        parse(format, value, encoding).err()
    }

    fn b64(byte: u8) -> String {
        Encoding::Base64.encode(&[byte; 32])
    }

    fn hex(byte: u8) -> String {
        Encoding::Hex.encode(&[byte; 32])
    }

    #[test]
    fn versioned_list_skips_other_versions_and_extra_spaces() {
        let value = format!("v1a,abc  v1,{} v2,xyz v1,{}", b64(1), b64(2));
        let (candidates, _) = parse(&STANDARD, &value, Encoding::Base64).unwrap();
        assert_eq!(candidates.len(), 2);
        assert_eq!(candidates.get(1), Some(&[2u8; 32][..]));
    }

    #[test]
    fn versioned_list_with_only_other_versions_has_no_supported_signature() {
        assert_eq!(
            error(&STANDARD, "v1a,abc v2,def", Encoding::Base64),
            Some(SignatureHeaderError::NoSupportedSignature)
        );
    }

    #[test]
    fn versioned_list_entry_without_comma_is_malformed() {
        assert!(matches!(
            error(&STANDARD, "v1", Encoding::Base64),
            Some(SignatureHeaderError::Malformed(_))
        ));
    }

    #[test]
    fn empty_headers_are_malformed() {
        for value in ["", "   "] {
            assert!(matches!(
                error(&STANDARD, value, Encoding::Base64),
                Some(SignatureHeaderError::Malformed(_))
            ));
        }
    }

    #[test]
    fn seventeen_entries_are_too_many_even_of_other_versions() {
        let value = vec!["v9,x"; MAX_SIGNATURES + 1].join(" ");
        assert_eq!(
            error(&STANDARD, &value, Encoding::Base64),
            Some(SignatureHeaderError::TooManySignatures)
        );
        let value = format!("t=1,{}", vec!["v0=00"; MAX_SIGNATURES + 1].join(","));
        assert_eq!(
            error(&STRIPE, &value, Encoding::Hex),
            Some(SignatureHeaderError::TooManySignatures)
        );
    }

    #[test]
    fn key_value_list_takes_timestamp_and_every_v1() {
        let value = format!("t=1533204620,v1={},v0=ff,v1={},v9=zz", hex(1), hex(2));
        let (candidates, timestamp) = parse(&STRIPE, &value, Encoding::Hex).unwrap();
        assert_eq!(timestamp, Some(&b"1533204620"[..]));
        assert_eq!(candidates.len(), 2);
    }

    #[test]
    fn key_value_list_needs_exactly_one_timestamp() {
        let missing = format!("v1={}", hex(1));
        let twice = format!("t=1,t=2,v1={}", hex(1));
        for value in [missing, twice] {
            assert!(matches!(
                error(&STRIPE, &value, Encoding::Hex),
                Some(SignatureHeaderError::Malformed(_))
            ));
        }
    }

    #[test]
    fn key_value_list_with_only_v0_has_no_supported_signature() {
        let value = format!("t=1,v0={}", hex(1));
        assert_eq!(
            error(&STRIPE, &value, Encoding::Hex),
            Some(SignatureHeaderError::NoSupportedSignature)
        );
    }

    #[test]
    fn unreadable_list_entries_are_skipped() {
        let value = format!("t=1,v1=bad_signature,v1={}", hex(3));
        let (candidates, _) = parse(&STRIPE, &value, Encoding::Hex).unwrap();
        assert_eq!(candidates.len(), 1);
        let (only_bad, _) = parse(&STRIPE, "t=1,v1=nothex", Encoding::Hex).unwrap();
        assert!(only_bad.is_empty());
        let (standard, _) = parse(&STANDARD, "v1,short v1,%%%", Encoding::Base64).unwrap();
        assert!(standard.is_empty());
    }

    #[test]
    fn an_unreadable_single_signature_is_malformed() {
        assert_eq!(
            error(&github(), "sha256=zz", Encoding::Hex),
            Some(SignatureHeaderError::MalformedSignature)
        );
    }

    #[test]
    fn prefixed_requires_the_prefix() {
        let good = format!("sha256={}", hex(9));
        let (candidates, _) = parse(&github(), &good, Encoding::Hex).unwrap();
        assert_eq!(candidates.get(0), Some(&[9u8; 32][..]));
        let wrong = format!("sha1={}", hex(9));
        assert!(matches!(
            error(&github(), &wrong, Encoding::Hex),
            Some(SignatureHeaderError::Malformed(_))
        ));
    }

    #[test]
    fn render_then_parse_round_trips() {
        let tags = [Tag::new(&[1; 32]), Tag::new(&[2; 32])];
        for (format, encoding) in [
            (STANDARD, Encoding::Base64),
            (STRIPE, Encoding::Hex),
            (github(), Encoding::Hex),
        ] {
            let value = format.render(&tags, encoding, Some("42"));
            let (candidates, _) = parse(&format, &value, encoding).unwrap();
            let expected = if format.carries_several() { 2 } else { 1 };
            assert_eq!(candidates.len(), expected, "{value}");
            assert_eq!(candidates.get(0), Some(&[1u8; 32][..]));
        }
    }
}
