//! Handshakes: the requests some providers send to prove an endpoint before
//! (or beside) their deliveries, answered by the guard itself.
//!
//! | provider | request | answer | checked by |
//! |---|---|---|---|
//! | Slack | signed `{"type":"url_verification","challenge":…}` | the challenge, `text/plain` | the signature |
//! | Discord | signed `{"type":1}` (PING) | `{"type":1}` (PONG) | the signature |
//! | Zoom | signed `endpoint.url_validation` with `payload.plainToken` | `{"plainToken":…,"encryptedToken":hex HMAC-SHA-256}` | the signature |
//! | Twitch | signed, `Twitch-Eventsub-Message-Type: webhook_callback_verification` | the `challenge`, `text/plain` | the signature |
//! | Meta | `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` | the challenge, `text/plain` | the verify token, in constant time |
//! | Dropbox | `GET ?challenge=…` | the challenge, `text/plain`, `X-Content-Type-Options: nosniff` | nothing: an echo |
//! | Okta | `GET` with `X-Okta-Verification-Challenge` | `{"verification":…}` | the `Authorization` value, in constant time |
//! | Asana | `POST` with `X-Hook-Secret`, unsigned | `X-Hook-Secret` echoed | your callback, which keeps the secret |
//! | WooCommerce | unsigned `POST` of `webhook_id=<n>` when a webhook is saved | 200 | nothing: the handler never sees it |
//!
//! A handshake is enabled on the layer
//! ([`WebhookLayer::with_handshake`](crate::WebhookLayer::with_handshake)).
//! It never reaches the handler and is never recorded as a delivery. A
//! signed one is answered only once its signature verified; an unsigned one
//! is decided from the request head, before a byte of a body is read, and
//! lets no body through. Values echoed back are bounded (256 bytes) and
//! checked for their characters; anything else goes on through the guard
//! as a delivery (and, unsigned, is refused).
//!
//! A custom [`Responder`](crate::delivery::Responder) must answer
//! [`Rejection::Handshake`](crate::delivery::Rejection::Handshake) with the
//! reply's body ([`HandshakeReply::body`]); the layer adds its headers.

mod handshake_reply;
mod provider_handshake;
mod query;

pub use handshake_reply::HandshakeReply;
pub use provider_handshake::Handshake;
