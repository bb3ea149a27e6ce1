//! Finds one top-level string field of a JSON object without parsing the
//! whole document.
//!
//! Stripe puts the event ID in the body (`{"id": "evt_…", …}`, first key in
//! practice) and Slack's Events API puts `event_id` there. Deserializing a
//! 1 MiB body to read one field would cost more than the HMAC over it, so this
//! scanner walks the top level only, skips nested values without building
//! them, and stops at the field. It runs only on bodies whose signature has
//! already been verified. Every step advances through the input, so the work
//! is linear in the body and needs no recursion.

use std::borrow::Cow;

use crate::limits::MAX_EVENT_ID_LEN;

/// The string value of `field` in the top-level object of `body`, if `body`
/// is such an object and the value is a string of at most
/// [`MAX_EVENT_ID_LEN`] bytes. The first occurrence wins.
pub(crate) fn top_level_string<'a>(body: &'a [u8], field: &str) -> Option<Cow<'a, str>> {
    string_at(body, &[field], MAX_EVENT_ID_LEN)
}

/// The string value at `path` (`["signature", "token"]`: the field
/// `token` of the object in the top-level field `signature`), if every step
/// is an object holding the next field and the value is a string of at
/// most `max_len` bytes with no control character. At each level the first
/// occurrence of a field wins. Linear in the body: each object is walked
/// once, and what lies beside the path is skipped without being built.
pub(crate) fn string_at<'a>(body: &'a [u8], path: &[&str], max_len: usize) -> Option<Cow<'a, str>> {
    let mut cursor = Cursor {
        bytes: body,
        pos: 0,
    };
    for field in path {
        cursor.skip_whitespace();
        cursor.expect(b'{')?;
        cursor.find_field(field)?;
    }
    cursor.skip_whitespace();
    if cursor.peek()? != b'"' {
        return None;
    }
    cursor.string()?.decode(max_len)
}

/// The integer value of `field` in the top-level object of `body`
/// (Telegram's `update_id`), as written: an optional `-` and at most 20
/// digits, no fraction or exponent. The first occurrence wins.
pub(crate) fn top_level_integer<'a>(body: &'a [u8], field: &str) -> Option<&'a str> {
    let mut cursor = Cursor {
        bytes: body,
        pos: 0,
    };
    cursor.skip_whitespace();
    cursor.expect(b'{')?;
    cursor.find_field(field)?;
    let start = cursor.pos;
    let rest = &body[start..];
    let sign = usize::from(rest.first() == Some(&b'-'));
    let digits = rest[sign..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let end = sign + digits;
    // What follows must end the number: a fraction or an exponent would
    // make another value of the same digits.
    let ends = matches!(
        rest.get(end),
        Some(b',' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
    );
    if digits == 0 || digits > 20 || !ends || (digits > 1 && rest[sign] == b'0') {
        return None;
    }
    std::str::from_utf8(&rest[..end]).ok()
}

/// The most keys [`keys_are_unique`] compares in one object.
const MAX_UNIQUE_KEYS: usize = 256;

/// Whether the object at `path` (the top level for `&[]`) exists and holds
/// each of its keys once, as decoded: a body whose signed fields could be
/// read differently by another JSON parser (the first occurrence here, the
/// last in most) is refused. At most [`MAX_UNIQUE_KEYS`] keys; more is
/// `false`. Linear in the object.
pub(crate) fn keys_are_unique(body: &[u8], path: &[&str]) -> bool {
    let mut cursor = Cursor {
        bytes: body,
        pos: 0,
    };
    let mut walk = || -> Option<bool> {
        for field in path {
            cursor.skip_whitespace();
            cursor.expect(b'{')?;
            cursor.find_field(field)?;
        }
        cursor.skip_whitespace();
        cursor.expect(b'{')?;
        let mut keys: Vec<Cow<'_, str>> = Vec::new();
        loop {
            cursor.skip_whitespace();
            if cursor.peek()? == b'}' && keys.is_empty() {
                return Some(true);
            }
            let key = cursor.string()?.decode(MAX_EVENT_ID_LEN)?;
            if keys.len() == MAX_UNIQUE_KEYS || keys.contains(&key) {
                return Some(false);
            }
            keys.push(key);
            cursor.skip_whitespace();
            cursor.expect(b':')?;
            cursor.skip_whitespace();
            cursor.skip_value()?;
            cursor.skip_whitespace();
            match cursor.next()? {
                b',' => continue,
                b'}' => return Some(true),
                _ => return None,
            }
        }
    };
    walk().unwrap_or(false)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// A JSON string token: its raw contents between the quotes.
struct JsonString<'a> {
    quoted: &'a [u8],
    escaped: bool,
}

impl<'a> JsonString<'a> {
    fn raw(&self) -> &'a [u8] {
        &self.quoted[1..self.quoted.len() - 1]
    }

    fn equals(&self, field: &str) -> bool {
        if self.escaped {
            self.decode(MAX_EVENT_ID_LEN)
                .is_some_and(|key| key == field)
        } else {
            self.raw() == field.as_bytes()
        }
    }

    fn decode(&self, max_len: usize) -> Option<Cow<'a, str>> {
        // An escape takes at most six bytes for one character.
        if self.raw().len() > max_len.saturating_mul(6) {
            return None;
        }
        let decoded: Cow<'a, str> = if self.escaped {
            Cow::Owned(serde_json::from_slice::<String>(self.quoted).ok()?)
        } else {
            Cow::Borrowed(std::str::from_utf8(self.raw()).ok()?)
        };
        // An ID goes on into logs and storage keys: no control characters,
        // whether they arrived raw or escaped.
        let printable = !decoded.chars().any(char::is_control);
        (printable && decoded.len() <= max_len).then_some(decoded)
    }
}

impl<'a> Cursor<'a> {
    /// Inside an object (after its `{`): moves to the value of the first
    /// `field`, or gives `None` if the object has none or is malformed
    /// before it.
    fn find_field(&mut self, field: &str) -> Option<()> {
        loop {
            self.skip_whitespace();
            if self.peek()? == b'}' {
                return None;
            }
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            self.skip_whitespace();
            if key.equals(field) {
                return Some(());
            }
            self.skip_value()?;
            self.skip_whitespace();
            match self.next()? {
                b',' => continue,
                _ => return None,
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    fn expect(&mut self, wanted: u8) -> Option<()> {
        (self.next()? == wanted).then_some(())
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Reads a string token starting at the opening quote.
    fn string(&mut self) -> Option<JsonString<'a>> {
        let start = self.pos;
        self.expect(b'"')?;
        let mut escaped = false;
        loop {
            let rest = self.bytes.get(self.pos..)?;
            let at = rest.iter().position(|byte| matches!(byte, b'"' | b'\\'))?;
            self.pos += at + 1;
            if rest[at] == b'"' {
                break;
            }
            escaped = true;
            self.next()?; // the escaped byte, whatever it is
        }
        Some(JsonString {
            quoted: &self.bytes[start..self.pos],
            escaped,
        })
    }

    /// Skips one value of any kind. Nested objects and arrays are skipped by
    /// counting brackets outside strings; their contents are not checked.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                let start = self.pos;
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
                (self.pos > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(body: &str) -> Option<String> {
        top_level_string(body.as_bytes(), "id").map(Cow::into_owned)
    }

    #[test]
    fn a_key_repeated_in_the_object_checked_is_found() {
        let body =
            br#"{"signature": {"token": "a", "timestamp": "1"}, "event-data": {"x": 1, "x": 2}}"#;
        assert!(keys_are_unique(body, &[]));
        assert!(keys_are_unique(body, &["signature"]));
        let twice = br#"{"signature": {"token": "a", "token": "b"}}"#;
        assert!(!keys_are_unique(twice, &["signature"]));
        // Spelled differently, decoded the same.
        let escaped = br#"{"signature": {}, "signature": {}}"#;
        assert!(!keys_are_unique(escaped, &[]));
        for broken in [&b"[1]"[..], b"{", br#"{"a":1,}"#, br#"{"a" 1}"#, b""] {
            assert!(!keys_are_unique(broken, &[]), "{broken:?}");
        }
        let many: String = (0..=MAX_UNIQUE_KEYS)
            .map(|i| format!(r#""k{i}":0"#))
            .collect::<Vec<_>>()
            .join(",");
        assert!(!keys_are_unique(format!("{{{many}}}").as_bytes(), &[]));
        assert!(keys_are_unique(b"{ }", &[]));
    }

    #[test]
    fn an_integer_field_is_read_as_written_and_nothing_else_is() {
        fn update(body: &str) -> Option<&str> {
            top_level_integer(body.as_bytes(), "update_id")
        }
        assert_eq!(update(r#"{"update_id":10000,"message":{}}"#), Some("10000"));
        assert_eq!(
            update(r#"{"message":{"update_id":1}, "update_id" : 7 }"#),
            Some("7")
        );
        assert_eq!(update(r#"{"update_id":-3}"#), Some("-3"));
        // A fraction, an exponent, a leading zero, a string, a number too
        // long for any ID, or a body cut short: no ID.
        for body in [
            r#"{"update_id":1.5}"#,
            r#"{"update_id":1e3}"#,
            r#"{"update_id":012}"#,
            r#"{"update_id":"12"}"#,
            r#"{"update_id":123456789012345678901}"#,
            r#"{"update_id":12"#,
            r#"{"update_id":-}"#,
            r#"[{"update_id":1}]"#,
        ] {
            assert_eq!(update(body), None, "{body}");
        }
    }

    #[test]
    fn finds_a_leading_id_without_reading_further() {
        // Everything after the ID is invalid JSON: the scanner never looks.
        assert_eq!(
            id(r#"{"id": "evt_123", "object": ]]]"#).as_deref(),
            Some("evt_123")
        );
    }

    #[test]
    fn skips_nested_values_and_strings_with_brackets() {
        let body = r#"{
            "data": {"object": {"id": "cus_1", "list": [1, {"id": "x"}, "}]"]}},
            "note": "a \"quoted\" } brace",
            "n": -1.5e3, "ok": true, "nothing": null,
            "id": "evt_2"
        }"#;
        assert_eq!(id(body).as_deref(), Some("evt_2"));
    }

    #[test]
    fn escaped_keys_and_values_are_decoded() {
        assert_eq!(id(r#"{"\u0069d": "evt_\u0041"}"#).as_deref(), Some("evt_A"));
    }

    #[test]
    fn absent_or_non_string_ids_give_none() {
        for body in [
            "",
            "[]",
            "not json",
            "{}",
            r#"{"idx": "a"}"#,
            r#"{"id": 12}"#,
            r#"{"id": null}"#,
            r#"{"id": "unterminated"#,
            r#"{"a": [1, 2"#,
            r#"{"a" "b"}"#,
            r#"{"a": 1 "id": "b"}"#,
        ] {
            assert_eq!(id(body), None, "{body}");
        }
    }

    #[test]
    fn ids_with_control_characters_are_refused_raw_or_escaped() {
        assert_eq!(id("{\"id\": \"evt_\u{1b}[31m\"}"), None);
        assert_eq!(id(r#"{"id": "evt_1\n\u001b[31m"}"#), None);
        assert_eq!(id(r#"{"id": "evt_\u00e9"}"#).as_deref(), Some("evt_é"));
    }

    #[test]
    fn overlong_ids_are_refused() {
        let long = "a".repeat(MAX_EVENT_ID_LEN + 1);
        assert_eq!(id(&format!(r#"{{"id": "{long}"}}"#)), None);
        let fits = "a".repeat(MAX_EVENT_ID_LEN);
        assert_eq!(id(&format!(r#"{{"id": "{fits}"}}"#)), Some(fits));
    }

    #[test]
    fn a_path_walks_nested_objects_and_only_them() {
        let body = br#"{"event-data": {"signature": "decoy"}, "signature":
            {"timestamp": "1529006854", "token": "a8ce", "signature": "d227"}}"#;
        let at = |path: &[&str]| string_at(body, path, 64).map(Cow::into_owned);
        assert_eq!(at(&["signature", "token"]).as_deref(), Some("a8ce"));
        assert_eq!(at(&["signature", "signature"]).as_deref(), Some("d227"));
        assert_eq!(at(&["event-data", "signature"]).as_deref(), Some("decoy"));
        assert_eq!(at(&["signature"]), None, "an object, not a string");
        assert_eq!(at(&["signature", "token", "x"]), None);
        assert_eq!(at(&["missing", "token"]), None);
        assert_eq!(
            string_at(body, &["signature", "token"], 3),
            None,
            "too long"
        );
    }

    #[test]
    fn agrees_with_serde_json_on_stripe_shaped_events() {
        let body = include_str!("../../tests/data/stripe_event.json");
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(id(body).as_deref(), value["id"].as_str());
    }
}
