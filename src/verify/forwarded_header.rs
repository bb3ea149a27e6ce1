//! RFC 7239 `Forwarded`, read as it is quoted: commas and semicolons inside
//! a quoted string (a `host="…"` a proxy copied from the client) split
//! nothing. Shared by the URL a verifier rebuilds behind proxies and by the
//! source check's walk over trusted hops.

/// A `Forwarded` line or element that cannot be read unambiguously.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

/// The elements of one `Forwarded` line, left to right: split at each comma
/// outside quoted strings (`"…"`, with `\` escapes). An unterminated quote
/// is malformed.
pub(crate) fn elements(line: &str) -> Result<Vec<&str>, Malformed> {
    outside_quotes(line, b',')
}

/// The value of `name` in one element (`for=…;proto=…;host=…`), unquoted;
/// `None` if absent. Malformed: the name twice, or a quoted value that is
/// not one whole quoted string without escapes (no address, scheme or host
/// needs one).
pub(crate) fn parameter<'e>(element: &'e str, name: &str) -> Result<Option<&'e str>, Malformed> {
    let mut found = None;
    for pair in outside_quotes(element, b';')? {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case(name) {
            continue;
        }
        if found.is_some() {
            return Err(Malformed);
        }
        let value = value.trim();
        let value = match value.strip_prefix('"') {
            Some(quoted) => quoted
                .strip_suffix('"')
                .filter(|inner| !inner.contains(['"', '\\']))
                .ok_or(Malformed)?,
            None => value,
        };
        found = Some(value);
    }
    Ok(found)
}

/// `text` split at each `separator` outside quoted strings.
fn outside_quotes(text: &str, separator: u8) -> Result<Vec<&str>, Malformed> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (index, byte) in text.bytes().enumerate() {
        match (quoted, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => quoted = false,
            (false, _, b'"') => quoted = true,
            (false, _, byte) if byte == separator => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return Err(Malformed);
    }
    parts.push(&text[start..]);
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_commas_and_semicolons_split_nothing() {
        let line = r#"for=203.0.113.5;host="x,for=192.0.2.1;proto=https";proto=http, for=10.0.0.1"#;
        let parts = elements(line).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parameter(parts[0], "for"), Ok(Some("203.0.113.5")));
        assert_eq!(
            parameter(parts[0], "host"),
            Ok(Some("x,for=192.0.2.1;proto=https"))
        );
        assert_eq!(parameter(parts[0], "PROTO"), Ok(Some("http")));
        assert_eq!(parameter(parts[1], "proto"), Ok(None));
    }

    #[test]
    fn what_cannot_be_read_unambiguously_is_malformed() {
        assert_eq!(elements(r#"for="192.0.2.1"#), Err(Malformed));
        assert_eq!(elements(r#"host="a\"b", for=1.2.3.4"#).unwrap().len(), 2);
        assert_eq!(parameter("for=1.2.3.4;for=5.6.7.8", "for"), Err(Malformed));
        assert_eq!(parameter(r#"host="a\"b""#, "host"), Err(Malformed));
        assert_eq!(parameter(r#"host="a"b"#, "host"), Err(Malformed));
    }
}
