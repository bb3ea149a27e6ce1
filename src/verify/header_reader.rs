use http::header::GetAll;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::verify::VerifyError;

/// Reads a header the scheme needs at most once: absent is `None`; repeated,
/// empty or longer than `max_len` bytes is an error. The bytes are not
/// checked further here: every parser that reads them accepts only its own
/// ASCII syntax.
pub(crate) fn single_value<'a>(
    name: &HeaderName,
    values: GetAll<'a, HeaderValue>,
    max_len: usize,
) -> Result<Option<&'a HeaderValue>, VerifyError> {
    let mut values = values.iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(VerifyError::DuplicateHeader { name: name.clone() });
    }
    let malformed = |reason| VerifyError::MalformedHeader {
        name: name.clone(),
        reason,
    };
    if value.len() > max_len {
        return Err(malformed("too long"));
    }
    if value.is_empty() {
        return Err(malformed("empty"));
    }
    Ok(Some(value))
}

/// [`single_value`] looked up by name; absent is
/// [`VerifyError::MissingHeader`].
pub(crate) fn required_header<'a>(
    headers: &'a HeaderMap,
    name: &HeaderName,
    max_len: usize,
) -> Result<&'a HeaderValue, VerifyError> {
    single_value(name, headers.get_all(name), max_len)?
        .ok_or_else(|| VerifyError::MissingHeader { name: name.clone() })
}

/// A header value as text: visible ASCII only (an event ID travels on into
/// logs and storage keys).
pub(crate) fn visible_ascii<'a>(
    name: &HeaderName,
    value: &'a HeaderValue,
) -> Result<&'a str, VerifyError> {
    value
        .to_str()
        .ok()
        .filter(|text| !text.contains('\t'))
        .ok_or_else(|| VerifyError::MalformedHeader {
            name: name.clone(),
            reason: "not visible ASCII",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: HeaderName = HeaderName::from_static("x-test");

    fn read(headers: &HeaderMap) -> Result<Option<&HeaderValue>, VerifyError> {
        single_value(&NAME, headers.get_all(&NAME), 10)
    }

    #[test]
    fn repeated_header_is_ambiguous() {
        let mut headers = HeaderMap::new();
        headers.append(&NAME, HeaderValue::from_static("a"));
        headers.append(&NAME, HeaderValue::from_static("b"));
        assert_eq!(
            read(&headers),
            Err(VerifyError::DuplicateHeader { name: NAME })
        );
    }

    #[test]
    fn empty_and_long_values_are_malformed() {
        for value in [&b""[..], b"0123456789a"] {
            let mut headers = HeaderMap::new();
            headers.insert(&NAME, HeaderValue::from_bytes(value).unwrap());
            assert!(matches!(
                read(&headers),
                Err(VerifyError::MalformedHeader { .. })
            ));
        }
    }

    #[test]
    fn text_must_be_visible_ascii() {
        let good = HeaderValue::from_static("msg_1 a~");
        assert_eq!(visible_ascii(&NAME, &good), Ok("msg_1 a~"));
        for value in [&b"caf\xc3\xa9"[..], b"tab\there"] {
            let value = HeaderValue::from_bytes(value).unwrap();
            assert!(visible_ascii(&NAME, &value).is_err());
        }
    }

    #[test]
    fn absent_is_none_or_missing() {
        let headers = HeaderMap::new();
        assert_eq!(read(&headers), Ok(None));
        assert_eq!(
            required_header(&headers, &NAME, 10),
            Err(VerifyError::MissingHeader { name: NAME })
        );
    }
}
