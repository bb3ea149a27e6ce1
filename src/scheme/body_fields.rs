/// Where a scheme that signs in the body finds its signature, timestamp and
/// ID: paths of fields in the JSON body (Mailgun's
/// `{"signature": {"timestamp": …, "token": …, "signature": …}}`).
///
/// Nothing of such a request can be checked before its body has arrived:
/// a guard reads every body (within its limit and its budget of unverified
/// bytes) before it can refuse one. The signature covers only what the
/// message layout names — for Mailgun the timestamp and the token, not the
/// rest of the body — so the ID (Mailgun's single-use token) is what a
/// delivery is keyed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyFields {
    pub(crate) signature: &'static [&'static str],
    /// The timestamp's field, for schemes that sign one.
    pub(crate) timestamp: Option<&'static [&'static str]>,
    /// The ID's field, fed as [`MessagePart::Id`](crate::scheme::MessagePart::Id).
    pub(crate) id: Option<&'static [&'static str]>,
}
