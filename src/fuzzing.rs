//! Entry points for the `fuzz/` targets into crate-private parsers. Compiled
//! only under `--cfg fuzzing` (set by `cargo fuzz`); not part of the API.

use std::borrow::Cow;

use crate::mac::Candidates;
use crate::scheme::json_field;
use crate::scheme::signature_format::SignatureFormat;
use crate::scheme::{Algorithm, Encoding};

/// Parses a Standard Webhooks signature header (`v1,<base64> …`).
pub fn standard_signature_header(value: &[u8]) {
    let format = SignatureFormat::VersionedList { version: "v1" };
    let mut candidates = Candidates::new(Algorithm::Sha256);
    if format
        .parse(value, Encoding::Base64, &mut candidates)
        .is_ok()
    {
        assert!(candidates.len() <= crate::limits::MAX_SIGNATURES);
    }
}

/// Parses a Stripe signature header (`t=…,v1=<hex>…`).
pub fn stripe_signature_header(value: &[u8]) {
    let format = SignatureFormat::KeyValueList {
        timestamp_key: "t",
        signature_key: "v1",
    };
    let mut candidates = Candidates::new(Algorithm::Sha256);
    if let Ok(timestamp) = format.parse(value, Encoding::Hex, &mut candidates) {
        assert!(timestamp.is_some());
    }
}

/// Parses a prefixed single signature in every encoding and algorithm, and
/// checks the hot-path decoders against the `hex` and `base64` crates: they
/// accept exactly the canonical spellings those crates write.
pub fn prefixed_signature_header(value: &[u8]) {
    let format = SignatureFormat::Prefixed {
        prefix: Cow::Borrowed("sha256="),
    };
    for encoding in [Encoding::Hex, Encoding::HexUpper, Encoding::Base64] {
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            let _ = format.parse(value, encoding, &mut Candidates::new(algorithm));
        }
        let mut ours = [0u8; 64];
        let len = match encoding {
            Encoding::Base64 => value.len() / 4 * 3,
            _ => value.len() / 2,
        }
        .min(64);
        for out_len in [len.saturating_sub(2), len.saturating_sub(1), len] {
            let out = &mut ours[..out_len];
            let accepted = encoding.decode_tag(value, out).is_some();
            let reference =
                reference_decode(encoding, value).filter(|bytes| bytes.len() == out_len);
            assert_eq!(accepted, reference.is_some(), "{encoding:?} {value:?}");
            if let Some(bytes) = reference {
                assert_eq!(out, &bytes[..]);
            }
        }
    }
}

/// What the reference crates decode, keeping only canonical spellings.
fn reference_decode(encoding: Encoding, value: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let value = std::str::from_utf8(value).ok()?;
    let bytes = match encoding {
        Encoding::Base64 => base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()?,
        _ => hex::decode(value).ok()?,
    };
    let canonical = match encoding {
        Encoding::Hex => hex::encode(&bytes),
        Encoding::HexUpper => hex::encode_upper(&bytes),
        _ => base64::engine::general_purpose::STANDARD.encode(&bytes),
    };
    (canonical == value).then_some(bytes)
}

/// Parses a UNIX timestamp strictly; whatever it accepts is all digits.
pub fn timestamp(raw: &[u8]) {
    if crate::scheme::parse_timestamp_for_fuzzing(raw).is_some() {
        assert!(!raw.is_empty() && raw.iter().all(u8::is_ascii_digit));
    }
}

/// Scans a body for a top-level `id`; agrees with `serde_json` whenever the
/// body is a JSON object with exactly one top-level `id` string.
pub fn json_event_id(body: &[u8]) {
    let found = json_field::top_level_string(body, "id");
    if let Some(id) = &found {
        assert!(id.len() <= crate::limits::MAX_EVENT_ID_LEN);
    }
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body) else {
        return;
    };
    let expected = object.get("id").and_then(serde_json::Value::as_str);
    let unique = !String::from_utf8_lossy(body).contains("\\u") && count_id_keys(body) == 1;
    if let Some(expected) = expected {
        if unique && expected.len() <= crate::limits::MAX_EVENT_ID_LEN {
            assert_eq!(found.as_deref(), Some(expected));
        }
    }
}

/// How many times `"id"` appears as a key anywhere (an over-count is fine:
/// it only makes the comparison above skip more bodies).
fn count_id_keys(body: &[u8]) -> usize {
    body.windows(4).filter(|window| window == b"\"id\"").count()
}
