#![no_main]

//! The body-field reader against `serde_json`: for every body `serde_json`
//! reads, the string at `signature.token` (Mailgun's shape) is found exactly
//! when each step is an object whose first occurrence of the field leads on,
//! and the value is a string of at most 64 bytes without control characters.

use std::fmt;

use libfuzzer_sys::fuzz_target;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

const PATH: [&str; 2] = ["signature", "token"];
const MAX_LEN: usize = 64;

/// The string at the rest of the path, first occurrences only: `None` when
/// a step is missing or not an object, or the value is not a string.
struct At<'p>(&'p [&'p str]);

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(Walk(self.0))
    }
}

struct Walk<'p>(&'p [&'p str]);

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            match self.0.split_first() {
                Some((field, rest)) if !seen && key == *field => {
                    seen = true;
                    found = map.next_value_seed(At(rest))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then(|| value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then_some(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

fuzz_target!(|body: &[u8]| {
    let found = webhook_guard::fuzzing::string_at(body, &PATH, MAX_LEN);
    if let Some(value) = &found {
        assert!(value.len() <= MAX_LEN);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let Ok(expected) = At(&PATH).deserialize(&mut deserializer) else {
        return;
    };
    if deserializer.end().is_err() {
        return;
    }
    let expected =
        expected.filter(|value| value.len() <= MAX_LEN && !value.chars().any(char::is_control));
    assert_eq!(found, expected, "{:?}", String::from_utf8_lossy(body));
});
