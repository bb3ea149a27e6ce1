use std::fmt;
use std::time::{Duration, SystemTime};

use http::HeaderMap;

use crate::crypto::{Algorithm, Candidates, Message, ReceivedSignature};
use crate::limits::{MAX_EVENT_ID_LEN, MAX_SIGNATURE_HEADER_LEN, MAX_SIGNATURES};
use crate::scheme::Scheme;
use crate::scheme::body_fields::BodyFields;
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::json_field;
use crate::scheme::signature_header_error::SignatureHeaderError;
use crate::scheme::signed_item::SignedItem;
use crate::scheme::{MessagePart, form_parameters};
use crate::secret::{KeyRing, PreparedKeys, PreparedMessage, SecretError};
use crate::verify::header_reader::{required_header, single_value, visible_ascii};
use crate::verify::url_source::{self, UrlSource};
use crate::verify::{RequestHead, UrlError, Verified, VerifyError};

/// Checks that a request is authentic and fresh: pure, synchronous, no I/O.
///
/// Built from a [`Scheme`] and a [`KeyRing`]; every key is keyed into HMAC
/// state once, here, and each request clones that state. [`verify_at`]
/// takes the clock as an argument, so tests (and replayed vectors) pin it;
/// [`verify`] reads the system clock.
///
/// For every request, in order: pick the scheme's header set, read the
/// signature header (at most [`MAX_SIGNATURE_HEADER_LEN`] bytes and
/// [`MAX_SIGNATURES`] entries, decoded onto the stack), check the timestamp
/// against the tolerance in both directions *before* any MAC is computed,
/// then compute the MAC over the exact signed bytes once per key and compare
/// it in constant time with every candidate.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use http::HeaderMap;
/// use webhook_guard::Verifier;
///
/// // The official Standard Webhooks test vector.
/// let verifier = Verifier::standard_webhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let mut headers = HeaderMap::new();
/// headers.insert("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek".parse()?);
/// headers.insert("webhook-timestamp", "1614265330".parse()?);
/// headers.insert("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=".parse()?);
/// let body = br#"{"test": 2432232314}"#;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1614265330);
/// let verified = verifier.verify_at(&headers, body, now)?;
/// assert_eq!(verified.event_id(), Some("msg_p5jXN8AQM9LWM0D4loKWxJek"));
///
/// // Ten minutes later the same request is stale.
/// let later = now + Duration::from_secs(600);
/// assert_eq!(verifier.verify_at(&headers, body, later).unwrap_err().reason(), "timestamp_out_of_tolerance");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`verify_at`]: Verifier::verify_at
/// [`verify`]: Verifier::verify
#[derive(Clone)]
pub struct Verifier {
    scheme: Scheme,
    keys: PreparedKeys,
    tolerance: Duration,
    url: UrlSource,
    /// What every verified request of the scheme reports, read once.
    event_id_signed: bool,
    body_signed: bool,
}

impl Verifier {
    /// How far a signed timestamp may lie from the clock, either way, unless
    /// the provider's SDK sets its own (Paddle: 5 s) or
    /// [`with_tolerance`](Verifier::with_tolerance) says otherwise: 300 s,
    /// what Stripe, Slack and Standard Webhooks recommend.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

    /// A verifier for `scheme` accepting any key of `keys`.
    pub fn new(scheme: Scheme, keys: KeyRing) -> Self {
        let prepared = PreparedKeys::new(&keys, scheme.algorithms());
        Self {
            tolerance: scheme.tolerance.unwrap_or(Self::DEFAULT_TOLERANCE),
            event_id_signed: scheme.event_id_is_signed(),
            body_signed: scheme.signs_the_whole_body(),
            scheme,
            keys: prepared,
            url: UrlSource::Request,
        }
    }

    /// Parses `secrets` the scheme's way (first = current key) and builds a
    /// verifier accepting any of them.
    pub fn from_secrets<I, S>(scheme: Scheme, secrets: I) -> Result<Self, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let keys = scheme.keys(secrets)?;
        Ok(Self::new(scheme, keys))
    }

    /// A [Standard Webhooks](Scheme::standard_webhooks) verifier for one
    /// `whsec_…` secret.
    pub fn standard_webhooks(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::standard_webhooks(), [secret])
    }

    /// A [Stripe](Scheme::stripe) verifier for one `whsec_…` signing secret.
    pub fn stripe(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::stripe(), [secret])
    }

    /// A [GitHub](Scheme::github) verifier (SHA-256 only) for one webhook
    /// secret.
    pub fn github(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::github(), [secret])
    }

    /// A [Slack](Scheme::slack) verifier for one signing secret.
    pub fn slack(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::slack(), [secret])
    }

    /// A [Shopify](Scheme::shopify) verifier for one client secret.
    pub fn shopify(secret: &str) -> Result<Self, SecretError> {
        Self::from_secrets(Scheme::shopify(), [secret])
    }

    /// Sets how far a signed timestamp may lie from the clock, in the past or
    /// the future. Ignored by schemes that sign no timestamp.
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Sets the URL the sender signs, as the provider's dashboard shows it
    /// (`https://example.com/hooks/twilio`), for schemes that sign the URL
    /// (Twilio, Square). Behind a proxy or a load balancer the server sees
    /// another scheme, host, port or path, so the verifier does not rebuild
    /// the URL from the request: it uses this one exactly, and takes from
    /// the request only what the sender adds to it (Twilio's `bodySHA256`
    /// for JSON bodies). Ignored by schemes that sign no URL.
    ///
    /// ```
    /// use webhook_guard::{Scheme, Verifier};
    ///
    /// let verifier = Verifier::from_secrets(Scheme::twilio(), ["auth token"])?
    ///     .with_public_url("https://example.com/hooks/twilio")?;
    /// assert!(Verifier::from_secrets(Scheme::twilio(), ["auth token"])?.with_public_url("/hooks").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_public_url(mut self, url: &str) -> Result<Self, UrlError> {
        self.url = UrlSource::public(url)?;
        Ok(self)
    }

    /// Rebuilds the URL the sender signed from the request, trusting the
    /// forwarding headers a proxy sets: the scheme from `Forwarded: proto=`
    /// or `X-Forwarded-Proto`, the host from `Forwarded: host=`,
    /// `X-Forwarded-Host` or `Host`, the path and query from the request.
    ///
    /// Only behind a proxy that sets (and overwrites) these headers: anyone
    /// can send them. The query is then the request's own, so a request can
    /// move bytes between the query and what the scheme signs right after
    /// the URL (Twilio's form parameters, Square's body), as with the
    /// providers' SDKs; [`with_public_url`](Self::with_public_url) pins the
    /// URL and is the better choice.
    #[must_use]
    pub fn with_forwarded_headers(mut self) -> Self {
        self.url = UrlSource::Forwarded;
        self
    }

    /// The freshness tolerance.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// The scheme this verifier checks.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// One short fingerprint per key (a MAC of a fixed label, not the key),
    /// for the namespace check of a shared store: guards whose key sets
    /// share none belong to different senders.
    pub(crate) fn key_fingerprints(&self) -> Vec<[u8; 8]> {
        self.keys.fingerprints(b"webhook-guard namespace owner")
    }

    /// Verifies a request against the system clock.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verified, VerifyError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// Checks everything the headers alone decide, as if the clock read
    /// `now`: the signature header is present and well-formed with a
    /// signature of the checked version, the timestamp is fresh, the event
    /// ID is well-formed. No MAC is computed and no body is needed — a
    /// guard runs this before reading a byte of the body, so a request that
    /// cannot verify costs no upload. [`verify_at`](Self::verify_at) checks
    /// the same again, then the signature.
    pub fn check_headers_at(
        &self,
        headers: &HeaderMap,
        now: SystemTime,
    ) -> Result<(), VerifyError> {
        if self.scheme.signs_in_the_body() {
            // Everything it checks is in the body.
            return Ok(());
        }
        self.read_headers(headers, now, |_, _| Ok(()))
    }

    /// Verifies a request as if the clock read `now`.
    ///
    /// `body` is the exact raw bytes received; it need not be UTF-8. A
    /// scheme that signs the URL, the method or the form parameters
    /// ([`Scheme::signs_request`]) is refused here with
    /// [`VerifyError::NeedsRequest`]: use
    /// [`verify_request_at`](Self::verify_request_at).
    pub fn verify_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        if self.scheme.signs_request() {
            return Err(VerifyError::NeedsRequest);
        }
        if let Some(fields) = &self.scheme.body_fields {
            return self.verify_body_fields(fields, body, now, None);
        }
        if let Some(item) = self.scheme.signed_item {
            return self.verify_signed_item(item, body);
        }
        let verify = |facts: HeaderFacts<'_>, candidates: &Candidates| {
            self.verify_signature(facts, candidates, body, None)
        };
        // Returned as it is where the body carries no send time: the hot
        // path moves no `Verified` through another call.
        if self.scheme.body_timestamp.is_none() {
            return self.read_headers(headers, now, verify);
        }
        let verified = self.read_headers(headers, now, verify)?;
        self.check_body_timestamp(verified, body, now)
    }

    /// Verifies a request, given its head (method, URI, headers) and raw
    /// body, as if the clock read `now`: what the guards call, and what a
    /// scheme that signs the URL or the method needs. For other schemes it
    /// is [`verify_at`](Self::verify_at) with the head's headers.
    pub fn verify_request_at(
        &self,
        head: RequestHead<'_>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        if let Some(fields) = &self.scheme.body_fields {
            return self.verify_body_fields(fields, body, now, Some(&head));
        }
        if let Some(item) = self.scheme.signed_item {
            return self.verify_signed_item(item, body);
        }
        let verify = |facts: HeaderFacts<'_>, candidates: &Candidates| {
            self.verify_signature(facts, candidates, body, Some(&head))
        };
        if self.scheme.body_timestamp.is_none() {
            return self.read_headers(head.headers(), now, verify);
        }
        let verified = self.read_headers(head.headers(), now, verify)?;
        self.check_body_timestamp(verified, body, now)
    }

    /// For a scheme that keeps its send time in the signed body (Linear's
    /// `webhookTimestamp`, milliseconds): freshness, read only once the
    /// signature matched, when the field is authentic. A body without it
    /// is refused, never let through unchecked.
    fn check_body_timestamp(
        &self,
        verified: Verified,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        let Some(field) = self.scheme.body_timestamp else {
            return Ok(verified);
        };
        let millis: u64 = json_field::top_level_integer(body, field)
            .and_then(|digits| digits.parse().ok())
            .ok_or(VerifyError::MalformedBody {
                reason: "the body lacks its signed timestamp field, or it is not a time in milliseconds",
            })?;
        let time = SystemTime::UNIX_EPOCH
            .checked_add(Duration::from_millis(millis))
            .ok_or(VerifyError::MalformedBody {
                reason: "the body's signed timestamp is out of range",
            })?;
        self.check_freshness(time, now)?;
        Ok(verified.with_timestamp(time))
    }

    /// For a scheme that signs in the body (Mailgun): the signature,
    /// timestamp and ID read from the body's fields, the timestamp checked
    /// before any MAC, then the signature check proper.
    fn verify_body_fields(
        &self,
        fields: &BodyFields,
        body: &[u8],
        now: SystemTime,
        head: Option<&RequestHead<'_>>,
    ) -> Result<Verified, VerifyError> {
        let set = &self.scheme.header_sets[0];
        let malformed = |reason| VerifyError::MalformedBody { reason };
        // The handler's JSON parser must read the fields checked here: a
        // key twice where they are (most parsers keep the last, this one
        // the first) is refused.
        let paths = [Some(fields.signature), fields.timestamp, fields.id];
        let unambiguous = json_field::keys_are_unique(body, &[])
            && paths.into_iter().flatten().all(|path| {
                path.len() < 2 || json_field::keys_are_unique(body, &path[..path.len() - 1])
            });
        if !unambiguous {
            return Err(malformed(
                "the body repeats a key of its signature's object, or is no JSON object",
            ));
        }
        let signature = json_field::string_at(body, fields.signature, MAX_SIGNATURE_HEADER_LEN)
            .ok_or(malformed("the body lacks its signature field"))?;
        let mut candidates = Candidates::new(set.algorithm);
        candidates
            .push(signature.as_bytes(), set.encoding)
            .map_err(|_| malformed("the body's signature is not correctly encoded"))?;

        let timestamp_text;
        let (timestamp_raw, timestamp) = match (fields.timestamp, self.scheme.timestamp_unit) {
            (Some(path), Some(unit)) => {
                timestamp_text = json_field::string_at(body, path, unit.max_len())
                    .ok_or(malformed("the body lacks its timestamp field"))?;
                let time = unit
                    .parse(timestamp_text.as_bytes())
                    .ok_or(malformed("the body's timestamp is not a timestamp"))?;
                // Freshness before any MAC: a stale request costs no hashing.
                self.check_freshness(time, now)?;
                (timestamp_text.as_bytes(), Some(time))
            }
            (None, None) => (&b""[..], None),
            // A timestamp the scheme signs but cannot find (or the other
            // way round) fails closed rather than skip freshness.
            _ => return Err(malformed("the scheme's timestamp field and unit disagree")),
        };
        let id = match fields.id {
            Some(path) => Some(
                json_field::string_at(body, path, MAX_EVENT_ID_LEN)
                    .ok_or(malformed("the body lacks its ID field"))?,
            ),
            None => None,
        };
        let id = id.as_deref();
        if id.is_some_and(|id| !self.scheme.id_is_unambiguous(id)) {
            return Err(malformed(
                "the event ID holds a byte of the separator that follows it in the signed message",
            ));
        }
        let facts = HeaderFacts {
            set,
            timestamp_raw,
            timestamp,
            id,
        };
        self.verify_signature(facts, &candidates, body, head)
    }

    /// For a scheme that signs one item of its body (Adyen): the item read
    /// and its signature checked against the item's signed fields. No
    /// timestamp is signed; the event ID is made of signed fields.
    fn verify_signed_item(&self, item: SignedItem, body: &[u8]) -> Result<Verified, VerifyError> {
        let set = &self.scheme.header_sets[0];
        let malformed = |reason| VerifyError::MalformedBody { reason };
        let reading = item.read(body).map_err(malformed)?;
        let signature = reading
            .signature
            .ok_or(malformed("the item carries no signature"))?;
        let mut candidates = Candidates::new(set.algorithm);
        candidates
            .push(signature.as_bytes(), set.encoding)
            .map_err(|_| malformed("the item's signature is not correctly encoded"))?;
        let (key_index, matched) = self
            .keys
            .find_match(set.algorithm, &reading.message.as_slice(), &candidates)
            .ok_or(VerifyError::SignatureMismatch)?;
        Ok(Verified {
            provider: self.scheme.provider.clone(),
            event_id: Some(reading.event_id.into_boxed_str()),
            event_id_signed: self.event_id_signed,
            timestamp: None,
            key_index,
            signature: ReceivedSignature::new(candidates.get(matched).unwrap_or_default()),
            main_tag: None,
            payload_format: self.scheme.payload_format,
            body_signed: self.body_signed,
        })
    }

    /// Reads and checks the headers, then hands what they say and the
    /// decoded signatures (on the stack) to `then`.
    ///
    /// The first signature header present decides; where several header
    /// sets read it (Standard Webhooks `v1` and `v1a`), each set this
    /// verifier holds keys for is tried in turn, and the first that `then`
    /// accepts wins.
    fn read_headers<T>(
        &self,
        headers: &HeaderMap,
        now: SystemTime,
        mut then: impl FnMut(HeaderFacts<'_>, &Candidates) -> Result<T, VerifyError>,
    ) -> Result<T, VerifyError> {
        let (first, signature_values) =
            self.scheme
                .select(headers)
                .ok_or_else(|| VerifyError::MissingHeader {
                    name: self.scheme.signature_header().clone(),
                })?;
        let name = &self.scheme.header_sets[first].signature;
        let signature_header = single_value(name, signature_values, MAX_SIGNATURE_HEADER_LEN)?
            .ok_or_else(|| VerifyError::MissingHeader { name: name.clone() })?
            .as_bytes();

        let mut failure = None;
        for set in self
            .scheme
            .sets_sharing(first)
            .filter(|set| self.keys.verifies(set.algorithm))
        {
            let mut candidates = Candidates::new(set.algorithm);
            let embedded_timestamp =
                match set
                    .format
                    .parse(signature_header, set.encoding, &mut candidates)
                {
                    Ok(embedded) => embedded,
                    Err(error) => {
                        failure.get_or_insert(signature_error(error, set));
                        continue;
                    }
                };

            // Freshness before any MAC: a stale request costs no hashing.
            let (timestamp_raw, timestamp) =
                self.fresh_timestamp(headers, set, embedded_timestamp, now)?;
            let id = self.header_id(headers, set)?;

            if candidates.is_empty() {
                // Entries of the checked version were there, but none decodes.
                failure = Some(VerifyError::SignatureMismatch);
                continue;
            }
            let facts = HeaderFacts {
                set,
                timestamp_raw,
                timestamp,
                id,
            };
            match then(facts, &candidates) {
                Ok(verified) => return Ok(verified),
                // A mismatch says more than another set's missing version.
                Err(error) => failure = Some(error),
            }
        }
        // No set this verifier holds keys for reads the header present.
        Err(failure.unwrap_or_else(|| VerifyError::NoSupportedSignature { name: name.clone() }))
    }

    /// The signature check proper: one MAC per key over the signed bytes
    /// (or one public-key verification per key and signature).
    fn verify_signature(
        &self,
        HeaderFacts {
            set,
            timestamp_raw,
            timestamp,
            id,
        }: HeaderFacts<'_>,
        candidates: &Candidates,
        body: &[u8],
        head: Option<&RequestHead<'_>>,
    ) -> Result<Verified, VerifyError> {
        let mut message = self
            .scheme
            .message(id.unwrap_or_default(), timestamp_raw, body);
        let request = match head {
            Some(head) if self.scheme.signs_request() => Some(self.request_parts(head, body)?),
            Some(_) => None,
            None if self.scheme.signs_request() => return Err(VerifyError::NeedsRequest),
            None => None,
        };
        // A public-key check hashes the message once, and the fingerprint
        // reuses that hash.
        let mut prepared = None;
        let matched = match &request {
            None if !set.algorithm.uses_shared_secret() => {
                let ready = PreparedMessage::new(set.algorithm, &message);
                let matched = self
                    .keys
                    .find_public_match(set.algorithm, &ready, candidates);
                prepared = Some(ready);
                matched
            }
            None => self.keys.find_match(set.algorithm, &message, candidates),
            Some(request) => {
                message.method = request.method.as_bytes();
                message.form = &request.form;
                // Each spelling of the URL the sender may have signed, in turn.
                request.urls.iter().flatten().find_map(|url| {
                    message.url = url.as_bytes();
                    self.keys.find_match(set.algorithm, &message, candidates)
                })
            }
        };
        let (key_index, matched) = matched.ok_or(VerifyError::SignatureMismatch)?;
        let received = candidates.get(matched).unwrap_or_default();
        Ok(Verified {
            provider: self.scheme.provider.clone(),
            event_id: self.event_id(id, body),
            event_id_signed: self.event_id_signed,
            timestamp,
            key_index,
            signature: ReceivedSignature::new(received),
            main_tag: self.fingerprint_source(set, key_index, &message, prepared.as_ref()),
            payload_format: self.scheme.payload_format,
            body_signed: self.body_signed,
        })
    }

    /// What a delivery's fingerprint is derived from, where it is not the
    /// received signature itself: `None` when it is.
    ///
    /// The fingerprint must be the same for every valid signature of one
    /// delivery. An HMAC tag is a keyed function of the message, so the tag
    /// of the scheme's main header set serves (a delivery verified through
    /// GitHub's legacy SHA-1 header is the same delivery as through the
    /// SHA-256 one; only that rare path needs a second MAC). A public-key
    /// signature is not: ECDSA signatures are randomized and malleable
    /// (`s` ↔ `n − s`), so two valid signatures of one message differ, and
    /// the fingerprint comes from a digest of the signed message instead.
    fn fingerprint_source(
        &self,
        set: &HeaderSet,
        key_index: usize,
        message: &impl Message,
        prepared: Option<&PreparedMessage>,
    ) -> Option<Box<[u8]>> {
        if !set.algorithm.identifies_message() {
            let sha256 = match prepared {
                Some(prepared) => prepared.sha256_of_message(),
                None => PreparedMessage::new(Algorithm::Sha256, message).sha256_of_message(),
            };
            return Some(Box::from(message_digest(&sha256).as_slice()));
        }
        let main = self
            .scheme
            .header_sets
            .iter()
            .find(|main| main.algorithm.identifies_message())
            .unwrap_or(set);
        (main.algorithm != set.algorithm)
            .then(|| self.keys.tag_with(main.algorithm, key_index, message))
            .flatten()
            .map(|tag| Box::from(tag.as_slice()))
    }

    /// The parts of the request the scheme signs: the method, each spelling
    /// of the URL the sender may have signed, and the form parameters —
    /// or, where the URL carries the body's digest, no form parameters and
    /// a body that must hash to that digest.
    fn request_parts(
        &self,
        head: &RequestHead<'_>,
        body: &[u8],
    ) -> Result<RequestParts, VerifyError> {
        let rules = self.scheme.url_rules;
        let url = self.url.signed_url(head, rules.body_digest_query)?;
        let digest = rules
            .body_digest_query
            .and_then(|name| url_source::query_value(url.split_once('?').map(|(_, q)| q), name));
        let form = match digest {
            Some(expected) => {
                use sha2::Digest as _;
                // Public bytes (the body, its published digest): no need
                // for a constant-time comparison.
                if hex::encode(sha2::Sha256::digest(body)) != expected {
                    return Err(VerifyError::SignatureMismatch);
                }
                Vec::new()
            }
            None if self
                .scheme
                .message
                .parts()
                .contains(&MessagePart::FormParameters) =>
            {
                form_parameters::sorted_name_values(body, rules.form_names_once)?
            }
            None => Vec::new(),
        };
        let urls = if rules.port_variants {
            url_source::port_variants(&url)
        } else {
            [Some(url), None]
        };
        Ok(RequestParts {
            method: head.method().as_str().to_owned(),
            urls,
            form,
        })
    }

    /// The signed timestamp as sent and as a time, checked against the
    /// tolerance; `("", None)` for schemes that sign none.
    fn fresh_timestamp<'h>(
        &self,
        headers: &'h HeaderMap,
        set: &HeaderSet,
        embedded: Option<&'h [u8]>,
        now: SystemTime,
    ) -> Result<(&'h [u8], Option<SystemTime>), VerifyError> {
        let Some(unit) = self.scheme.timestamp_unit else {
            return Ok((b"", None));
        };
        let (raw, source) = match &set.timestamp {
            Some(name) => (
                required_header(headers, name, unit.max_len())?.as_bytes(),
                name,
            ),
            None => (embedded.unwrap_or_default(), &set.signature),
        };
        let time = unit
            .parse(raw)
            .ok_or_else(|| VerifyError::MalformedTimestamp {
                name: source.clone(),
            })?;
        self.check_freshness(time, now)?;
        Ok((raw, Some(time)))
    }

    /// The event ID header's value, where the header set has one: required
    /// when the scheme signs it, optional otherwise.
    fn header_id<'h>(
        &self,
        headers: &'h HeaderMap,
        set: &HeaderSet,
    ) -> Result<Option<&'h str>, VerifyError> {
        let Some(name) = &set.id else {
            return Ok(None);
        };
        let value = if self.scheme.signs_id() {
            Some(required_header(headers, name, MAX_EVENT_ID_LEN)?)
        } else {
            single_value(name, headers.get_all(name), MAX_EVENT_ID_LEN)?
        };
        let id = value.map(|value| visible_ascii(name, value)).transpose()?;
        match id {
            // Bytes of the separator in a signed ID could be moved between
            // the ID and the body under the same signature.
            Some(id) if self.scheme.signs_id() && !self.scheme.id_is_unambiguous(id) => {
                Err(VerifyError::MalformedHeader {
                    name: name.clone(),
                    reason: "the event ID holds a byte of the separator that follows it in the signed message",
                })
            }
            id => Ok(id),
        }
    }

    fn check_freshness(&self, timestamp: SystemTime, now: SystemTime) -> Result<(), VerifyError> {
        let tolerance_secs = self.tolerance.as_secs();
        match now.duration_since(timestamp) {
            Ok(age) if age > self.tolerance => Err(VerifyError::TimestampExpired {
                age_secs: age.as_secs(),
                tolerance_secs,
            }),
            Ok(_) => Ok(()),
            Err(ahead) if ahead.duration() > self.tolerance => {
                Err(VerifyError::TimestampInFuture {
                    ahead_secs: ahead.duration().as_secs(),
                    tolerance_secs,
                })
            }
            Err(_) => Ok(()),
        }
    }

    /// The event ID of a request whose signature matched.
    fn event_id(&self, header: Option<&str>, body: &[u8]) -> Option<Box<str>> {
        match &self.scheme.event_id {
            EventIdSource::None => None,
            EventIdSource::Header => header.map(Box::from),
            EventIdSource::JsonField(field) => {
                json_field::top_level_string(body, field).map(Box::from)
            }
            EventIdSource::JsonInteger(field) => {
                json_field::top_level_integer(body, field).map(Box::from)
            }
        }
    }
}

/// The SHA-256 of a signed message's SHA-256 under a domain label: what a
/// delivery verified by a public-key signature (or a shared token) is
/// recognised by. Built on the message's own hash, which the signature
/// check computed already.
fn message_digest(sha256_of_message: &[u8; 32]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::new_with_prefix(b"webhook-guard signed message v2\0")
        .chain_update(sha256_of_message)
        .finalize()
        .into()
}

/// The request parts a scheme signs, read from the head and body.
struct RequestParts {
    method: String,
    urls: [Option<String>; 2],
    form: Vec<u8>,
}

/// What a request's headers say, once checked.
struct HeaderFacts<'h> {
    set: &'h HeaderSet,
    timestamp_raw: &'h [u8],
    timestamp: Option<SystemTime>,
    id: Option<&'h str>,
}

fn signature_error(error: SignatureHeaderError, set: &HeaderSet) -> VerifyError {
    let name = set.signature.clone();
    match error {
        SignatureHeaderError::Malformed(reason) => VerifyError::MalformedHeader { name, reason },
        SignatureHeaderError::MalformedSignature => VerifyError::MalformedSignature { name },
        SignatureHeaderError::TooManySignatures => VerifyError::TooManySignatures {
            name,
            max: MAX_SIGNATURES,
        },
        SignatureHeaderError::NoSupportedSignature => VerifyError::NoSupportedSignature { name },
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("provider", &self.scheme.provider)
            .field("keys", &format_args!("[redacted; {}]", self.keys.count()))
            .field("tolerance", &self.tolerance)
            .field("url", &self.url)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use http::{HeaderValue, StatusCode};

    use super::*;
    use crate::Signer;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_614_265_330)
    }

    fn standard_headers(prefix: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let name = |field: &str| http::HeaderName::try_from(format!("{prefix}-{field}")).unwrap();
        headers.insert(name("id"), HeaderValue::from_static(ID));
        headers.insert(name("timestamp"), HeaderValue::from_static("1614265330"));
        headers.insert(name("signature"), HeaderValue::from_static(SIGNATURE));
        headers
    }

    fn verifier() -> Verifier {
        Verifier::standard_webhooks(SECRET).unwrap()
    }

    #[test]
    fn svix_aliases_verify_like_webhook_headers() {
        let verified = verifier()
            .verify_at(&standard_headers("svix"), BODY, now())
            .unwrap();
        assert_eq!(verified.event_id(), Some(ID));
        assert!(verified.event_id_is_signed());
        assert_eq!(verified.provider().name(), "standard");
        assert!(verified.provider().is_built_in());
    }

    #[test]
    fn webhook_headers_win_over_svix_aliases() {
        let mut headers = standard_headers("webhook");
        headers.insert("svix-signature", HeaderValue::from_static("v1,garbage"));
        assert!(verifier().verify_at(&headers, BODY, now()).is_ok());
    }

    #[test]
    fn missing_signature_header_is_a_bad_request() {
        let error = verifier()
            .verify_at(&HeaderMap::new(), BODY, now())
            .unwrap_err();
        assert_eq!(
            error,
            VerifyError::MissingHeader {
                name: http::HeaderName::from_static("webhook-signature")
            }
        );
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn a_repeated_signature_header_is_ambiguous() {
        let mut headers = standard_headers("webhook");
        headers.append("webhook-signature", HeaderValue::from_static(SIGNATURE));
        let error = verifier().verify_at(&headers, BODY, now()).unwrap_err();
        assert_eq!(error.reason(), "duplicate_header");
    }

    #[test]
    fn more_than_sixteen_signatures_are_malformed_even_if_one_matches() {
        let mut value =
            vec!["v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; MAX_SIGNATURES].join(" ");
        value.push(' ');
        value.push_str(SIGNATURE);
        let mut headers = standard_headers("webhook");
        headers.insert("webhook-signature", HeaderValue::from_str(&value).unwrap());
        let error = verifier().verify_at(&headers, BODY, now()).unwrap_err();
        assert_eq!(error.reason(), "too_many_signatures");

        // Sixteen, one of them good, is fine.
        let mut value =
            vec!["v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; MAX_SIGNATURES - 1].join(" ");
        value.push(' ');
        value.push_str(SIGNATURE);
        headers.insert("webhook-signature", HeaderValue::from_str(&value).unwrap());
        assert!(verifier().verify_at(&headers, BODY, now()).is_ok());
    }

    #[test]
    fn an_overlong_signature_header_is_malformed() {
        let value = format!("{SIGNATURE}{}", " ".repeat(MAX_SIGNATURE_HEADER_LEN));
        let mut headers = standard_headers("webhook");
        headers.insert("webhook-signature", HeaderValue::from_str(&value).unwrap());
        let error = verifier().verify_at(&headers, BODY, now()).unwrap_err();
        assert_eq!(error.reason(), "malformed_header");
    }

    #[test]
    fn freshness_is_checked_before_the_signature() {
        // A wrong signature on a stale request is reported as stale: the
        // timestamp check runs first, so no MAC was computed.
        let mut headers = standard_headers("webhook");
        headers.insert(
            "webhook-signature",
            HeaderValue::from_static("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
        );
        let late = now() + Duration::from_secs(301);
        let early = now() - Duration::from_secs(301);
        let stale = verifier().verify_at(&headers, BODY, late).unwrap_err();
        assert!(matches!(
            stale,
            VerifyError::TimestampExpired {
                age_secs: 301,
                tolerance_secs: 300
            }
        ));
        let future = verifier().verify_at(&headers, BODY, early).unwrap_err();
        assert!(matches!(
            future,
            VerifyError::TimestampInFuture {
                ahead_secs: 301,
                ..
            }
        ));
        assert_eq!(future.status(), StatusCode::UNAUTHORIZED);
        // Exactly at the edge of the window is still fresh.
        let edge = now() + Duration::from_secs(300);
        assert_eq!(
            verifier().verify_at(&headers, BODY, edge).unwrap_err(),
            VerifyError::SignatureMismatch
        );
    }

    #[test]
    fn tolerance_is_configurable() {
        let headers = standard_headers("webhook");
        let strict = verifier().with_tolerance(Duration::from_secs(5));
        let later = now() + Duration::from_secs(6);
        assert!(strict.verify_at(&headers, BODY, later).is_err());
        assert!(verifier().verify_at(&headers, BODY, later).is_ok());
    }

    #[test]
    fn non_utf8_bodies_verify() {
        let body = [0xff, 0xfe, 0x00, 0x80, b'{', 0xc3];
        for scheme in [
            Scheme::standard_webhooks(),
            Scheme::github(),
            Scheme::shopify(),
        ] {
            let keys = scheme.keys(["c2VjcmV0LXNlY3JldC1zZWNyZXQ="]).unwrap();
            let signer = Signer::new(scheme.clone(), keys.clone());
            let headers = signer.sign("evt_1", now(), &body).unwrap();
            let verifier = Verifier::new(scheme, keys);
            assert!(verifier.verify_at(&headers, &body, now()).is_ok());
        }
    }

    #[test]
    fn a_stripe_body_without_an_id_verifies_without_one() {
        let signer = Signer::stripe("whsec_x").unwrap();
        let verifier = Verifier::stripe("whsec_x").unwrap();
        let headers = signer.sign("", now(), b"not json").unwrap();
        let verified = verifier.verify_at(&headers, b"not json", now()).unwrap();
        assert_eq!(verified.event_id(), None);
        assert!(!verified.event_id_is_signed());
    }

    #[test]
    fn github_and_shopify_ids_are_reported_as_unsigned() {
        let signer = Signer::github("It's a Secret to Everybody").unwrap();
        let headers = signer.sign("delivery-1", now(), b"Hello, World!").unwrap();
        let verified = Verifier::github("It's a Secret to Everybody")
            .unwrap()
            .verify_at(&headers, b"Hello, World!", now())
            .unwrap();
        assert_eq!(verified.event_id(), Some("delivery-1"));
        assert!(!verified.event_id_is_signed());
        assert_eq!(verified.timestamp(), None);
    }

    #[test]
    fn status_is_400_for_malformed_and_401_for_inauthentic() {
        let name = http::HeaderName::from_static("x");
        let bad_request = [
            VerifyError::MissingHeader { name: name.clone() },
            VerifyError::DuplicateHeader { name: name.clone() },
            VerifyError::MalformedHeader {
                name: name.clone(),
                reason: "r",
            },
            VerifyError::MalformedTimestamp { name: name.clone() },
            VerifyError::MalformedSignature { name: name.clone() },
            VerifyError::TooManySignatures {
                name: name.clone(),
                max: 16,
            },
            VerifyError::NoSupportedSignature { name },
        ];
        for error in bad_request {
            assert_eq!(error.status(), StatusCode::BAD_REQUEST, "{error}");
        }
        let unauthorized = [
            VerifyError::TimestampExpired {
                age_secs: 1,
                tolerance_secs: 0,
            },
            VerifyError::TimestampInFuture {
                ahead_secs: 1,
                tolerance_secs: 0,
            },
            VerifyError::SignatureMismatch,
        ];
        for error in unauthorized {
            assert_eq!(error.status(), StatusCode::UNAUTHORIZED, "{error}");
        }
    }

    #[test]
    fn errors_and_debug_output_reveal_no_secret_or_signature() {
        let mut headers = standard_headers("webhook");
        // The correct signature for a different body: its text must not leak.
        let errors = [
            verifier().verify_at(&headers, b"tampered", now()),
            verifier().verify_at(&headers, BODY, now() + Duration::from_secs(999)),
        ];
        headers.insert("webhook-timestamp", HeaderValue::from_static("12x"));
        let malformed = verifier().verify_at(&headers, BODY, now());
        let verified = verifier()
            .verify_at(&standard_headers("webhook"), BODY, now())
            .unwrap();
        let printed = format!(
            "{} {} {} {:?} {:?} {:?}",
            errors[0].as_ref().unwrap_err(),
            errors[1].as_ref().unwrap_err(),
            malformed.unwrap_err(),
            verifier(),
            verified,
            Signer::standard_webhooks(SECRET).unwrap(),
        );
        // The tag the verifier computed for the tampered body is what a forger
        // would need: neither its base64 nor its hex may appear.
        let forged = Signer::standard_webhooks(SECRET)
            .unwrap()
            .sign(ID, now(), b"tampered")
            .unwrap();
        let forged = forged["webhook-signature"].to_str().unwrap();
        let forged_tag = forged.strip_prefix("v1,").unwrap();
        let forged_hex = {
            use base64::Engine as _;
            hex::encode(
                base64::engine::general_purpose::STANDARD
                    .decode(forged_tag)
                    .unwrap(),
            )
        };
        for secret_text in [
            SECRET,
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            forged_tag,
            &forged_hex,
        ] {
            assert!(!printed.contains(secret_text), "{printed}");
        }
        assert!(printed.contains("[redacted; 1]"));
    }
}
