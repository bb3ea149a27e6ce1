use std::fmt;
use std::sync::Arc;

use hmac::{KeyInit as _, Mac as _};
use http::{HeaderName, HeaderValue, Method};
use sha2::Digest as _;
use subtle::ConstantTimeEq as _;

use crate::handshake::HandshakeReply;
use crate::handshake::query::query_value;
use crate::scheme::json_field;
use crate::secret::{Secret, SecretError};
use crate::verify::{RequestHead, VerifyError};

/// The longest value a handshake echoes (a challenge, a token, a secret).
const MAX_ECHO_LEN: usize = 256;

const OKTA_CHALLENGE: HeaderName = HeaderName::from_static("x-okta-verification-challenge");
const ASANA_SECRET: HeaderName = HeaderName::from_static("x-hook-secret");
const ASANA_SIGNATURE: HeaderName = HeaderName::from_static("x-hook-signature");
const TWITCH_TYPE: HeaderName = HeaderName::from_static("twitch-eventsub-message-type");
const WOOCOMMERCE_SIGNATURE: HeaderName = HeaderName::from_static("x-wc-webhook-signature");
const WOOCOMMERCE_TOPIC: HeaderName = HeaderName::from_static("x-wc-webhook-topic");
/// `webhook_id=` and a 64-bit number.
const WOOCOMMERCE_PING_MAX_LEN: u64 = 31;

/// One provider's handshake, answered by the guard (see the
/// [module](crate::handshake) for what each one is).
///
/// ```
/// use webhook_guard::handshake::Handshake;
/// use webhook_guard::{Verifier, WebhookLayer};
///
/// let verifier = Verifier::from_secrets(webhook_guard::Scheme::meta(), ["app secret"])?;
/// let guard = WebhookLayer::new(verifier)
///     .with_handshake(Handshake::meta("my verify token")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Handshake {
    kind: Kind,
}

type KeepSecret = Arc<dyn Fn(&str) -> bool + Send + Sync>;

#[derive(Clone)]
enum Kind {
    Slack,
    Discord,
    Zoom(Secret),
    Twitch,
    Meta(Secret),
    Dropbox,
    Okta(Secret),
    Asana(KeepSecret),
    WooCommerce,
}

impl Handshake {
    /// Slack's `url_verification`: its `challenge` back as plain text.
    pub fn slack() -> Self {
        Self { kind: Kind::Slack }
    }

    /// Discord's PING (`"type": 1`): a PONG, `{"type":1}`.
    pub fn discord() -> Self {
        Self {
            kind: Kind::Discord,
        }
    }

    /// Zoom's `endpoint.url_validation`: its `plainToken` back with the
    /// hex HMAC-SHA-256 of it under the app's secret token (the same
    /// secret the verifier holds).
    pub fn zoom(secret_token: &str) -> Result<Self, SecretError> {
        Ok(Self {
            kind: Kind::Zoom(Secret::from_bytes(secret_token.as_bytes())?),
        })
    }

    /// Twitch's `webhook_callback_verification`: its `challenge` back as
    /// plain text.
    pub fn twitch() -> Self {
        Self { kind: Kind::Twitch }
    }

    /// Meta's `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`:
    /// the challenge back when the verify token is `verify_token`
    /// (compared in constant time); 401 otherwise.
    pub fn meta(verify_token: &str) -> Result<Self, SecretError> {
        Ok(Self {
            kind: Kind::Meta(Secret::from_bytes(verify_token.as_bytes())?),
        })
    }

    /// Dropbox's `GET ?challenge=…`: the challenge echoed as plain text,
    /// with `X-Content-Type-Options: nosniff`. Anyone may ask: it proves
    /// nothing but that the endpoint answers.
    pub fn dropbox() -> Self {
        Self {
            kind: Kind::Dropbox,
        }
    }

    /// Okta's one-time verification `GET` with
    /// `X-Okta-Verification-Challenge`: `{"verification": …}` when the
    /// `Authorization` header is `authorization` (the hook's
    /// authentication value, compared in constant time); 401 otherwise.
    pub fn okta(authorization: &str) -> Result<Self, SecretError> {
        Ok(Self {
            kind: Kind::Okta(Secret::from_bytes(authorization.as_bytes())?),
        })
    }

    /// Asana's handshake: an unsigned `POST` whose `X-Hook-Secret` header
    /// is the key of every later delivery. `keep_secret` is given it and
    /// returns whether it kept it; the header is echoed only then (401
    /// otherwise).
    ///
    /// **Anyone can send this request**, so `keep_secret` must accept a
    /// secret only while you are creating the webhook (Asana sends the
    /// handshake during your `POST /webhooks` call) and only once: a
    /// secret accepted from an attacker would let them sign deliveries.
    pub fn asana(keep_secret: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        Self {
            kind: Kind::Asana(Arc::new(keep_secret)),
        }
    }

    /// WooCommerce's ping when a webhook is saved: an unsigned `POST` of
    /// `webhook_id=<n>` with none of WooCommerce's headers, answered 200
    /// from its head (at most 31 bytes declared), so that WooCommerce
    /// accepts the URL. The body is not read and reaches no handler.
    pub fn woocommerce() -> Self {
        Self {
            kind: Kind::WooCommerce,
        }
    }

    /// The headers this handshake reads, for faces that convert only
    /// those.
    #[cfg(feature = "actix")]
    pub(crate) fn header_names(&self) -> Vec<HeaderName> {
        match &self.kind {
            Kind::Okta(_) => vec![OKTA_CHALLENGE, http::header::AUTHORIZATION],
            Kind::Asana(_) => vec![ASANA_SECRET, ASANA_SIGNATURE],
            Kind::Twitch => vec![TWITCH_TYPE],
            Kind::WooCommerce => vec![
                WOOCOMMERCE_SIGNATURE,
                WOOCOMMERCE_TOPIC,
                http::header::CONTENT_LENGTH,
            ],
            Kind::Slack | Kind::Discord | Kind::Zoom(_) | Kind::Meta(_) | Kind::Dropbox => {
                Vec::new()
            }
        }
    }

    /// Whether it is decided from the head alone (an unsigned handshake),
    /// which needs the method and the URI.
    #[cfg(feature = "actix")]
    pub(crate) fn is_answered_from_the_head(&self) -> bool {
        matches!(
            self.kind,
            Kind::Meta(_) | Kind::Dropbox | Kind::Okta(_) | Kind::Asana(_) | Kind::WooCommerce
        )
    }

    /// An unsigned handshake, decided before a byte of the body is read:
    /// `None` when the request is not this handshake (it goes on as a
    /// delivery).
    pub(crate) fn answer_head(
        &self,
        head: RequestHead<'_>,
    ) -> Option<Result<HandshakeReply, VerifyError>> {
        let headers = head.headers();
        let query = head.uri().query();
        match &self.kind {
            Kind::Meta(token) if head.method() == Method::GET => {
                if query_value(query, "hub.mode")? != "subscribe" {
                    return None;
                }
                let challenge = echoable(&query_value(query, "hub.challenge")?)?;
                let given = query_value(query, "hub.verify_token")?;
                Some(equal(token, given.as_bytes()).then(|| HandshakeReply::text(challenge)))
                    .map(|reply| reply.ok_or(VerifyError::SignatureMismatch))
            }
            Kind::Dropbox if head.method() == Method::GET => {
                let challenge = echoable(&query_value(query, "challenge")?)?;
                Some(Ok(HandshakeReply::text(challenge).with_header(
                    http::header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                )))
            }
            Kind::Okta(authorization) if head.method() == Method::GET => {
                let challenge = headers.get(OKTA_CHALLENGE)?.to_str().ok()?;
                let challenge = visible(challenge)?;
                let given = headers
                    .get(http::header::AUTHORIZATION)
                    .map_or(&b""[..], HeaderValue::as_bytes);
                Some(if equal(authorization, given) {
                    Ok(HandshakeReply::json(
                        &serde_json::json!({ "verification": challenge }),
                    ))
                } else {
                    Err(VerifyError::SignatureMismatch)
                })
            }
            Kind::Asana(keep_secret) if head.method() == Method::POST => {
                if headers.contains_key(ASANA_SIGNATURE) {
                    return None;
                }
                let secret = headers.get(ASANA_SECRET)?;
                let text = visible(secret.to_str().ok()?)?;
                Some(if keep_secret(text) {
                    Ok(HandshakeReply::text("").with_header(ASANA_SECRET, secret.clone()))
                } else {
                    Err(VerifyError::SignatureMismatch)
                })
            }
            Kind::WooCommerce if head.method() == Method::POST => {
                if headers.contains_key(WOOCOMMERCE_SIGNATURE)
                    || headers.contains_key(WOOCOMMERCE_TOPIC)
                {
                    return None;
                }
                let length: u64 = headers
                    .get(http::header::CONTENT_LENGTH)?
                    .to_str()
                    .ok()?
                    .parse()
                    .ok()?;
                (1..=WOOCOMMERCE_PING_MAX_LEN)
                    .contains(&length)
                    .then(|| Ok(HandshakeReply::text("")))
            }
            _ => None,
        }
    }

    /// A signed handshake, decided once the request verified: `None` when
    /// it is a delivery.
    pub(crate) fn answer_verified(
        &self,
        head: RequestHead<'_>,
        body: &[u8],
    ) -> Option<HandshakeReply> {
        match &self.kind {
            Kind::Slack => {
                if json_field::top_level_string(body, "type")? != "url_verification" {
                    return None;
                }
                let challenge = json_field::string_at(body, &["challenge"], MAX_ECHO_LEN)?;
                Some(HandshakeReply::text(challenge.into_owned()))
            }
            Kind::Discord => (json_field::top_level_integer(body, "type")? == "1")
                .then(|| HandshakeReply::json(&serde_json::json!({ "type": 1 }))),
            Kind::Zoom(secret) => {
                if json_field::top_level_string(body, "event")? != "endpoint.url_validation" {
                    return None;
                }
                let token = json_field::string_at(body, &["payload", "plainToken"], MAX_ECHO_LEN)?;
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.expose()).ok()?;
                mac.update(token.as_bytes());
                let encrypted = hex::encode(mac.finalize().into_bytes());
                Some(HandshakeReply::json(&serde_json::json!({
                    "plainToken": token,
                    "encryptedToken": encrypted,
                })))
            }
            Kind::Twitch => {
                if head.headers().get(TWITCH_TYPE)?.as_bytes() != b"webhook_callback_verification" {
                    return None;
                }
                let challenge = json_field::string_at(body, &["challenge"], MAX_ECHO_LEN)?;
                Some(HandshakeReply::text(challenge.into_owned()))
            }
            Kind::Meta(_) | Kind::Dropbox | Kind::Okta(_) | Kind::Asana(_) | Kind::WooCommerce => {
                None
            }
        }
    }

    fn name(&self) -> &'static str {
        match self.kind {
            Kind::Slack => "slack",
            Kind::Discord => "discord",
            Kind::Zoom(_) => "zoom",
            Kind::Twitch => "twitch",
            Kind::Meta(_) => "meta",
            Kind::Dropbox => "dropbox",
            Kind::Okta(_) => "okta",
            Kind::Asana(_) => "asana",
            Kind::WooCommerce => "woocommerce",
        }
    }
}

impl fmt::Debug for Handshake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Tokens and secrets print as `[redacted]` (their own `Debug`).
        f.debug_tuple("Handshake").field(&self.name()).finish()
    }
}

/// A value that may be echoed: at most [`MAX_ECHO_LEN`] bytes of letters,
/// digits and `-._~` (what challenges are made of), nothing that a
/// browser could read as markup.
fn echoable(value: &str) -> Option<String> {
    let fits = !value.is_empty()
        && value.len() <= MAX_ECHO_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    fits.then(|| value.to_owned())
}

/// A header value that may go back: at most [`MAX_ECHO_LEN`] bytes of
/// visible ASCII.
fn visible(value: &str) -> Option<&str> {
    let fits = !value.is_empty()
        && value.len() <= MAX_ECHO_LEN
        && value.bytes().all(|b| b.is_ascii_graphic());
    fits.then_some(value)
}

/// Whether `given` is `expected`, in constant time (whatever their lengths:
/// their digests are compared).
fn equal(expected: &Secret, given: &[u8]) -> bool {
    let expected = sha2::Sha256::digest(expected.expose());
    let given = sha2::Sha256::digest(given);
    bool::from(expected.ct_eq(&given))
}
