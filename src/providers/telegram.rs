use crate::providers::shape::{IdFrom, SharedTokenHeader};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;
use crate::scheme::event_id::EventIdSource;

/// Telegram in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "telegram",
    title: "Telegram Bot API",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::telegram,
    variants: &[],
};

impl Scheme {
    /// [Telegram Bot API](https://core.telegram.org/bots/api#setwebhook)
    /// webhooks set with a `secret_token`.
    ///
    /// `X-Telegram-Bot-Api-Secret-Token: <token>`: the `secret_token` given
    /// to `setWebhook` (1–256 of `A-Z a-z 0-9 _ -`), sent as it is and
    /// compared in constant time. **A token signs nothing**: whoever sees
    /// one request can send any update. The event ID is the body's
    /// `update_id`, a number, which Telegram keeps when it retries an
    /// update.
    pub fn telegram() -> Self {
        Self {
            event_id: EventIdSource::JsonInteger("update_id"),
            ..SharedTokenHeader {
                header: "x-telegram-bot-api-secret-token",
                prefix: "",
                id: IdFrom::Nowhere,
            }
            .scheme(PROVIDER.name)
        }
    }
}
