use std::borrow::Cow;

/// The longest query a handshake reads: real ones are a few dozen bytes.
const MAX_QUERY_LEN: usize = 2048;

/// The value of the first `name=` pair in `query`, percent-decoded (`+` as
/// a space), if the query is at most [`MAX_QUERY_LEN`] bytes and the value
/// decodes to UTF-8.
pub(crate) fn query_value<'q>(query: Option<&'q str>, name: &str) -> Option<Cow<'q, str>> {
    let query = query.filter(|query| query.len() <= MAX_QUERY_LEN)?;
    let raw = query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })?;
    if !raw.bytes().any(|b| b == b'%' || b == b'+') {
        return Some(Cow::Borrowed(raw));
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' => {
                let hex = bytes.get(index + 1..index + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                decoded.push(u8::from_str_radix(hex, 16).ok()?);
                index += 2;
            }
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8(decoded).ok().map(Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_found_and_decoded_and_a_bad_one_is_not() {
        let query = Some("hub.mode=subscribe&hub.verify_token=a%20b+c&hub.challenge=1158201444");
        assert_eq!(query_value(query, "hub.mode").as_deref(), Some("subscribe"));
        assert_eq!(
            query_value(query, "hub.verify_token").as_deref(),
            Some("a b c")
        );
        assert_eq!(
            query_value(query, "hub.challenge").as_deref(),
            Some("1158201444")
        );
        assert_eq!(query_value(query, "hub"), None);
        assert_eq!(query_value(Some("x=%zz"), "x"), None);
        assert_eq!(query_value(Some("x=%4"), "x"), None);
        assert_eq!(query_value(Some("x=%ff"), "x"), None, "not UTF-8");
        assert_eq!(query_value(None, "x"), None);
        let long = format!("x=1&{}", "y".repeat(MAX_QUERY_LEN));
        assert_eq!(query_value(Some(&long), "x"), None, "too long to read");
    }
}
