use std::fmt;
use std::time::SystemTime;

use http::{HeaderMap, HeaderValue};

use crate::limits::MAX_EVENT_ID_LEN;
use crate::mac::PreparedKeys;
use crate::scheme::Scheme;
use crate::scheme::definition::MessageValues;
use crate::secret::{KeyRing, SecretError};
use crate::sign::SignError;

/// Produces exactly the headers a [`Verifier`](crate::Verifier) of the same
/// scheme checks: for outgoing webhooks and for test requests.
///
/// Where the signature header carries several signatures (Standard Webhooks,
/// Stripe), the signer signs with every key of its ring, so receivers that
/// hold either the old or the new key accept the request during a rotation;
/// otherwise it signs with the first key. Signature headers are marked
/// sensitive, so HTTP/2 encoders keep them out of their compression tables.
///
/// ```
/// use std::time::SystemTime;
/// use webhook_guard::{Signer, Verifier};
///
/// let signer = Signer::stripe("whsec_test_secret")?;
/// let verifier = Verifier::stripe("whsec_test_secret")?;
/// let body = br#"{"id":"evt_1","object":"event"}"#;
///
/// let headers = signer.sign("evt_1", SystemTime::now(), body)?;
/// assert!(headers["stripe-signature"].is_sensitive());
/// let verified = verifier.verify(&headers, body)?;
/// assert_eq!(verified.event_id(), Some("evt_1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    scheme: Scheme,
    keys: PreparedKeys,
}

impl Signer {
    /// A signer for `scheme` holding `keys`.
    pub fn new(scheme: Scheme, keys: KeyRing) -> Self {
        let prepared = PreparedKeys::new(&keys, scheme.algorithms());
        Self {
            scheme,
            keys: prepared,
        }
    }

    /// Parses `secrets` the scheme's way (first = current key) and builds a
    /// signer holding all of them.
    pub fn from_secrets<I, S>(scheme: Scheme, secrets: I) -> Result<Self, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let keys = scheme.keys(secrets)?;
        Ok(Self::new(scheme, keys))
    }

    /// A [Standard Webhooks](Scheme::standard_webhooks) signer.
    pub fn standard_webhooks(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::standard_webhooks(), [secret])
    }

    /// A [Stripe](Scheme::stripe) signer.
    pub fn stripe(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::stripe(), [secret])
    }

    /// A [GitHub](Scheme::github) signer.
    pub fn github(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::github(), [secret])
    }

    /// A [Slack](Scheme::slack) signer.
    pub fn slack(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::slack(), [secret])
    }

    /// A [Shopify](Scheme::shopify) signer.
    pub fn shopify(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::shopify(), [secret])
    }

    /// The scheme this signer writes.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The headers that authenticate `body` as event `id` sent at `timestamp`.
    ///
    /// `id` goes in the scheme's ID header; where the scheme signs it
    /// (Standard Webhooks) it must not be empty, elsewhere an empty `id`
    /// leaves the header out. Stripe and Slack carry the ID in the body, so
    /// `id` is not used for them. `timestamp` is ignored by schemes that sign
    /// none (GitHub, Shopify).
    pub fn sign(
        &self,
        id: &str,
        timestamp: SystemTime,
        body: &[u8],
    ) -> Result<HeaderMap, SignError> {
        let timestamp_text = match self.scheme.timestamp_unit {
            Some(unit) => unit
                .format(timestamp)
                .ok_or(SignError::TimestampBeforeEpoch)?,
            None => String::new(),
        };
        let id_value = self.id_header_value(id)?;
        let message = self.scheme.message(MessageValues {
            id,
            timestamp: timestamp_text.as_bytes(),
            body,
        });

        let mut headers = HeaderMap::new();
        for set in self
            .scheme
            .header_sets
            .iter()
            .filter(|set| set.written_by_signer)
        {
            let signatures = if set.format.carries_several() {
                self.keys.count()
            } else {
                1
            };
            let tags = self.keys.tags(set.algorithm, &message, signatures);
            let rendered = set
                .format
                .render(&tags, set.encoding, Some(&timestamp_text));
            // Hex, base64 and decimal digits: always a valid header value.
            if let Ok(mut value) = HeaderValue::try_from(rendered) {
                value.set_sensitive(true);
                headers.insert(set.signature.clone(), value);
            }
            if let (Some(name), Ok(value)) =
                (&set.timestamp, HeaderValue::try_from(&timestamp_text))
            {
                headers.insert(name.clone(), value);
            }
            if let (Some(name), Some(value)) = (&set.id, &id_value) {
                headers.insert(name.clone(), value.clone());
            }
        }
        Ok(headers)
    }

    /// The ID header's value, checked: `None` where the scheme sends no ID
    /// header or `id` is empty and unsigned.
    fn id_header_value(&self, id: &str) -> Result<Option<HeaderValue>, SignError> {
        let writes_id = self
            .scheme
            .header_sets
            .iter()
            .any(|set| set.written_by_signer && set.id.is_some());
        if !writes_id {
            return Ok(None);
        }
        if id.is_empty() {
            return if self.scheme.signs_id() {
                Err(SignError::MissingId)
            } else {
                Ok(None)
            };
        }
        let invalid = SignError::InvalidId {
            max: MAX_EVENT_ID_LEN,
        };
        if id.len() > MAX_EVENT_ID_LEN || !id.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(invalid);
        }
        HeaderValue::from_str(id).map(Some).map_err(|_| invalid)
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("provider", &self.scheme.provider)
            .field("keys", &format_args!("[redacted; {}]", self.keys.count()))
            .finish()
    }
}
