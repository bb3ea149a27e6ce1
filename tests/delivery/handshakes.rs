//! Providers' handshakes over real HTTP, on every face: answered by the
//! guard exactly as each provider requires, never reaching the handler,
//! never recorded; a signed one only once authentic, an unsigned one from
//! its head alone.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use bytes::Bytes;
use hmac::{KeyInit as _, Mac as _};
use http::{HeaderMap, Request};
use http_body_util::Full;
use webhook_guard::handshake::Handshake;
use webhook_guard::{Scheme, Signer, Verifier, WebhookLayer};

use crate::face::Face;
use crate::fixtures::Handler;
use crate::suite::{Answer, client, post, send};

/// Signs `body` for `scheme` with `secret`, as the provider would now.
fn signed(scheme: Scheme, secret: &str, id: &str, body: &[u8]) -> HeaderMap {
    Signer::from_secrets(scheme, [secret])
        .unwrap()
        .sign(id, SystemTime::now(), body)
        .unwrap()
}

pub(crate) fn layer(scheme: Scheme, secret: &str, handshake: Handshake) -> WebhookLayer {
    WebhookLayer::new(Verifier::from_secrets(scheme, [secret]).unwrap()).with_handshake(handshake)
}

fn content_type(answer: &Answer) -> &str {
    answer.headers["content-type"].to_str().unwrap()
}

pub(crate) async fn get(
    address: std::net::SocketAddr,
    path_and_query: &str,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = Request::get(format!("http://{address}{path_and_query}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(&client(), request.body(Full::new(Bytes::new())).unwrap()).await
}

async fn post_raw(
    address: std::net::SocketAddr,
    headers: &[(&str, &str)],
    body: &'static [u8],
) -> Answer {
    let mut request = Request::post(format!("http://{address}/any"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(
        &client(),
        request.body(Full::new(Bytes::from_static(body))).unwrap(),
    )
    .await
}

pub(crate) async fn signed_handshakes_are_answered_once_authentic_and_never_reach_the_handler<
    F: Face,
>() {
    // Slack's url_verification: the challenge, as plain text; twice (a
    // handshake is never recorded, so never a duplicate); a forged one 401.
    let handler = Handler::default();
    let secret = "slack signing secret";
    let server = F::serve(
        layer(Scheme::slack(), secret, Handshake::slack()),
        handler.clone(),
    )
    .await;
    let body = Bytes::from_static(
        br#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#,
    );
    let headers = signed(Scheme::slack(), secret, "", &body);
    for _ in 0..2 {
        let answer = post(server.address, "/hook", &headers, &body).await;
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.body,
            "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
        );
        assert!(content_type(&answer).starts_with("text/plain"));
        assert!(!answer.is_duplicate());
    }
    let forged = signed(Scheme::slack(), "not the secret", "", &body);
    assert_eq!(
        post(server.address, "/hook", &forged, &body).await.status,
        401
    );
    assert_eq!(
        handler.total_calls(),
        0,
        "a handshake never reaches the handler"
    );
    // An event of the same provider still does.
    let event = Bytes::from_static(br#"{"type":"event_callback","event_id":"Ev_handshake"}"#);
    let event_headers = signed(Scheme::slack(), secret, "", &event);
    assert_eq!(
        post(server.address, "/hook", &event_headers, &event)
            .await
            .status,
        200
    );
    assert_eq!(handler.calls("Ev_handshake"), 1);
    drop(server);

    // Zoom's endpoint.url_validation: the plainToken and its HMAC, as JSON.
    let handler = Handler::default();
    let secret = "zoom secret token";
    let server = F::serve(
        layer(Scheme::zoom(), secret, Handshake::zoom(secret).unwrap()),
        handler.clone(),
    )
    .await;
    let body = Bytes::from_static(
        br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#,
    );
    let answer = post(
        server.address,
        "/hook",
        &signed(Scheme::zoom(), secret, "", &body),
        &body,
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(content_type(&answer), "application/json");
    let reply: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let mut expected = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    expected.update(b"qgg8vlvZRS6UYooatFL8Aw");
    assert_eq!(reply["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
    assert_eq!(
        reply["encryptedToken"],
        hex::encode(expected.finalize().into_bytes())
    );
    let forged = signed(Scheme::zoom(), "another token", "", &body);
    assert_eq!(
        post(server.address, "/hook", &forged, &body).await.status,
        401
    );
    assert_eq!(handler.total_calls(), 0);
    drop(server);

    // Twitch's webhook_callback_verification: the challenge, as plain text;
    // the same body as a notification is a delivery.
    let handler = Handler::default();
    let secret = "twitch subscription secret";
    let server = F::serve(
        layer(Scheme::twitch(), secret, Handshake::twitch()),
        handler.clone(),
    )
    .await;
    let body = Bytes::from_static(
        br#"{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"webhook_callback_verification_pending","type":"channel.follow"}}"#,
    );
    let mut headers = signed(
        Scheme::twitch(),
        secret,
        "e76c6bd4-55c9-4987-8304-da1588d8988b",
        &body,
    );
    headers.insert(
        "twitch-eventsub-message-type",
        "webhook_callback_verification".parse().unwrap(),
    );
    let answer = post(server.address, "/hook", &headers, &body).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "pogchamp-kappa-360noscope-vohiyo");
    assert_eq!(handler.total_calls(), 0);
    headers.insert(
        "twitch-eventsub-message-type",
        "notification".parse().unwrap(),
    );
    assert_eq!(
        post(server.address, "/hook", &headers, &body).await.status,
        200
    );
    assert_eq!(handler.calls("e76c6bd4-55c9-4987-8304-da1588d8988b"), 1);
}

pub(crate) async fn unsigned_handshakes_are_answered_from_the_head_and_let_nothing_through<
    F: Face,
>() {
    // Meta: the challenge when the verify token matches, 401 when not, and
    // a GET that is no handshake is refused as an unsigned delivery.
    let handler = Handler::default();
    let server = F::serve(
        layer(
            Scheme::meta(),
            "app secret",
            Handshake::meta("my verify token").unwrap(),
        ),
        handler.clone(),
    )
    .await;
    let subscribe =
        "/any?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my+verify%20token";
    let answer = get(server.address, subscribe, &[]).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "1158201444");
    let wrong = "/any?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my+verify+tokem";
    assert_eq!(get(server.address, wrong, &[]).await.status, 401);
    let markup =
        "/any?hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=my+verify+token";
    assert_eq!(
        get(server.address, markup, &[]).await.status,
        400,
        "never echoed"
    );
    assert_eq!(get(server.address, "/any", &[]).await.status, 400);
    assert_eq!(handler.total_calls(), 0);
    drop(server);

    // Dropbox: an echo, marked not to be sniffed.
    let handler = Handler::default();
    let server = F::serve(
        layer(Scheme::dropbox(), "app secret", Handshake::dropbox()),
        handler.clone(),
    )
    .await;
    let answer = get(server.address, "/any?challenge=Yp1Ulq0rZ6Rn8cN5-x", &[]).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "Yp1Ulq0rZ6Rn8cN5-x");
    assert_eq!(answer.headers["x-content-type-options"], "nosniff");
    let long = format!("/any?challenge={}", "a".repeat(257));
    assert_eq!(get(server.address, &long, &[]).await.status, 400, "bounded");
    assert_eq!(handler.total_calls(), 0);
    drop(server);

    // Okta: the verification value as JSON once the Authorization matches.
    let handler = Handler::default();
    let authorization = "okta hook value";
    let server = F::serve(
        layer(
            Scheme::okta(),
            authorization,
            Handshake::okta(authorization).unwrap(),
        ),
        handler.clone(),
    )
    .await;
    let challenge = (
        "x-okta-verification-challenge",
        "rGuyPRKf07kL7Lsc5RpMnF9gcyH0c",
    );
    let answer = get(
        server.address,
        "/any",
        &[challenge, ("authorization", authorization)],
    )
    .await;
    assert_eq!(answer.status, 200);
    let reply: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        reply,
        serde_json::json!({"verification": "rGuyPRKf07kL7Lsc5RpMnF9gcyH0c"})
    );
    assert_eq!(get(server.address, "/any", &[challenge]).await.status, 401);
    assert_eq!(
        get(
            server.address,
            "/any",
            &[challenge, ("authorization", "guess")]
        )
        .await
        .status,
        401
    );
    assert_eq!(handler.total_calls(), 0);
    drop(server);

    // Asana: the secret goes to the callback, which decides; echoed only
    // when kept.
    let handler = Handler::default();
    let kept = Arc::new(Mutex::new(Vec::<String>::new()));
    let keeper = kept.clone();
    let handshake = Handshake::asana(move |secret| {
        let mut kept = keeper.lock().unwrap();
        let first = kept.is_empty();
        kept.push(secret.to_owned());
        first
    });
    let server = F::serve(
        layer(Scheme::asana(), "placeholder", handshake),
        handler.clone(),
    )
    .await;
    let hook_secret = (
        "x-hook-secret",
        "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81",
    );
    let answer = post_raw(server.address, &[hook_secret], b"").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers["x-hook-secret"], hook_secret.1);
    let again = post_raw(server.address, &[("x-hook-secret", "attacker-chosen")], b"").await;
    assert_eq!(again.status, 401, "the callback refused a second secret");
    assert!(!again.headers.contains_key("x-hook-secret"));
    assert_eq!(
        kept.lock().unwrap().as_slice(),
        [hook_secret.1, "attacker-chosen"]
    );
    assert_eq!(handler.total_calls(), 0);
    drop(server);

    // Mandrill: its HEAD check of the URL gets 200; a POST is a delivery.
    let handler = Handler::default();
    let server = F::serve(
        layer(Scheme::mandrill(), "mandrill key", Handshake::mandrill()),
        handler.clone(),
    )
    .await;
    let head = Request::head(format!("http://{}/any", server.address))
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(send(&client(), head).await.status, 200);
    assert_eq!(
        post_raw(server.address, &[], b"mandrill_events=%5B%5D")
            .await
            .status,
        400
    );
    assert_eq!(handler.total_calls(), 0);
    drop(server);

    // WooCommerce: its small unsigned ping gets 200, nothing else unsigned.
    let handler = Handler::default();
    let server = F::serve(
        layer(Scheme::woocommerce(), "wc secret", Handshake::woocommerce()),
        handler.clone(),
    )
    .await;
    assert_eq!(
        post_raw(server.address, &[], b"webhook_id=42").await.status,
        200
    );
    let larger = post_raw(
        server.address,
        &[],
        br#"{"id":1234,"status":"processing","total":"29.99"}"#,
    )
    .await;
    assert_eq!(larger.status, 400, "an unsigned delivery is refused");
    let topic = post_raw(
        server.address,
        &[("x-wc-webhook-topic", "order.created")],
        b"webhook_id=42",
    )
    .await;
    assert_eq!(topic.status, 400, "a delivery's headers make it no ping");
    assert_eq!(handler.total_calls(), 0);
}

/// Discord's PING (`"type": 1`) gets a PONG once its Ed25519 signature
/// verified; an interaction of another type is a delivery; a PING whose
/// signature fails gets 401, as Discord's endpoint check requires.
#[cfg(feature = "ed25519")]
pub(crate) async fn a_discord_ping_is_answered_pong_once_authentic<F: Face>() {
    use webhook_guard::scheme::Algorithm;
    use webhook_guard::secret::{KeyPair, SecretFormat};

    let keys = KeyPair::from_seed(SecretFormat::Ed25519Hex, Algorithm::Ed25519, &[9; 32]).unwrap();
    let other = KeyPair::from_seed(SecretFormat::Ed25519Hex, Algorithm::Ed25519, &[8; 32]).unwrap();
    let handler = Handler::default();
    let guard = WebhookLayer::new(
        Verifier::from_secrets(Scheme::discord(), [keys.verifying_key()]).unwrap(),
    )
    .with_handshake(Handshake::discord());
    let server = F::serve(guard, handler.clone()).await;
    let ping =
        Bytes::from_static(br#"{"id":"1208234567","application_id":"1208","type":1,"version":1}"#);
    let answer = post(
        server.address,
        "/hook",
        &signed(Scheme::discord(), keys.signing_key(), "", &ping),
        &ping,
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(content_type(&answer), "application/json");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&answer.body).unwrap(),
        serde_json::json!({"type": 1})
    );
    let forged = signed(Scheme::discord(), other.signing_key(), "", &ping);
    assert_eq!(
        post(server.address, "/hook", &forged, &ping).await.status,
        401
    );
    assert_eq!(handler.total_calls(), 0);
    let command = Bytes::from_static(br#"{"id":"1208234568","type":2,"data":{"name":"hello"}}"#);
    let headers = signed(Scheme::discord(), keys.signing_key(), "", &command);
    assert_eq!(
        post(server.address, "/hook", &headers, &command)
            .await
            .status,
        200
    );
    assert_eq!(handler.calls("1208234568"), 1);
}
