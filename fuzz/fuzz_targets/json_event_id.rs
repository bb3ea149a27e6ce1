#![no_main]

//! The event-ID scanner against `serde_json`: for every body `serde_json`
//! reads as an object, the scanner finds the first top-level `id` (keys and
//! values with `\u` escapes decoded, duplicate keys included: the first
//! wins) exactly when it is a string of at most `MAX_EVENT_ID_LEN` bytes
//! without control characters.

use std::fmt;

use libfuzzer_sys::fuzz_target;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// The first top-level `id`: `Some(Some(text))` for a string, `Some(None)`
/// for another value, `None` when there is no `id`.
struct FirstId(Option<Option<String>>);

impl<'de> serde::Deserialize<'de> for FirstId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = FirstId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FirstId, A::Error> {
                let mut first = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "id" && first.is_none() {
                        let value: serde_json::Value = map.next_value()?;
                        first = Some(value.as_str().map(str::to_owned));
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(FirstId(first))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

fuzz_target!(|body: &[u8]| {
    let found = webhook_guard::fuzzing::top_level_string(body, "id");
    if let Some(id) = &found {
        assert!(id.len() <= webhook_guard::limits::MAX_EVENT_ID_LEN);
    }
    let Ok(FirstId(first)) = serde_json::from_slice::<FirstId>(body) else {
        return;
    };
    // IDs go on into logs and store keys: none longer than the limit, none
    // with a control character (raw or escaped).
    let expected = first.flatten().filter(|id| {
        id.len() <= webhook_guard::limits::MAX_EVENT_ID_LEN && !id.chars().any(char::is_control)
    });
    assert_eq!(found, expected, "{:?}", String::from_utf8_lossy(body));
});
