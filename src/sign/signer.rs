use std::fmt;
use std::time::SystemTime;

use http::{HeaderMap, HeaderValue, Method};

use crate::crypto::Algorithm;
use crate::limits::{MAX_EVENT_ID_LEN, MAX_SIGNATURES};
use crate::scheme::signed_item::SignedItem;
use crate::scheme::{MessagePart, Scheme, form_parameters};
use crate::secret::PreparedKeys;
use crate::secret::{KeyRing, SecretError};
use crate::sign::SignError;
use crate::verify::url_source;

/// Produces exactly the headers a [`Verifier`](crate::Verifier) of the same
/// scheme checks: for outgoing webhooks and for test requests.
///
/// Where the signature header carries several signatures (Standard Webhooks,
/// Stripe), the signer signs with every key of its ring (up to
/// [`MAX_SIGNATURES`]), so receivers that hold either the old or the new key
/// accept the request during a rotation; otherwise it signs with the first
/// key. Signature headers are marked
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
        let keys = scheme.signing_keys(secrets)?;
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
    ///
    /// A scheme that signs the URL or the method (Twilio, Square) is refused
    /// with [`SignError::NeedsRequest`]: use
    /// [`sign_request`](Self::sign_request).
    pub fn sign(
        &self,
        id: &str,
        timestamp: SystemTime,
        body: &[u8],
    ) -> Result<HeaderMap, SignError> {
        if self.scheme.signs_request() {
            return Err(SignError::NeedsRequest);
        }
        self.sign_with(id, timestamp, body, None)
    }

    /// For a scheme that signs in the body (Mailgun, Adyen): `body`, a JSON
    /// object, with the signature, the timestamp and the ID `id` written
    /// into the scheme's fields (replacing any there). The rest of the body
    /// is kept as its values, re-serialized.
    ///
    /// Adyen's notification item carries its own event (its
    /// `pspReference`, `eventCode` and `success`) and no timestamp: `id`
    /// and `timestamp` are not used, and only the item's `hmacSignature`
    /// is written.
    pub fn sign_into_body(
        &self,
        id: &str,
        timestamp: SystemTime,
        body: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        let refuse = |reason| SignError::BodyFields { reason };
        if let Some(item) = self.scheme.signed_item {
            return self.sign_item(item, body);
        }
        let fields = self.scheme.body_fields.as_ref().ok_or(refuse(
            "this scheme signs in headers: sign with `sign` or `sign_request`",
        ))?;
        let mut value: serde_json::Value =
            serde_json::from_slice(body).map_err(|_| refuse("the body is not JSON"))?;
        if !value.is_object() {
            return Err(refuse("the body is not a JSON object"));
        }
        let timestamp_text = match self.scheme.timestamp_unit {
            Some(unit) => unit
                .format(timestamp)
                .ok_or(SignError::TimestampBeforeEpoch)?,
            None => String::new(),
        };
        if fields.id.is_some() {
            if id.is_empty() {
                return Err(SignError::MissingId);
            }
            if id.len() > MAX_EVENT_ID_LEN || id.chars().any(char::is_control) {
                return Err(SignError::InvalidId {
                    max: MAX_EVENT_ID_LEN,
                });
            }
            if !self.scheme.id_is_unambiguous(id) {
                return Err(SignError::AmbiguousId);
            }
        }
        // The fields are written after signing: the signed message must
        // not hold the body they change.
        let signs_body = self.scheme.message.parts().iter().any(|part| {
            matches!(
                part,
                MessagePart::Body | MessagePart::BodyCrc32 | MessagePart::FormParameters
            )
        });
        if signs_body {
            return Err(refuse(
                "this scheme signs the body its signature is written into",
            ));
        }
        let message = self.scheme.message(id, timestamp_text.as_bytes(), b"");
        let set = &self.scheme.header_sets[0];
        if self.keys.signing_count(set.algorithm) == 0 {
            return Err(SignError::NoSigningKey);
        }
        let tags = self.keys.tags(set.algorithm, &message, 1);
        let tag = tags.first().ok_or(SignError::SigningFailed)?;
        let mut write = |path: &[&str], text: &str| {
            let mut at = &mut value;
            for field in path {
                if !at.is_object() {
                    *at = serde_json::Value::Object(serde_json::Map::new());
                }
                at = at
                    .as_object_mut()
                    .expect("made an object above")
                    .entry(*field)
                    .or_insert(serde_json::Value::Null);
            }
            *at = serde_json::Value::String(text.to_owned());
        };
        write(fields.signature, &set.encoding.encode(tag.as_slice()));
        if let Some(path) = fields.timestamp {
            write(path, &timestamp_text);
        }
        if let Some(path) = fields.id {
            write(path, id);
        }
        serde_json::to_vec(&value).map_err(|_| refuse("the body could not be written"))
    }

    /// Adyen: the item's signed fields signed, the signature written into
    /// the item. The ID and timestamp are the item's own.
    fn sign_item(&self, item: SignedItem, body: &[u8]) -> Result<Vec<u8>, SignError> {
        let refuse = |reason| SignError::BodyFields { reason };
        let reading = item.read(body).map_err(refuse)?;
        let set = &self.scheme.header_sets[0];
        if self.keys.signing_count(set.algorithm) == 0 {
            return Err(SignError::NoSigningKey);
        }
        let tags = self
            .keys
            .tags(set.algorithm, &reading.message.as_slice(), 1);
        let tag = tags.first().ok_or(SignError::SigningFailed)?;
        item.write_signature(body, &set.encoding.encode(tag.as_slice()))
            .map_err(refuse)
    }

    /// The headers that authenticate a request of `method` to `url` with
    /// `body`, as event `id` sent at `timestamp`: for schemes that sign the
    /// URL or the method, and the same as [`sign`](Self::sign) for others.
    ///
    /// `url` is the whole URL the request goes to, query included. For
    /// Twilio with a body that is not a form (JSON), the URL must carry the
    /// body's SHA-256 in hex as `bodySHA256`, as Twilio sends it:
    /// [`Signer::url_with_body_digest`] adds it.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use webhook_guard::{Scheme, Signer, Verifier};
    ///
    /// let url = "https://example.com/hooks/twilio";
    /// let signer = Signer::from_secrets(Scheme::twilio(), ["auth token"])?;
    /// let body = b"From=%2B14158675310&Body=hello";
    /// let headers = signer.sign_request(&http::Method::POST, url, "", SystemTime::now(), body)?;
    ///
    /// let mut request = http::Request::post("/internal/twilio").body(())?;
    /// *request.headers_mut() = headers;
    /// let (parts, ()) = request.into_parts();
    /// let verifier = Verifier::from_secrets(Scheme::twilio(), ["auth token"])?.with_public_url(url)?;
    /// assert!(verifier.verify_request_at((&parts).into(), body, SystemTime::now()).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_request(
        &self,
        method: &Method,
        url: &str,
        id: &str,
        timestamp: SystemTime,
        body: &[u8],
    ) -> Result<HeaderMap, SignError> {
        self.sign_with(id, timestamp, body, Some((method, url)))
    }

    /// Signs `request` as event `id` sent at `timestamp`: its method, its
    /// URI (absolute, for schemes that sign the URL: the URL the verifier
    /// is configured with) and its body are signed, and the signature
    /// headers inserted, replacing any of the same name. For a scheme that
    /// signs in the body, use [`sign_into_body`](Self::sign_into_body).
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use webhook_guard::{Signer, Verifier};
    ///
    /// let mut request = http::Request::post("/webhooks/github").body(br#"{"zen":"hi"}"#.to_vec())?;
    /// Signer::github("s3cr3t")?.sign_http_request(&mut request, "delivery-1", SystemTime::now())?;
    /// let verified = Verifier::github("s3cr3t")?.verify(request.headers(), request.body())?;
    /// assert_eq!(verified.event_id(), Some("delivery-1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_http_request<B: AsRef<[u8]>>(
        &self,
        request: &mut http::Request<B>,
        id: &str,
        timestamp: SystemTime,
    ) -> Result<(), SignError> {
        let url = request.uri().to_string();
        let headers = self.sign_request(
            request.method(),
            &url,
            id,
            timestamp,
            request.body().as_ref(),
        )?;
        for name in headers.keys() {
            request.headers_mut().remove(name);
        }
        for (name, value) in &headers {
            request.headers_mut().append(name.clone(), value.clone());
        }
        Ok(())
    }

    /// `url` with the body's SHA-256 appended as the scheme's digest query
    /// parameter (Twilio's `bodySHA256`), for signing a JSON body; `url`
    /// itself for schemes without one.
    pub fn url_with_body_digest(&self, url: &str, body: &[u8]) -> String {
        use sha2::Digest as _;
        match self.scheme.url_rules.body_digest_query {
            Some(name) => {
                let joiner = if url.contains('?') { '&' } else { '?' };
                format!(
                    "{url}{joiner}{name}={}",
                    hex::encode(sha2::Sha256::digest(body))
                )
            }
            None => url.to_owned(),
        }
    }

    fn sign_with(
        &self,
        id: &str,
        timestamp: SystemTime,
        body: &[u8],
        request: Option<(&Method, &str)>,
    ) -> Result<HeaderMap, SignError> {
        if self.scheme.signs_in_the_body() {
            return Err(SignError::BodyFields {
                reason: "this scheme signs in the body: sign with `sign_into_body`",
            });
        }
        let timestamp_text = match self.scheme.timestamp_unit {
            Some(unit) => unit
                .format(timestamp)
                .ok_or(SignError::TimestampBeforeEpoch)?,
            None => String::new(),
        };
        let id_value = self.id_header_value(id)?;
        let mut message = self.scheme.message(id, timestamp_text.as_bytes(), body);
        let form;
        if let Some((method, url)) = request {
            let rules = self.scheme.url_rules;
            let digest = rules.body_digest_query.and_then(|name| {
                url_source::query_value(url.split_once('?').map(|(_, query)| query), name)
            });
            form = match digest {
                Some(expected) => {
                    use sha2::Digest as _;
                    if hex::encode(sha2::Sha256::digest(body)) != expected {
                        return Err(SignError::BodyDigestMismatch);
                    }
                    Vec::new()
                }
                None if self.scheme.signs_form_parameters() => {
                    form_parameters::sorted_name_values(body, self.scheme.url_rules.form_names_once)
                        .map_err(|_| SignError::MalformedForm)?
                }
                None => Vec::new(),
            };
            message.method = method.as_str().as_bytes();
            message.url = url.as_bytes();
            message.form = &form;
        }

        let mut headers = HeaderMap::new();
        for set in self
            .scheme
            .header_sets
            .iter()
            .filter(|set| set.written_by_signer)
        {
            let keys = self.keys.signing_count(set.algorithm);
            if keys == 0 {
                // No key of this set's kind (a Standard Webhooks ring of
                // `whsec_` secrets writes no `v1a` entry).
                continue;
            }
            // A verifier accepts at most MAX_SIGNATURES entries in one
            // header: past that, the oldest keys are left out.
            let written = headers
                .get(&set.signature)
                .map_or(0, |value| value.as_bytes().split(|b| *b == b' ').count());
            let signatures = if set.format.carries_several() {
                keys.min(MAX_SIGNATURES.saturating_sub(written))
            } else {
                1
            };
            if signatures == 0 {
                continue;
            }
            let mut rendered = if set.algorithm == Algorithm::SharedToken {
                // No signature: the token itself, as it is.
                let mut tokens = self.keys.tokens(1);
                let token = tokens.next().ok_or(SignError::NoSigningKey)?;
                set.format
                    .render_verbatim(token)
                    .ok_or_else(|| SignError::Unencodable {
                        name: set.signature.clone(),
                    })?
            } else {
                let tags = self.keys.tags(set.algorithm, &message, signatures);
                if tags.len() != signatures {
                    return Err(SignError::SigningFailed);
                }
                set.format
                    .render(&tags, set.encoding, Some(&timestamp_text))
            };
            if let Some(earlier) = headers.get(&set.signature) {
                // Sets sharing a header (Standard Webhooks `v1` and `v1a`)
                // write their entries side by side.
                rendered = format!("{} {rendered}", earlier.to_str().unwrap_or_default());
            }
            // Hex, base64, digits and a prefix `GenericScheme::build` checked:
            // always a valid header value, but fail rather than skip if not.
            let unencodable = || SignError::Unencodable {
                name: set.signature.clone(),
            };
            let mut value = HeaderValue::try_from(rendered).map_err(|_| unencodable())?;
            value.set_sensitive(true);
            headers.insert(set.signature.clone(), value);
            if let Some(name) = &set.timestamp {
                let value = HeaderValue::try_from(&timestamp_text).map_err(|_| unencodable())?;
                headers.insert(name.clone(), value);
            }
            if let (Some(name), Some(value)) = (&set.id, &id_value) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if headers.is_empty() {
            return Err(SignError::NoSigningKey);
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
        if self.scheme.signs_id() && !self.scheme.id_is_unambiguous(id) {
            return Err(SignError::AmbiguousId);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Verifier;

    #[test]
    fn a_signer_with_more_keys_than_a_verifier_reads_still_verifies() {
        let secrets: Vec<String> = (0..20).map(|i| format!("whsec_key{i}")).collect();
        let signer = Signer::from_secrets(Scheme::stripe(), &secrets).unwrap();
        let verifier = Verifier::from_secrets(Scheme::stripe(), &secrets).unwrap();
        let now = SystemTime::now();
        let headers = signer.sign("", now, b"{}").unwrap();
        let entries = headers["stripe-signature"]
            .to_str()
            .unwrap()
            .matches("v1=")
            .count();
        assert_eq!(entries, MAX_SIGNATURES);
        assert_eq!(
            verifier
                .verify_at(&headers, b"{}", now)
                .unwrap()
                .key_index(),
            0
        );
    }

    #[test]
    fn a_scheme_that_signs_the_id_needs_one() {
        let signer = Signer::standard_webhooks("whsec_c2VjcmV0").unwrap();
        let now = SystemTime::now();
        assert_eq!(
            signer.sign("", now, b"{}").unwrap_err(),
            SignError::MissingId
        );
        assert!(matches!(
            signer.sign("bad id", now, b"{}").unwrap_err(),
            SignError::InvalidId { .. }
        ));
        assert_eq!(
            signer.sign(
                "msg_1",
                std::time::UNIX_EPOCH - std::time::Duration::from_secs(1),
                b"{}"
            ),
            Err(SignError::TimestampBeforeEpoch)
        );
    }

    #[test]
    fn debug_is_redacted() {
        let signer = Signer::github("topsecret").unwrap();
        let printed = format!("{signer:?}");
        assert!(!printed.contains("topsecret"));
        assert!(printed.contains("[redacted; 1]"));
    }
}
