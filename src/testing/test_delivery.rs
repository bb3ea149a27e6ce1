use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName, HeaderValue, Method, Request};

use crate::fixtures::Fixture;
use crate::secret::KeyPair;
use crate::{SignError, Signer};

/// A signed delivery for a handler test, built in one line from a
/// [`Signer`]: an [`http::Request`] for axum or any Tower service
/// (`tower::ServiceExt::oneshot`), or an actix-web `TestRequest` (feature
/// `actix`). Signed exactly as the guard verifies, at the moment it is
/// built; variants that the guard must refuse are one call away.
///
/// ```
/// use webhook_guard::testing::TestDelivery;
/// use webhook_guard::{Signer, Verifier};
///
/// let signer = Signer::stripe("whsec_test")?;
/// let request: http::Request<Vec<u8>> = TestDelivery::new(signer, r#"{"id":"evt_1"}"#)
///     .url("/webhooks/stripe")
///     .http_request()?;
/// assert!(request.headers().contains_key("stripe-signature"));
///
/// let verifier = Verifier::stripe("whsec_test")?;
/// let verified = verifier.verify(request.headers(), request.body())?;
/// assert_eq!(verified.event_id(), Some("evt_1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TestDelivery {
    signer: Signer,
    body: Vec<u8>,
    id: String,
    timestamp: Option<SystemTime>,
    method: Method,
    url: String,
    headers: HeaderMap,
    change: Option<Change>,
    fixture: Option<&'static Fixture>,
}

/// What a variant changes after (or instead of) signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Body,
    Signature,
}

/// How far in the past [`TestDelivery::stale`] dates a delivery: an hour,
/// beyond every provider's tolerance.
const STALE_BY: Duration = Duration::from_secs(3600);

impl TestDelivery {
    /// `body`, to be sent as a fresh event (a `msg_test_…` ID unique in
    /// this process) signed now, `POST /`.
    pub fn new(signer: Signer, body: impl Into<Vec<u8>>) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self {
            signer,
            body: body.into(),
            id: format!("msg_test_{}", NEXT.fetch_add(1, Ordering::Relaxed)),
            timestamp: None,
            method: Method::POST,
            url: "/".to_owned(),
            headers: HeaderMap::new(),
            change: None,
            fixture: None,
        }
    }

    /// A provider's sample event ([`fixtures`](crate::fixtures)), its body
    /// made for this delivery's ID and time when it is signed, sent with
    /// the fixture's content type.
    ///
    /// ```
    /// use webhook_guard::testing::TestDelivery;
    /// use webhook_guard::{Signer, Verifier, fixtures};
    ///
    /// let fixture = fixtures::find("stripe", "payment_intent.succeeded").unwrap();
    /// let delivery = TestDelivery::from_fixture(Signer::stripe("whsec_test")?, fixture).id("evt_42");
    /// let request: http::Request<Vec<u8>> = delivery.http_request()?;
    /// let verified = Verifier::stripe("whsec_test")?.verify(request.headers(), request.body())?;
    /// assert_eq!(verified.event_id(), Some("evt_42"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_fixture(signer: Signer, fixture: &'static Fixture) -> Self {
        Self {
            fixture: Some(fixture),
            ..Self::new(signer, Vec::new())
        }
    }

    /// The event ID to send (where the scheme carries it in a header, or,
    /// for Mailgun, as its token). Stripe and others keep it in the body:
    /// write it there.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// When it was sent (default: when the request is built).
    pub fn timestamp(mut self, timestamp: SystemTime) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Sent an hour ago: a guard must refuse it as stale (for schemes that
    /// sign a timestamp).
    pub fn stale(mut self) -> Self {
        self.timestamp = Some(SystemTime::now() - STALE_BY);
        self
    }

    /// The request's URL: a path (`/webhooks/stripe`), or, for schemes that
    /// sign the URL (Twilio, Square, HubSpot, Mandrill), the public URL the
    /// verifier is configured with (`https://example.com/webhooks/twilio`),
    /// which is what is signed.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// The request method (default `POST`).
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// A header to send as well; it replaces a signed one of the same name.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// A space added to the body after signing: a guard must refuse it
    /// (where the scheme signs the body; see
    /// [`Verified::body_is_signed`](crate::Verified::body_is_signed)).
    pub fn tampered_body(mut self) -> Self {
        self.change = Some(Change::Body);
        self
    }

    /// Signed with a fresh key of the scheme's kind, which no verifier
    /// holds: a guard must refuse it.
    pub fn tampered_signature(mut self) -> Self {
        self.change = Some(Change::Signature);
        self
    }

    /// The headers and the body, signed now (or at the set timestamp).
    pub fn signed(&self) -> Result<(HeaderMap, Vec<u8>), SignError> {
        let time = self.timestamp.unwrap_or_else(SystemTime::now);
        let fresh;
        let signer = match self.change {
            Some(Change::Signature) => {
                let scheme = self.signer.scheme().clone();
                let algorithm = scheme.signature_algorithms()[0];
                // A key of the scheme's own kind always parses as one.
                let pair = KeyPair::generate(scheme.secret_format(), algorithm)
                    .map_err(|_| SignError::SigningFailed)?;
                fresh = Signer::from_secrets(scheme, [pair.signing_key()])
                    .map_err(|_| SignError::SigningFailed)?;
                &fresh
            }
            _ => &self.signer,
        };
        let body = match self.fixture {
            Some(fixture) => fixture.body(&self.id, time),
            None => self.body.clone(),
        };
        let (mut headers, mut body) = if signer.scheme().signs_in_the_body() {
            let body = signer.sign_into_body(&self.id, time, &body)?;
            (HeaderMap::new(), body)
        } else {
            let headers = signer.sign_request(&self.method, &self.url, &self.id, time, &body)?;
            (headers, body)
        };
        if self.change == Some(Change::Body) {
            body.push(b' ');
        }
        if !headers.contains_key(http::header::CONTENT_TYPE) {
            let content_type = match self.fixture {
                Some(fixture) => HeaderValue::from_static(fixture.content_type()),
                None => content_type(&body),
            };
            headers.insert(http::header::CONTENT_TYPE, content_type);
        }
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok((headers, body))
    }

    /// An [`http::Request`] carrying the delivery, for axum or any Tower
    /// service (`tower::ServiceExt::oneshot`): `B` is `axum::body::Body`,
    /// `Vec<u8>`, `Full<Bytes>`, … anything made from the bytes.
    pub fn http_request<B: From<Vec<u8>>>(&self) -> Result<Request<B>, SignError> {
        let (headers, body) = self.signed()?;
        let mut request = Request::new(B::from(body));
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.url.parse().map_err(|_| SignError::InvalidUrl)?;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// An actix-web `TestRequest` carrying the delivery, for
    /// `actix_web::test::call_service`.
    #[cfg(feature = "actix")]
    pub fn actix_request(&self) -> Result<actix_web::test::TestRequest, SignError> {
        let (headers, body) = self.signed()?;
        let mut request = actix_web::test::TestRequest::default()
            .method(
                actix_web::http::Method::from_bytes(self.method.as_str().as_bytes())
                    .unwrap_or(actix_web::http::Method::POST),
            )
            .uri(&self.url);
        for (name, value) in &headers {
            if let Ok(value) = actix_web::http::header::HeaderValue::from_bytes(value.as_bytes()) {
                request = request.append_header((name.as_str(), value));
            }
        }
        Ok(request.set_payload(body))
    }
}

/// JSON where the body starts like JSON, else a form.
fn content_type(body: &[u8]) -> HeaderValue {
    match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'{' | b'[') | None => HeaderValue::from_static("application/json"),
        Some(_) => HeaderValue::from_static("application/x-www-form-urlencoded"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scheme, Verifier};

    #[test]
    fn fresh_stale_and_tampered_deliveries_verify_as_they_say() {
        let signer = Signer::standard_webhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let verifier =
            Verifier::standard_webhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let delivery = TestDelivery::new(signer, r#"{"a":1}"#);
        let check = |delivery: &TestDelivery| {
            let request: Request<Vec<u8>> = delivery.http_request().unwrap();
            verifier.verify(request.headers(), request.body())
        };
        let verified = check(&delivery.clone().id("msg_1")).unwrap();
        assert_eq!(verified.event_id(), Some("msg_1"));
        assert_eq!(
            check(&delivery.clone().stale()).unwrap_err().reason(),
            "timestamp_out_of_tolerance"
        );
        for tampered in [
            delivery.clone().tampered_body(),
            delivery.clone().tampered_signature(),
        ] {
            assert_eq!(check(&tampered).unwrap_err().reason(), "signature_mismatch");
        }
        // Two deliveries of one test are two events.
        let (first, _) = TestDelivery::new(
            Signer::standard_webhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap(),
            "{}",
        )
        .signed()
        .unwrap();
        let (second, _) = TestDelivery::new(
            Signer::standard_webhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap(),
            "{}",
        )
        .signed()
        .unwrap();
        assert_ne!(first["webhook-id"], second["webhook-id"]);
    }

    #[test]
    fn a_url_signing_scheme_is_signed_for_the_url_given() {
        let url = "https://example.com/webhooks/twilio";
        let signer = Signer::from_secrets(Scheme::twilio(), ["token"]).unwrap();
        let request: Request<Vec<u8>> = TestDelivery::new(signer, "Body=hi&From=%2B1555")
            .url(url)
            .http_request()
            .unwrap();
        assert_eq!(
            request.headers()["content-type"],
            "application/x-www-form-urlencoded"
        );
        let verifier = Verifier::from_secrets(Scheme::twilio(), ["token"])
            .unwrap()
            .with_public_url(url)
            .unwrap();
        let (parts, body) = request.into_parts();
        assert!(
            verifier
                .verify_request_at((&parts).into(), &body, SystemTime::now())
                .is_ok()
        );
    }
}
