use std::time::Duration;

use http::HeaderName;

use crate::providers::shape::{one_header_set, prefixed};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::{Algorithm, Encoding, MessagePart, Scheme, TimestampUnit};

/// Twitch EventSub in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "twitch",
    title: "Twitch EventSub",
    aliases: &["eventsub"],
    key_kind: KeyKind::Secret,
    scheme: Scheme::twitch,
    variants: &[],
};

impl Scheme {
    /// [Twitch EventSub](https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message).
    ///
    /// `Twitch-Eventsub-Message-Signature: sha256=<hex>`, HMAC-SHA-256 over
    /// `{message id}{timestamp}{body}` with no separators, keyed with the
    /// subscription's secret as typed. The timestamp is
    /// `Twitch-Eventsub-Message-Timestamp`, RFC 3339 with nanoseconds.
    /// **Tolerance 10 minutes**, as Twitch's docs ask. The event ID is
    /// `Twitch-Eventsub-Message-Id`, which the signature covers and which a
    /// retry keeps.
    ///
    /// Twitch confirms a subscription with a signed
    /// `webhook_callback_verification` message whose `challenge` must come
    /// back as plain text: the guard's Twitch handshake answers it.
    pub fn twitch() -> Self {
        Self {
            tolerance: Some(Duration::from_secs(600)),
            ..one_header_set(
                PROVIDER.name,
                HeaderSet {
                    signature: HeaderName::from_static("twitch-eventsub-message-signature"),
                    format: prefixed("sha256="),
                    algorithm: Algorithm::Sha256,
                    encoding: Encoding::Hex,
                    timestamp: Some(HeaderName::from_static("twitch-eventsub-message-timestamp")),
                    id: Some(HeaderName::from_static("twitch-eventsub-message-id")),
                    written_by_signer: true,
                },
                MessageLayout::unchecked(
                    vec![MessagePart::Id, MessagePart::Timestamp, MessagePart::Body],
                    "an RFC 3339 timestamp starts with four digits and a dash and ends with \
                     `Z` or an offset, and is parsed strictly: a byte moved out of it or into \
                     it leaves no timestamp, so no second split of the signed bytes verifies",
                ),
                Some(TimestampUnit::Rfc3339),
                EventIdSource::Header,
            )
        }
    }
}
