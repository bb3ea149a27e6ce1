use std::time::Duration;

use http::header::GetAll;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::provider::Provider;
use crate::scheme::body_fields::BodyFields;
use crate::scheme::event_id::EventIdSource;
use crate::scheme::header_set::HeaderSet;
use crate::scheme::message_layout::MessageLayout;
use crate::scheme::signed_item::SignedItem;
use crate::scheme::signed_message::SignedMessage;
use crate::scheme::url_rules::UrlRules;
use crate::scheme::{Algorithm, PayloadFormat, TimestampUnit};
use crate::secret::{KeyPair, KeyRing, SecretError, SecretFormat};

/// How one provider signs a webhook: which headers carry what, the exact
/// signed message, the algorithm and encoding, the timestamp unit, where the
/// event ID lives, and how its secrets are written.
///
/// Built-in schemes: [`standard_webhooks`](Scheme::standard_webhooks),
/// [`stripe`](Scheme::stripe), [`github`](Scheme::github),
/// [`slack`](Scheme::slack), [`shopify`](Scheme::shopify); anything else with
/// [`Scheme::generic`]. A scheme is data: the same value drives a
/// [`Verifier`](crate::Verifier) and a [`Signer`](crate::Signer), so the two
/// always agree.
#[derive(Debug, Clone)]
pub struct Scheme {
    pub(crate) provider: Provider,
    pub(crate) header_sets: Vec<HeaderSet>,
    pub(crate) message: MessageLayout,
    /// `Some` when the scheme signs a timestamp, in this unit.
    pub(crate) timestamp_unit: Option<TimestampUnit>,
    pub(crate) event_id: EventIdSource,
    pub(crate) secret_format: SecretFormat,
    pub(crate) payload_format: PayloadFormat,
    /// How long the sender may send an event again (its retries, or a
    /// redelivery), where it says: a record must be kept that long.
    pub(crate) retry_window: Option<Duration>,
    /// How the URL is read, for schemes that sign it.
    pub(crate) url_rules: UrlRules,
    /// Where the signature, timestamp and ID are, for a scheme that signs
    /// in the body rather than in headers.
    pub(crate) body_fields: Option<BodyFields>,
    /// Where the signed item is, for a scheme that signs one item of its
    /// body and writes the signature into it (Adyen).
    pub(crate) signed_item: Option<SignedItem>,
    /// A top-level integer field of the signed body holding when it was
    /// sent, in milliseconds (Linear's `webhookTimestamp`): checked for
    /// freshness once the signature matched (only then is it authentic).
    pub(crate) body_timestamp: Option<&'static str>,
    /// The provider's own freshness tolerance, where its SDK sets one
    /// (Paddle's 5 s); otherwise the verifier's default.
    pub(crate) tolerance: Option<Duration>,
}

impl Scheme {
    /// The provider this scheme belongs to.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// How long the provider may send one event again, by its documentation
    /// (retries, or a redelivery a person can trigger), where it says: a
    /// guard keeps each delivery's record at least that long. It matters
    /// most for schemes that sign no timestamp, where nothing else bounds a
    /// replay.
    pub fn retry_window(&self) -> Option<Duration> {
        self.retry_window
    }

    /// How this provider writes its bodies, for the `Webhook<T>` extractor.
    pub fn payload_format(&self) -> PayloadFormat {
        self.payload_format
    }

    /// How this provider writes its secrets.
    pub fn secret_format(&self) -> SecretFormat {
        self.secret_format
    }

    /// Parses secrets the way this provider writes them, first (current) key
    /// first.
    ///
    /// ```
    /// use webhook_guard::Scheme;
    ///
    /// let keys = Scheme::stripe().keys(["whsec_new", "whsec_old"])?;
    /// assert_eq!(keys.len(), 2);
    /// # Ok::<(), webhook_guard::secret::SecretError>(())
    /// ```
    pub fn keys<I, S>(&self, secrets: I) -> Result<KeyRing, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        KeyRing::parse(self.secret_format, secrets)
    }

    /// Parses keys for a [`Signer`](crate::Signer) the way this provider
    /// writes them: secrets, or private keys where the provider signs with
    /// a key pair (a public key here is refused with a hint).
    pub fn signing_keys<I, S>(&self, secrets: I) -> Result<KeyRing, SecretError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        KeyRing::parse_signing(self.secret_format, secrets)
    }

    /// A fresh key for this scheme's main algorithm (an HMAC secret, or a
    /// key pair for a public-key provider), written the provider's way.
    pub fn generate_key_pair(&self) -> Result<KeyPair, SecretError> {
        KeyPair::generate(self.secret_format, self.header_sets[0].algorithm)
    }

    /// The algorithms this scheme's header sets sign with, each once, main
    /// first (Standard Webhooks: HMAC-SHA-256 for `v1`, Ed25519 for `v1a`).
    pub fn signature_algorithms(&self) -> Vec<Algorithm> {
        let mut algorithms = Vec::new();
        for algorithm in self.algorithms() {
            if !algorithms.contains(&algorithm) {
                algorithms.push(algorithm);
            }
        }
        algorithms
    }

    /// Whether the signed message includes a timestamp (and so whether a
    /// verifier checks freshness).
    pub fn signs_timestamp(&self) -> bool {
        self.timestamp_unit.is_some()
    }

    /// Whether the signature travels in the body (Mailgun, Adyen), not in
    /// a header: a [`Signer`](crate::Signer) writes it with
    /// [`sign_into_body`](crate::Signer::sign_into_body).
    pub fn signs_in_the_body(&self) -> bool {
        self.body_fields.is_some() || self.signed_item.is_some()
    }

    /// The top-level body field that carries a signed send time in
    /// milliseconds (Linear's `webhookTimestamp`), for schemes whose
    /// freshness is read from the body: a body without it is refused.
    pub fn body_timestamp_field(&self) -> Option<&'static str> {
        self.body_timestamp
    }

    /// The signature header of the scheme's main header set.
    pub fn signature_header(&self) -> &HeaderName {
        &self.header_sets[0].signature
    }

    /// Whether the event ID is covered by the signature (a signed ID header,
    /// or a field of the signed body).
    pub(crate) fn event_id_is_signed(&self) -> bool {
        if self.signed_item.is_some() {
            // Made of signed fields of the item (Adyen's pspReference,
            // eventCode and success).
            return true;
        }
        // A shared token signs nothing: whoever holds it can send any ID as
        // well as any body, so its ID is as good as a signed one (and a
        // digest of the body would merge two events that happen to share
        // a body).
        let token_only = self
            .header_sets
            .iter()
            .all(|set| set.algorithm == Algorithm::SharedToken);
        match self.event_id {
            EventIdSource::None => false,
            // Only as good as the body's protection: a body signed by its
            // CRC-32 alone could carry any ID.
            EventIdSource::JsonField(_) | EventIdSource::JsonInteger(_) => {
                token_only || self.message.signs().body
            }
            EventIdSource::Header => token_only || self.signs_id(),
        }
    }

    /// Whether the signature covers the body: the message holds it (or,
    /// Twilio, its form parameters or digest; a CRC-32 of it is no cover),
    /// and the scheme signs at all (a shared token does not).
    pub(crate) fn signs_the_whole_body(&self) -> bool {
        self.message.signs().body
            && !self
                .header_sets
                .iter()
                .all(|set| set.algorithm == Algorithm::SharedToken)
    }

    /// Whether `id` can be signed in this scheme's message without being
    /// read as part of a separator (see [`MessageLayout`]).
    pub(crate) fn id_is_unambiguous(&self, id: &str) -> bool {
        self.message.id_is_unambiguous(id)
    }

    /// Whether the signed message includes the event ID (which makes the ID
    /// header required).
    pub(crate) fn signs_id(&self) -> bool {
        self.message.signs().id
    }

    /// This scheme's signed message made of one request's values, as they
    /// travel: the ID and timestamp exactly as sent, the raw body.
    pub(crate) fn message<'a>(
        &'a self,
        id: &'a str,
        timestamp: &'a [u8],
        body: &'a [u8],
    ) -> SignedMessage<'a> {
        SignedMessage {
            parts: self.message.parts(),
            id,
            timestamp,
            body,
            method: b"",
            url: b"",
            form: b"",
        }
    }

    /// Whether the signed message includes the request's URL, method or
    /// form parameters, so that a verifier needs the request head
    /// ([`Verifier::verify_request_at`](crate::Verifier::verify_request_at))
    /// and, for the URL, the URL the sender requested.
    pub fn signs_request(&self) -> bool {
        self.message.signs().request
    }

    /// Whether the signed message includes the body's form parameters.
    pub(crate) fn signs_form_parameters(&self) -> bool {
        self.message.signs().form_parameters
    }

    /// Whether the signed message includes the URL the sender requested
    /// (Twilio, Square): the verifier must be told it
    /// ([`Verifier::with_public_url`](crate::Verifier::with_public_url)).
    pub fn signs_url(&self) -> bool {
        self.message.signs().url
    }

    /// The first signature header present (in the order of the header
    /// sets), with its values and the index of the first set that reads it;
    /// the sets sharing that header follow it (Standard Webhooks' `v1` and
    /// `v1a` read one header). One lookup per header name tried.
    pub(crate) fn select<'h>(
        &self,
        headers: &'h HeaderMap,
    ) -> Option<(usize, GetAll<'h, HeaderValue>)> {
        self.header_sets
            .iter()
            .enumerate()
            .filter(|(index, set)| {
                // A header already tried under an earlier set is absent.
                !self.header_sets[..*index]
                    .iter()
                    .any(|earlier| earlier.signature == set.signature)
            })
            .find_map(|(index, set)| {
                let values = headers.get_all(&set.signature);
                values.iter().next().is_some().then_some((index, values))
            })
    }

    /// The header sets that read the same signature header as the set at
    /// `first`, in order, starting with it.
    pub(crate) fn sets_sharing(&self, first: usize) -> impl Iterator<Item = &HeaderSet> {
        let name = &self.header_sets[first].signature;
        self.header_sets[first..]
            .iter()
            .filter(move |set| set.signature == *name)
    }

    /// Every header a verifier of this scheme reads, each named once: the
    /// signature, timestamp and event-ID headers of every header set.
    pub(crate) fn header_names(&self) -> Vec<HeaderName> {
        let mut names: Vec<HeaderName> = Vec::new();
        for set in &self.header_sets {
            let read = [
                Some(&set.signature),
                set.timestamp.as_ref(),
                set.id.as_ref(),
            ];
            for name in read.into_iter().flatten() {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
        names
    }

    /// Every algorithm a verifier of this scheme may need.
    pub(crate) fn algorithms(&self) -> impl Iterator<Item = Algorithm> + '_ {
        self.header_sets.iter().map(|set| set.algorithm)
    }
}
