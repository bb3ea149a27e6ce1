use crate::providers::shape::{IdFrom, SharedTokenHeader};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;

/// Okta in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "okta",
    title: "Okta event hooks",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::okta,
    variants: &[],
};

impl Scheme {
    /// [Okta event hooks](https://developer.okta.com/docs/concepts/event-hooks/).
    ///
    /// `Authorization: <value>`: the authentication field's value set on
    /// the hook, sent as it is and compared in constant time. **A static
    /// value signs nothing**: whoever sees one request can send any body.
    /// The event ID is the body's top-level `eventId`.
    ///
    /// Okta verifies a new hook with a one-time `GET` carrying
    /// `X-Okta-Verification-Challenge`: the guard's Okta handshake answers
    /// `{"verification": …}` once the `Authorization` value matches.
    pub fn okta() -> Self {
        SharedTokenHeader {
            header: "authorization",
            prefix: "",
            id: IdFrom::JsonField("eventId"),
        }
        .scheme(PROVIDER.name)
    }
}
