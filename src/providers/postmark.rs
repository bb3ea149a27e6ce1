use crate::providers::shape::{IdFrom, SharedTokenHeader};
use crate::providers::{BuiltInProvider, KeyKind};
use crate::scheme::Scheme;
use crate::secret::SecretFormat;

/// Postmark in the provider registry.
pub(crate) const PROVIDER: BuiltInProvider = BuiltInProvider {
    name: "postmark",
    title: "Postmark",
    aliases: &[],
    key_kind: KeyKind::Secret,
    scheme: Scheme::postmark,
    variants: &[],
};

impl Scheme {
    /// [Postmark](https://postmarkapp.com/developer/webhooks/webhooks-overview#protecting-your-webhook)
    /// webhooks protected by HTTP Basic credentials in the URL
    /// (`https://user:password@host/…`).
    ///
    /// `Authorization: Basic <base64(user:password)>`: the key is written
    /// `user:password` ([`SecretFormat::BasicCredentials`]) and compared
    /// in constant time. **Credentials sign nothing**: whoever sees one
    /// request can send any body. Postmark sends no delivery ID (a
    /// message's `MessageID` repeats across its delivery, open and click
    /// events), so deliveries are keyed by their bytes: a retry repeats
    /// them.
    ///
    /// The same scheme guards any sender that can only add HTTP Basic
    /// credentials (see "Senders that do not sign" in the README).
    pub fn postmark() -> Self {
        Self {
            secret_format: SecretFormat::BasicCredentials,
            ..SharedTokenHeader {
                header: "authorization",
                prefix: "Basic ",
                id: IdFrom::Nowhere,
            }
            .scheme(PROVIDER.name)
        }
    }
}
