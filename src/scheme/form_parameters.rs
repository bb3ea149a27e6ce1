use std::collections::{BTreeMap, BTreeSet};

use crate::limits::MAX_FORM_PARAMETERS;
use crate::verify::VerifyError;

/// A form body (`application/x-www-form-urlencoded`) as Twilio signs it:
/// every parameter name once, in byte order, each followed by each of its
/// values once, in byte order, all concatenated with no separator. Names
/// and values are percent-decoded (`+` is a space), as the sender had them.
///
/// The signature covers the decoded parameters, not the body's bytes: two
/// spellings of one parameter set (`+` or `%20` for a space, `%4a` or
/// `%4A`) verify alike, and a form reader sees the same parameters in
/// both. A decoded name or value that is not UTF-8 is refused, so that no
/// two different parameter sets decode alike (a lenient decoder would turn
/// every invalid sequence into U+FFFD).
///
/// At most [`MAX_FORM_PARAMETERS`] parameters: sorting is the one step whose
/// cost grows faster than the body. With `names_once` (Mandrill), a name
/// that repeats is refused.
pub(crate) fn sorted_name_values(body: &[u8], names_once: bool) -> Result<Vec<u8>, VerifyError> {
    let mut parameters: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let pairs = body
        .split(|byte| *byte == b'&')
        .filter(|pair| !pair.is_empty());
    for (count, pair) in pairs.enumerate() {
        if count >= MAX_FORM_PARAMETERS {
            return Err(VerifyError::MalformedBody {
                reason: "more form parameters than the limit",
            });
        }
        let (name, value) = match pair.iter().position(|byte| *byte == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        let values = parameters.entry(decode(name)?).or_default();
        if names_once && !values.is_empty() {
            return Err(VerifyError::MalformedBody {
                reason: "a form parameter name repeats",
            });
        }
        values.insert(decode(value)?);
    }
    let mut signed = Vec::with_capacity(body.len());
    for (name, values) in &parameters {
        for value in values {
            signed.extend_from_slice(name.as_bytes());
            signed.extend_from_slice(value.as_bytes());
        }
    }
    Ok(signed)
}

/// Percent-decodes one name or value (`+` is a space; a `%` not followed
/// by two hex digits stands for itself, as browsers and `form_urlencoded`
/// read it), refusing a result that is not UTF-8.
fn decode(encoded: &[u8]) -> Result<String, VerifyError> {
    let digit = |at: usize| {
        encoded
            .get(at)
            .and_then(|byte| char::from(*byte).to_digit(16))
    };
    let mut decoded = Vec::with_capacity(encoded.len());
    let mut index = 0;
    while let Some(&byte) = encoded.get(index) {
        match (byte, digit(index + 1), digit(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits: at most 0xff.
                decoded.push((high * 16 + low) as u8);
                index += 3;
            }
            (b'+', _, _) => {
                decoded.push(b' ');
                index += 1;
            }
            (other, _, _) => {
                decoded.push(other);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| VerifyError::MalformedBody {
        reason: "a form parameter is not UTF-8 once decoded",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sorted_values_sorted_and_deduplicated() {
        let body = b"To=%2B18005551212&From=%2B14158675310&Body=hi+there&Body=a&Body=hi+there";
        assert_eq!(
            sorted_name_values(body, false).unwrap(),
            b"BodyaBodyhi thereFrom+14158675310To+18005551212".to_vec()
        );
        assert_eq!(sorted_name_values(b"", false).unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn decoding_matches_form_urlencoded_and_refuses_what_is_not_utf8() {
        for body in [
            &b"a=%41%4a%4A+b&%zz=%&%2=x%2&c"[..],
            b"x=%E2%82%AC&y=%c3%a9",
            b"=&==&a==b",
        ] {
            let ours = sorted_name_values(body, false).unwrap();
            let mut theirs: Vec<(String, String)> = form_urlencoded::parse(body)
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect();
            theirs.sort();
            theirs.dedup();
            let theirs: Vec<u8> = theirs
                .iter()
                .flat_map(|(name, value)| [name.as_bytes(), value.as_bytes()].concat())
                .collect();
            assert_eq!(ours, theirs, "{}", String::from_utf8_lossy(body));
        }
        for body in [&b"a=%ff"[..], b"%c3=1", b"a=\xff"] {
            assert_eq!(
                sorted_name_values(body, false).unwrap_err().reason(),
                "malformed_body"
            );
        }
    }

    #[test]
    fn names_once_refuses_a_repeated_name() {
        let body = b"mandrill_events=%5B%5D&mandrill_events=%5B1%5D";
        assert!(sorted_name_values(body, false).is_ok());
        assert_eq!(
            sorted_name_values(body, true).unwrap_err().reason(),
            "malformed_body"
        );
        assert_eq!(
            sorted_name_values(b"mandrill_events=%5B%5D", true).unwrap(),
            b"mandrill_events[]".to_vec()
        );
    }

    #[test]
    fn too_many_parameters_are_malformed() {
        let body = "a=1&".repeat(MAX_FORM_PARAMETERS + 1);
        assert_eq!(
            sorted_name_values(body.as_bytes(), false)
                .unwrap_err()
                .reason(),
            "malformed_body"
        );
        let body = "a=1&".repeat(MAX_FORM_PARAMETERS - 1);
        assert!(sorted_name_values(body.as_bytes(), false).is_ok());
    }
}
