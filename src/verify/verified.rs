use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::crypto::ReceivedSignature;
use crate::limits::MAX_EVENT_ID_LEN;
use crate::provider::Provider;
use crate::scheme::PayloadFormat;
use crate::verify::VerifyError;

/// The facts about a request that passed verification.
///
/// Returned by [`Verifier::verify_at`](crate::Verifier::verify_at). `Debug`
/// shows only the first four bytes of the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Verified {
    pub(crate) provider: Provider,
    pub(crate) event_id: Option<Box<str>>,
    pub(crate) event_id_signed: bool,
    pub(crate) timestamp: Option<SystemTime>,
    pub(crate) key_index: usize,
    pub(crate) signature: ReceivedSignature,
    /// The main header set's tag, where the request was verified through
    /// another set with another algorithm (GitHub's legacy SHA-1 header).
    pub(crate) main_tag: Option<Box<[u8]>>,
    /// How the provider writes its bodies.
    pub(crate) payload_format: PayloadFormat,
    /// Whether the signature covers the whole body.
    pub(crate) body_signed: bool,
}

impl Verified {
    /// What a check of your own ([`VerifyRequest`](crate::verify::VerifyRequest))
    /// returns for a request it authenticated, together with `event_id`,
    /// which the check authenticated too: the guard keys the delivery
    /// `namespace:event_id`, so only the first delivery of that ID runs the
    /// handler. `provider` names the sender in logs.
    ///
    /// An ID that is empty, longer than
    /// [`MAX_EVENT_ID_LEN`](crate::limits::MAX_EVENT_ID_LEN) bytes or holds a
    /// control character is refused with [`VerifyError::MalformedEventId`]
    /// (400).
    ///
    /// ```
    /// use webhook_guard::Verified;
    ///
    /// let verified = Verified::by_signed_event_id("acme", "evt_1")?;
    /// assert_eq!(verified.event_id(), Some("evt_1"));
    /// assert!(verified.event_id_is_signed());
    /// assert!(Verified::by_signed_event_id("acme", "").is_err());
    /// # Ok::<(), webhook_guard::VerifyError>(())
    /// ```
    pub fn by_signed_event_id(
        provider: impl Into<String>,
        event_id: &str,
    ) -> Result<Self, VerifyError> {
        let reason = if event_id.is_empty() {
            Some("it is empty")
        } else if event_id.len() > MAX_EVENT_ID_LEN {
            Some("it is longer than MAX_EVENT_ID_LEN bytes")
        } else if event_id.chars().any(char::is_control) {
            Some("it holds a control character")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(VerifyError::MalformedEventId { reason });
        }
        let mut verified = Self::custom(provider.into(), event_id.as_bytes());
        verified.event_id = Some(event_id.into());
        verified.event_id_signed = true;
        Ok(verified)
    }

    /// What a check of your own returns for a request it authenticated
    /// that has no authenticated event ID: the guard keys the delivery by a
    /// fingerprint of `identifying`, so give bytes that every retry of the
    /// delivery repeats and that nobody without the key can vary — the
    /// signed message, or a signature that is a deterministic function of
    /// it (an HMAC tag; not an ECDSA signature, which is randomized and
    /// malleable). Only a fingerprint is kept.
    ///
    /// ```
    /// use webhook_guard::Verified;
    ///
    /// let first = Verified::by_fingerprint_of("acme", b"the signed message");
    /// let retry = Verified::by_fingerprint_of("acme", b"the signed message");
    /// assert_eq!(first.fingerprint(), retry.fingerprint());
    /// assert_eq!(first.event_id(), None);
    /// ```
    pub fn by_fingerprint_of(provider: impl Into<String>, identifying: &[u8]) -> Self {
        Self::custom(provider.into(), identifying)
    }

    /// The facts a check of your own reports, keyed by `identifying`.
    fn custom(provider: String, identifying: &[u8]) -> Self {
        Self {
            provider: Provider::generic(provider),
            event_id: None,
            event_id_signed: false,
            timestamp: None,
            key_index: 0,
            signature: ReceivedSignature::EMPTY,
            main_tag: Some(Box::from(&crate::crypto::fingerprint(identifying)[..])),
            payload_format: PayloadFormat::Json,
            body_signed: true,
        }
    }

    /// Reports the signed timestamp your check verified.
    #[must_use]
    pub fn with_timestamp(mut self, timestamp: SystemTime) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Reports that your check did not authenticate the whole body (see
    /// [`body_is_signed`](Self::body_is_signed)).
    #[must_use]
    pub fn with_unsigned_body(mut self) -> Self {
        self.body_signed = false;
        self
    }

    /// Reports which key of your check matched (0 is the first).
    #[must_use]
    pub fn with_key_index(mut self, index: usize) -> Self {
        self.key_index = index;
        self
    }

    /// Reports how the sender writes its bodies (default JSON), which
    /// `Webhook<T>` follows.
    #[must_use]
    pub fn with_payload_format(mut self, format: PayloadFormat) -> Self {
        self.payload_format = format;
        self
    }

    /// Who signed the request.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// The event ID, where the provider sends one: the `webhook-id` header
    /// (Standard Webhooks), the body's `id` (Stripe), `X-GitHub-Delivery`
    /// (GitHub), the body's `event_id` (Slack Events API),
    /// `X-Shopify-Event-Id` (Shopify), or the configured header (generic).
    ///
    /// A body field is read from the top-level JSON object without parsing
    /// the rest of the body: the first occurrence of the key wins, and a value
    /// longer than [`MAX_EVENT_ID_LEN`](crate::limits::MAX_EVENT_ID_LEN) bytes
    /// (or not a string) is not reported. The body is signed, so only the
    /// provider could send such a body.
    pub fn event_id(&self) -> Option<&str> {
        self.event_id.as_deref()
    }

    /// How the provider writes its bodies (which `Webhook<T>` follows).
    pub fn payload_format(&self) -> PayloadFormat {
        self.payload_format
    }

    /// Whether the signature covers the event ID. GitHub's and Shopify's ID
    /// headers are not signed: someone replaying a captured delivery can
    /// change them.
    pub fn event_id_is_signed(&self) -> bool {
        self.event_id.is_some() && self.event_id_signed
    }

    /// Whether the signature covers the whole body, so that every byte the
    /// handler reads is the sender's. `false` for Mailgun (only the
    /// signature object is signed: `event-data` beside it could be anyone's
    /// once a signature is captured, until its token is recorded), PayPal
    /// (a CRC-32 of the body, which anyone can match), and the schemes of a
    /// shared token or HTTP Basic credentials (which sign nothing). A
    /// handler of such a delivery should treat its body as a hint to
    /// fetch the event from the provider's API.
    pub fn body_is_signed(&self) -> bool {
        self.body_signed
    }

    /// The signed timestamp, for schemes that sign one.
    pub fn timestamp(&self) -> Option<SystemTime> {
        self.timestamp
    }

    /// The signed timestamp in whole seconds since the UNIX epoch.
    pub fn timestamp_unix(&self) -> Option<u64> {
        self.timestamp?
            .duration_since(UNIX_EPOCH)
            .ok()
            .map(|since| since.as_secs())
    }

    /// The index in the key ring of the key that matched (0 is the first).
    pub fn key_index(&self) -> usize {
        self.key_index
    }

    /// The received signature that matched, decoded (empty for a check of
    /// your own). It travelled in the request, but keep it out of logs: it
    /// is what a replay needs.
    pub fn signature(&self) -> &[u8] {
        self.signature.as_slice()
    }

    /// An identifier of this exact delivery: the same for every retry or
    /// replay of it, whichever of the scheme's signature headers carried it
    /// (GitHub's SHA-256 or legacy SHA-1 one), and revealing nothing of the
    /// signature. The delivery layer keys on it where the signature does not
    /// cover an event ID.
    pub fn fingerprint(&self) -> [u8; 16] {
        crate::crypto::fingerprint(self.main_tag.as_deref().unwrap_or(self.signature()))
    }
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let signature = self.signature();
        let shown = signature.len().min(4);
        f.debug_struct("Verified")
            .field("provider", &self.provider)
            .field("event_id", &self.event_id)
            .field("event_id_signed", &self.event_id_is_signed())
            .field("timestamp", &self.timestamp_unix())
            .field("key_index", &self.key_index)
            .field(
                "signature",
                &format_args!("{}…", hex::encode(&signature[..shown])),
            )
            .field(
                "fingerprint",
                &format_args!("{}", hex::encode(self.fingerprint())),
            )
            .finish()
    }
}
