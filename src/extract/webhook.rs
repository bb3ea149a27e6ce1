use serde::de::DeserializeOwned;

use crate::extract::WebhookRejection;
use crate::scheme::PayloadFormat;

/// The verified body, deserialized the provider's way
/// ([`PayloadFormat`]): JSON, or, for providers that also send forms
/// (GitHub, Slack), a form — told apart by the signed bytes, never by the
/// unsigned `Content-Type` header. A form whose only field is `payload`
/// (GitHub's form deliveries, Slack's interactivity) is the JSON inside it;
/// any other form (Slack's slash commands) is deserialized field by field.
///
/// It extracts only from a route guarded by
/// [`WebhookLayer`](crate::WebhookLayer) (a Tower layer for axum, a
/// `Transform` for actix-web's `wrap`); elsewhere it is rejected with 500
/// and a message saying the guard is missing. A body that does not fit `T`
/// is rejected with 422 — not 2xx, so the claim is released and the
/// sender's retry is processed once the handler is fixed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Webhook<T>(pub T);

impl<T: DeserializeOwned> Webhook<T> {
    /// `body` deserialized as `format` says.
    pub(crate) fn parse(format: PayloadFormat, body: &[u8]) -> Result<Self, WebhookRejection> {
        let parsed = match format {
            PayloadFormat::JsonOrForm if !looks_like_json(body) => from_form(body),
            _ => serde_json::from_slice(body).map_err(|error| error.to_string()),
        };
        parsed
            .map(Webhook)
            .map_err(|detail| WebhookRejection::InvalidPayload { detail })
    }
}

/// Whether the first non-blank byte opens a JSON object or array.
fn looks_like_json(body: &[u8]) -> bool {
    body.iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| matches!(byte, b'{' | b'['))
}

/// A form body: the JSON in its `payload` field when that is its only
/// field, else the form itself.
fn from_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|error| error.to_string())?;
    match fields.as_slice() {
        [(name, json)] if name == "payload" => {
            serde_json::from_str(json).map_err(|error| error.to_string())
        }
        _ => serde_urlencoded::from_bytes(body).map_err(|error| error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Event {
        id: String,
    }

    fn parse<T: DeserializeOwned>(format: PayloadFormat, body: &str) -> Result<T, String> {
        Webhook::parse(format, body.as_bytes())
            .map(|Webhook(value)| value)
            .map_err(|rejection| format!("{rejection:?}"))
    }

    #[test]
    fn json_providers_always_read_json() {
        let event: Event = parse(PayloadFormat::Json, r#"{"id":"evt_1"}"#).unwrap();
        assert_eq!(event.id, "evt_1");
        assert!(parse::<Event>(PayloadFormat::Json, "id=evt_1").is_err());
    }

    #[test]
    fn the_signed_bytes_tell_json_from_a_form() {
        let event: Event = parse(PayloadFormat::JsonOrForm, " \n{\"id\":\"evt_1\"}").unwrap();
        assert_eq!(event.id, "evt_1");
        let command: HashMap<String, String> =
            parse(PayloadFormat::JsonOrForm, "command=%2Fdeploy&text=now").unwrap();
        assert_eq!(command["command"], "/deploy");
        assert_eq!(command["text"], "now");
    }

    #[test]
    fn a_form_of_one_payload_field_is_the_json_inside_it() {
        let event: Event = parse(
            PayloadFormat::JsonOrForm,
            "payload=%7B%22id%22%3A%22evt_1%22%7D",
        )
        .unwrap();
        assert_eq!(event.id, "evt_1");
        // With other fields beside it, `payload` is an ordinary field.
        let fields: HashMap<String, String> =
            parse(PayloadFormat::JsonOrForm, "payload=x&other=y").unwrap();
        assert_eq!(fields["payload"], "x");
    }
}
