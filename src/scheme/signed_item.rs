//! A signature that travels inside the item it signs: Adyen's payment
//! notifications, where the HMAC covers some fields of the one
//! `NotificationRequestItem` in the JSON body and is written into that
//! item's `additionalData`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

use crate::limits::{MAX_EVENT_ID_LEN, MAX_SIGNATURE_HEADER_LEN};

/// Where a scheme that signs one item of its body finds the item, what of
/// it is signed, and which signed fields name the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignedItem {
    /// Adyen's `{"live": …, "notificationItems": [{"NotificationRequestItem":
    /// {…}}]}`: the HMAC of
    /// `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
    /// (an absent field as empty text, `value` the integer in minor units,
    /// no escaping), in `additionalData.hmacSignature`; the event is
    /// `pspReference:eventCode:success`.
    AdyenNotification,
}

/// What one item says, read from a body; every signed field was present
/// once, as a JSON parser other than ours reads it too.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ItemReading {
    /// The exact bytes the sender signed.
    pub(crate) message: Vec<u8>,
    /// The signature as written in the item, if it carries one.
    pub(crate) signature: Option<String>,
    /// The event the item names, made of signed fields only.
    pub(crate) event_id: String,
}

/// Why a body holds no item this scheme can check.
pub(crate) type ItemError = &'static str;

/// Between the signed fields, and between the fields of the event ID.
const SEPARATOR: char = ':';

impl SignedItem {
    /// Reads the item of `body`: the signed message, the signature and
    /// the event ID. Refused: anything but a JSON object with exactly one
    /// item (Adyen sends JSON notifications one item at a time), a signed
    /// field given twice at its level, of another type than Adyen writes,
    /// or one whose `:` would move bytes between fields (only
    /// `merchantReference`, the one free-text field, may hold `:`: with
    /// every other field free of it, the message splits one way only).
    pub(crate) fn read(self, body: &[u8]) -> Result<ItemReading, ItemError> {
        match self {
            Self::AdyenNotification => read_adyen(body),
        }
    }

    /// `body` with `signature` written into its item's
    /// `additionalData.hmacSignature` (replacing any there), the rest of
    /// the body kept as its values, re-serialized. `body` must hold an
    /// item [`read`](Self::read) accepts.
    pub(crate) fn write_signature(
        self,
        body: &[u8],
        signature: &str,
    ) -> Result<Vec<u8>, ItemError> {
        match self {
            Self::AdyenNotification => {
                read_adyen(body)?;
                let mut value: serde_json::Value =
                    serde_json::from_slice(body).map_err(|_| NOT_AN_ITEM)?;
                let item = value
                    .get_mut("notificationItems")
                    .and_then(|items| items.get_mut(0))
                    .and_then(|element| element.get_mut("NotificationRequestItem"))
                    .and_then(serde_json::Value::as_object_mut)
                    .ok_or(NOT_AN_ITEM)?;
                let additional = item
                    .entry("additionalData")
                    .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
                if !additional.is_object() {
                    *additional = serde_json::Value::Object(serde_json::Map::new());
                }
                additional
                    .as_object_mut()
                    .ok_or(NOT_AN_ITEM)?
                    .insert("hmacSignature".to_owned(), signature.into());
                serde_json::to_vec(&value).map_err(|_| "the body could not be written")
            }
        }
    }
}

const NOT_AN_ITEM: ItemError = "the body is no Adyen notification of exactly one item, \
     or gives a signed field twice or as another type";

fn read_adyen(body: &[u8]) -> Result<ItemReading, ItemError> {
    let notification: AdyenNotification = serde_json::from_slice(body).map_err(|_| NOT_AN_ITEM)?;
    let item = notification.items.0;
    let text = |field: &Option<String>| field.as_deref().unwrap_or_default().to_owned();
    let psp_reference = text(&item.psp_reference);
    let event_code = text(&item.event_code);
    let success = text(&item.success);
    let currency = text(&item.amount.currency);
    let fields = [
        psp_reference.as_str(),
        item.original_reference.as_deref().unwrap_or_default(),
        item.merchant_account_code.as_deref().unwrap_or_default(),
        item.merchant_reference.as_deref().unwrap_or_default(),
        &item.amount.value.to_string(),
        currency.as_str(),
        event_code.as_str(),
        success.as_str(),
    ];
    // Index 3 is merchantReference, the only field that may hold the separator.
    let ambiguous = fields
        .iter()
        .enumerate()
        .any(|(index, field)| index != 3 && field.contains(SEPARATOR));
    if ambiguous {
        return Err("a signed field of the item other than merchantReference holds `:`");
    }
    if psp_reference.is_empty() || event_code.is_empty() {
        return Err("the item lacks its pspReference or eventCode");
    }
    let event_id = [psp_reference.as_str(), &event_code, &success].join(":");
    if event_id.len() > MAX_EVENT_ID_LEN || event_id.chars().any(char::is_control) {
        return Err(
            "the item's pspReference, eventCode or success is too long or holds a control character",
        );
    }
    let signature = item.additional_data.and_then(|data| data.hmac_signature);
    if signature
        .as_ref()
        .is_some_and(|signature| signature.len() > MAX_SIGNATURE_HEADER_LEN)
    {
        return Err("the item's hmacSignature is too long");
    }
    Ok(ItemReading {
        message: fields.join(":").into_bytes(),
        signature,
        event_id,
    })
}

/// The body: unknown fields are skipped; a known one given twice is an
/// error (serde's derive refuses duplicates), so no other parser can read
/// a field this one did not check.
#[derive(Deserialize)]
struct AdyenNotification {
    #[serde(rename = "notificationItems")]
    items: OneItem,
}

/// `[{"NotificationRequestItem": {…}}]`, exactly one element: a second is
/// refused as soon as it starts, before it is built.
struct OneItem(Item);

#[derive(Deserialize)]
struct Element {
    #[serde(rename = "NotificationRequestItem")]
    item: Item,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    psp_reference: Option<String>,
    original_reference: Option<String>,
    merchant_account_code: Option<String>,
    merchant_reference: Option<String>,
    amount: Amount,
    event_code: Option<String>,
    success: Option<String>,
    additional_data: Option<AdditionalData>,
}

/// The Node SDK reads `amount.value` and `amount.currency` unguarded: an
/// item without `amount` throws there, and is refused here.
#[derive(Deserialize)]
struct Amount {
    value: i64,
    currency: Option<String>,
}

#[derive(Deserialize)]
struct AdditionalData {
    #[serde(rename = "hmacSignature")]
    hmac_signature: Option<String>,
}

impl<'de> Deserialize<'de> for OneItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneElement;

        impl<'de> Visitor<'de> for OneElement {
            type Value = OneItem;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an array of exactly one notification item")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneItem, A::Error> {
                let first: Element = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(2, &self));
                }
                Ok(OneItem(first.item))
            }
        }

        deserializer.deserialize_seq(OneElement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(item: &str) -> Vec<u8> {
        format!(r#"{{"live":"false","notificationItems":[{{"NotificationRequestItem":{item}}}]}}"#)
            .into_bytes()
    }

    const ITEM: &str = r#"{"pspReference":"7914073381342284","originalReference":"","merchantAccountCode":"TestMerchant","merchantReference":"order:42","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true","eventDate":"2026-12-02T10:00:00+01:00","additionalData":{"hmacSignature":"c2ln"}}"#;

    #[test]
    fn the_message_is_the_signed_fields_joined_and_the_event_its_reference_code_and_outcome() {
        let reading = SignedItem::AdyenNotification.read(&body(ITEM)).unwrap();
        assert_eq!(
            String::from_utf8(reading.message).unwrap(),
            "7914073381342284::TestMerchant:order:42:1130:EUR:AUTHORISATION:true"
        );
        assert_eq!(reading.signature.as_deref(), Some("c2ln"));
        assert_eq!(reading.event_id, "7914073381342284:AUTHORISATION:true");
    }

    #[test]
    fn absent_and_null_fields_are_empty_as_the_sdk_joins_them() {
        let item = r#"{"pspReference":"P","originalReference":null,"amount":{"value":0},"eventCode":"REPORT_AVAILABLE"}"#;
        let reading = SignedItem::AdyenNotification.read(&body(item)).unwrap();
        assert_eq!(reading.message, b"P::::0::REPORT_AVAILABLE:");
        assert_eq!(reading.signature, None);
    }

    #[test]
    fn what_could_be_read_two_ways_is_refused() {
        let refused = [
            // A signed field twice (most parsers keep the last).
            ITEM.replacen(
                r#""eventCode":"AUTHORISATION""#,
                r#""eventCode":"AUTHORISATION","eventCode":"REFUND""#,
                1,
            ),
            ITEM.replacen(r#""value":1130"#, r#""value":1130,"value":1"#, 1),
            ITEM.replacen(
                r#""hmacSignature":"c2ln""#,
                r#""hmacSignature":"c2ln","hmacSignature":"eA==""#,
                1,
            ),
            // A separator where it would move bytes between fields.
            ITEM.replacen("TestMerchant", "Test:Merchant", 1),
            ITEM.replacen(
                r#""originalReference":"""#,
                r#""originalReference":"a:b""#,
                1,
            ),
            // Other types than Adyen writes.
            ITEM.replacen(r#""value":1130"#, r#""value":"1130""#, 1),
            ITEM.replacen(r#""value":1130"#, r#""value":1130.0"#, 1),
            ITEM.replacen(r#""success":"true""#, r#""success":true"#, 1),
            // No amount (the Node SDK throws), no reference, no event code.
            ITEM.replacen(r#""amount":{"value":1130,"currency":"EUR"},"#, "", 1),
            ITEM.replacen(r#""pspReference":"7914073381342284","#, "", 1),
            ITEM.replacen(r#""eventCode":"AUTHORISATION","#, "", 1),
            // A control character in the event ID.
            ITEM.replacen("AUTHORISATION", "AUTHORISATION\\n", 1),
        ];
        for item in refused {
            assert!(
                SignedItem::AdyenNotification.read(&body(&item)).is_err(),
                "{item}"
            );
        }
        let bodies: [&[u8]; 6] = [
            b"",
            b"[]",
            br#"{"notificationItems":[]}"#,
            br#"{"notificationItems":{}}"#,
            br#"{"notificationItems":[{"NotificationRequestItem":{"pspReference":"P","amount":{"value":1},"eventCode":"E"}},{}]}"#,
            br#"{"notificationItems":[{"NotificationRequestItem":{"pspReference":"P","amount":{"value":1},"eventCode":"E"}}],"notificationItems":[]}"#,
        ];
        for body in bodies {
            assert!(
                SignedItem::AdyenNotification.read(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn deep_nesting_in_an_unsigned_field_is_skipped_without_recursion() {
        // serde_json skips an unknown value with a loop, not the stack:
        // 100 000 levels cost no stack and do not stop the item's fields.
        let deep = format!(
            r#"{{"pspReference":"P","amount":{{"value":1}},"eventCode":"E","reason":{}1{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let reading = SignedItem::AdyenNotification.read(&body(&deep)).unwrap();
        assert_eq!(reading.event_id, "P:E:");
    }

    #[test]
    fn writing_the_signature_keeps_what_is_signed() {
        let body = body(&ITEM.replacen(r#","additionalData":{"hmacSignature":"c2ln"}"#, "", 1));
        let before = SignedItem::AdyenNotification.read(&body).unwrap();
        let written = SignedItem::AdyenNotification
            .write_signature(&body, "dGFn")
            .unwrap();
        let after = SignedItem::AdyenNotification.read(&written).unwrap();
        assert_eq!(after.message, before.message);
        assert_eq!(after.signature.as_deref(), Some("dGFn"));
        assert!(
            SignedItem::AdyenNotification
                .write_signature(b"{}", "dGFn")
                .is_err()
        );
    }
}
