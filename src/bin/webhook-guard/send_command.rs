//! `send`: sign a delivery the provider's way and POST it, once or as a
//! storm of copies; print the answer, or a summary of the answers.

use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use webhook_guard::Signer;
use webhook_guard::paypal::PayPalSigner;
use webhook_guard::scheme::PayloadFormat;
use webhook_guard::secret::KeyPair;

use crate::UsageError;
use crate::arguments::{SendArguments, Tamper};
use crate::body_input::read_body;
use crate::http_client::{Answer, Client};

/// The most retries of one copy with `--retry`.
const MAX_RETRIES: u32 = 5;
/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// What `--cert-url` a PayPal delivery names (a pinned verifier does not
/// read it).
const PAYPAL_CERT_URL: &str =
    "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-webhook-guard-local";

/// One delivery, signed and ready to send.
struct Delivery {
    method: Method,
    url: Uri,
    headers: HeaderMap,
    body: Bytes,
}

pub(crate) fn run(arguments: SendArguments) -> Result<ExitCode, UsageError> {
    let url_text = arguments
        .keys
        .url
        .clone()
        .ok_or_else(|| UsageError("--url: where to send the delivery".to_owned()))?;
    let url = crate::http_client::target_url("--url", &url_text)?;
    let method = crate::sign_command::request_method(&arguments.keys.method)?;
    let timestamp = send_time(arguments.timestamp.as_deref())?;
    let id = arguments
        .id
        .clone()
        .unwrap_or_else(crate::sign_command::fresh_id);
    let fixture = match &arguments.fixture {
        Some(name) => Some(fixture(&arguments, name)?),
        None => None,
    };
    let body = match fixture {
        Some(fixture) => fixture.body(&id, timestamp),
        None => read_body(arguments.keys.body_file.as_deref())?,
    };
    let extra = crate::verify_command::parse_headers(&arguments.headers)?;

    let signed = |key: SigningKey, time: SystemTime| sign(&arguments, key, &id, time, &body);
    let (mut headers, mut signed_body, content_type) = signed(SigningKey::Given, timestamp)?;
    match arguments.tamper {
        None => {}
        Some(Tamper::Body) => {
            if !content_type.1 {
                eprintln!(
                    "webhook-guard: note: this provider's signature does not cover the whole body; a changed body may still verify"
                );
            }
            signed_body.push(b' ');
        }
        Some(Tamper::Signature) => {
            (headers, signed_body, _) = signed(SigningKey::Fresh, timestamp)?;
        }
        Some(Tamper::Timestamp) => {
            let later = timestamp + Duration::from_secs(1);
            let (later_headers, later_body, _) = signed(SigningKey::Given, later)?;
            (headers, signed_body) = move_timestamp(
                headers,
                signed_body,
                (&later_headers, &later_body),
                &signature_header(&arguments)?,
                timestamp,
            )?;
        }
    }
    if !headers.contains_key(http::header::CONTENT_TYPE) {
        let content_type = fixture.map_or(content_type.0, |fixture| fixture.content_type());
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
    }
    for (name, value) in &extra {
        headers.insert(name.clone(), value.clone());
    }
    let delivery = Arc::new(Delivery {
        method,
        url,
        headers,
        body: Bytes::from(signed_body),
    });

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| UsageError(format!("cannot start the HTTP client: {error}")))?;
    let copies = arguments.repeat;
    let outcome = runtime.block_on(send_all(
        delivery,
        copies,
        arguments.concurrency.min(copies),
        arguments.retry,
    ));
    Ok(report(outcome, copies))
}

/// The sample event `name` of `--provider`.
fn fixture(
    arguments: &SendArguments,
    name: &str,
) -> Result<&'static webhook_guard::fixtures::Fixture, UsageError> {
    let crate::arguments::ProviderName::BuiltIn(provider) = arguments.keys.provider else {
        return Err(UsageError(
            "--fixture: a built-in --provider (fixtures are the providers' sample events)"
                .to_owned(),
        ));
    };
    webhook_guard::fixtures::find(provider.name(), name).ok_or_else(|| {
        let names: Vec<&str> = webhook_guard::fixtures::for_provider(provider.name())
            .map(|fixture| fixture.name())
            .collect();
        UsageError(format!(
            "--fixture {name}: {} has {}",
            provider.name(),
            names.join(", ")
        ))
    })
}

/// Which key signs: the one given, or (`--tamper signature`) a fresh one of
/// the same kind, which the receiver does not hold.
#[derive(Clone, Copy)]
enum SigningKey {
    Given,
    Fresh,
}

/// The headers and body of the delivery, and its content type with whether
/// the signature covers the whole body.
type Signed = (HeaderMap, Vec<u8>, (&'static str, bool));

fn sign(
    arguments: &SendArguments,
    key: SigningKey,
    id: &str,
    time: SystemTime,
    body: &[u8],
) -> Result<Signed, UsageError> {
    let secrets = arguments.keys.secrets()?;
    let content_type = content_type(body);
    if arguments.keys.provider.is_paypal() {
        let [webhook_id] = secrets.as_slice() else {
            return Err(UsageError(
                "paypal: one --secret, the webhook ID (the key is --key-file)".to_owned(),
            ));
        };
        let pem = match key {
            SigningKey::Fresh => fresh_key(
                webhook_guard::Scheme::paypal(webhook_id)
                    .map_err(|error| UsageError(format!("paypal: {error}")))?,
            )?,
            SigningKey::Given => {
                let file = arguments.key_file.as_deref().ok_or_else(|| {
                    UsageError(
                        "paypal: --key-file PEM (the private key; --secret is the webhook ID)"
                            .to_owned(),
                    )
                })?;
                std::fs::read_to_string(file).map_err(|error| {
                    UsageError(format!("--key-file {}: {error}", file.display()))
                })?
            }
        };
        let signer = PayPalSigner::new(webhook_id, &pem, PAYPAL_CERT_URL)?;
        // The body is covered by its CRC-32 only.
        return Ok((
            signer.sign(id, time, body)?,
            body.to_vec(),
            (content_type, false),
        ));
    }
    let scheme = crate::arguments::scheme(arguments.keys.provider, &arguments.generic)?;
    let signer = match key {
        SigningKey::Fresh => {
            let fresh = fresh_key(scheme.clone())?;
            Signer::from_secrets(scheme, [fresh])?
        }
        SigningKey::Given => Signer::from_secrets(scheme, secrets)?,
    };
    let covers_body = !signer.scheme().signs_in_the_body()
        && !signer
            .scheme()
            .signature_algorithms()
            .contains(&webhook_guard::scheme::Algorithm::SharedToken);
    if signer.scheme().signs_in_the_body() {
        let signed = signer.sign_into_body(id, time, body)?;
        return Ok((HeaderMap::new(), signed, ("application/json", false)));
    }
    let url = arguments.keys.url.as_deref().unwrap_or_default();
    let method = crate::sign_command::request_method(&arguments.keys.method)?;
    let content_type = match signer.scheme().payload_format() {
        PayloadFormat::JsonOrForm => content_type,
        _ => "application/json",
    };
    Ok((
        signer.sign_request(&method, url, id, time, body)?,
        body.to_vec(),
        (content_type, covers_body),
    ))
}

/// The header that carries the signature, which `--tamper timestamp` keeps.
fn signature_header(arguments: &SendArguments) -> Result<http::HeaderName, UsageError> {
    if arguments.keys.provider.is_paypal() {
        return Ok(http::HeaderName::from_static("paypal-transmission-sig"));
    }
    let scheme = crate::arguments::scheme(arguments.keys.provider, &arguments.generic)?;
    Ok(scheme.signature_header().clone())
}

/// A signing key of the scheme's kind that nobody holds.
fn fresh_key(scheme: webhook_guard::Scheme) -> Result<String, UsageError> {
    let algorithm = scheme.signature_algorithms()[0];
    let pair = KeyPair::generate(scheme.secret_format(), algorithm)?;
    Ok(pair.signing_key().to_owned())
}

/// JSON where the body starts like JSON, else a form.
fn content_type(body: &[u8]) -> &'static str {
    match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'{' | b'[') | None => "application/json",
        Some(_) => "application/x-www-form-urlencoded",
    }
}

/// The delivery signed at `at`, with its timestamp replaced by the one of
/// the delivery signed a second later (and its signature kept): each header
/// but the signature's that differs between the two; else the UNIX time
/// inside the signature header (Stripe's `t=`) or the body (Mailgun's).
fn move_timestamp(
    mut headers: HeaderMap,
    body: Vec<u8>,
    (later_headers, later_body): (&HeaderMap, &[u8]),
    signature: &http::HeaderName,
    at: SystemTime,
) -> Result<(HeaderMap, Vec<u8>), UsageError> {
    let mut moved = false;
    for (name, value) in later_headers {
        if headers.get(name) != Some(value) && name != signature {
            headers.insert(name.clone(), value.clone());
            moved = true;
        }
    }
    if moved {
        return Ok((headers, body));
    }
    let seconds = at
        .duration_since(UNIX_EPOCH)
        .map_err(|_| UsageError("--timestamp is before 1970".to_owned()))?
        .as_secs();
    let (now, later) = (seconds.to_string(), (seconds + 1).to_string());
    for value in headers.values_mut() {
        let text = value.to_str().unwrap_or_default();
        if text.contains(&now) {
            *value = HeaderValue::from_str(&text.replacen(&now, &later, 1))
                .map_err(|_| UsageError("cannot move the timestamp".to_owned()))?;
            return Ok((headers, body));
        }
    }
    if body != later_body {
        let quoted = format!("\"{now}\"");
        let text = String::from_utf8_lossy(&body);
        if text.contains(&quoted) {
            let moved = text.replacen(&quoted, &format!("\"{later}\""), 1);
            return Ok((headers, moved.into_bytes()));
        }
    }
    Err(UsageError(
        "--tamper timestamp: this provider signs no timestamp".to_owned(),
    ))
}

/// `--timestamp`: `now`, a UNIX time, or `-10m` / `+30s` from now.
fn send_time(text: Option<&str>) -> Result<SystemTime, UsageError> {
    let refuse = |text: &str| {
        UsageError(format!(
            "--timestamp {text}: `now`, a UNIX time, or relative like -10m (s, m, h, d)"
        ))
    };
    let now = SystemTime::now();
    let text = match text {
        None | Some("now") => return Ok(now),
        Some(text) => text,
    };
    if let Ok(seconds) = text.parse::<u64>() {
        return UNIX_EPOCH
            .checked_add(Duration::from_secs(seconds))
            .ok_or_else(|| refuse(text));
    }
    let (sign, rest) = match text.split_at_checked(1) {
        Some(("-", rest)) => (-1, rest),
        Some(("+", rest)) => (1, rest),
        _ => return Err(refuse(text)),
    };
    let (digits, unit) = rest.split_at(rest.len().saturating_sub(1));
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(refuse(text)),
    };
    let amount: u64 = digits.parse().map_err(|_| refuse(text))?;
    let offset = Duration::from_secs(amount.checked_mul(scale).ok_or_else(|| refuse(text))?);
    let time = if sign < 0 {
        now.checked_sub(offset)
    } else {
        now.checked_add(offset)
    };
    time.ok_or_else(|| refuse(text))
}

/// What the copies got: the last answer (what a single send prints), and
/// how many answers of each kind.
struct Outcome {
    last: Option<Result<Answer, String>>,
    tally: BTreeMap<String, u32>,
    all_2xx: bool,
}

async fn send_all(delivery: Arc<Delivery>, copies: u32, concurrency: u32, retry: bool) -> Outcome {
    let client = Client::new();
    let next = Arc::new(AtomicU32::new(0));
    let done = Arc::new(AtomicU32::new(0));
    let outcome = Arc::new(Mutex::new(Outcome {
        last: None,
        tally: BTreeMap::new(),
        all_2xx: true,
    }));
    let progress = copies > 1 && std::io::stderr().is_terminal();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, delivery, next, done, outcome) = (
            client.clone(),
            delivery.clone(),
            next.clone(),
            done.clone(),
            outcome.clone(),
        );
        workers.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < copies {
                let answer = send_one(&client, &delivery, retry).await;
                let kind = match &answer {
                    Ok(answer) if answer.headers.contains_key("webhook-duplicate") => {
                        format!("{} (duplicate)", answer.status)
                    }
                    Ok(answer) => answer.status.to_string(),
                    Err(_) => "no answer".to_owned(),
                };
                let mut outcome = outcome.lock().unwrap_or_else(|e| e.into_inner());
                outcome.all_2xx &= answer.as_ref().is_ok_and(|a| a.status.is_success());
                *outcome.tally.entry(kind).or_default() += 1;
                outcome.last = Some(answer);
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if progress {
                    eprint!("\r{finished}/{copies} sent");
                }
            }
        }));
    }
    for worker in workers {
        // A worker panics only on a bug; its copies count as unanswered.
        let _ = worker.await;
    }
    if progress {
        eprintln!();
    }
    let mut outcome = outcome.lock().unwrap_or_else(|e| e.into_inner());
    let answered: u32 = outcome.tally.values().sum();
    if answered < copies {
        outcome.all_2xx = false;
        *outcome.tally.entry("no answer".to_owned()).or_default() += copies - answered;
    }
    Outcome {
        last: outcome.last.take(),
        tally: std::mem::take(&mut outcome.tally),
        all_2xx: outcome.all_2xx,
    }
}

/// One copy, retried as `--retry` says.
async fn send_one(client: &Client, delivery: &Delivery, retry: bool) -> Result<Answer, String> {
    let mut attempt = 0;
    loop {
        let answer = client
            .send(
                &delivery.method,
                &delivery.url,
                &delivery.headers,
                delivery.body.clone(),
            )
            .await;
        let retryable = match &answer {
            Ok(answer) => {
                answer.status == StatusCode::CONFLICT
                    || answer.status == StatusCode::TOO_MANY_REQUESTS
                    || answer.status.is_server_error()
            }
            Err(_) => true,
        };
        if !retry || !retryable || attempt == MAX_RETRIES {
            return answer;
        }
        let retry_after = answer.as_ref().ok().and_then(|answer| {
            answer
                .headers
                .get(http::header::RETRY_AFTER)?
                .to_str()
                .ok()?
                .trim()
                .parse::<u64>()
                .ok()
        });
        let wait = retry_after
            .map(|seconds| Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
            .unwrap_or(Duration::from_secs(1 << attempt));
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// Prints the answer of a single send (status, headers, body), or the tally
/// of a storm; exit 0 when every answer was a 2xx. A closed standard output
/// (`| head`) ends the printing, not the process with a panic.
fn report(outcome: Outcome, copies: u32) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let printed = if copies == 1 {
        match &outcome.last {
            Some(Ok(answer)) => print_answer(&mut out, answer),
            Some(Err(error)) => {
                eprintln!("webhook-guard: no answer: {error}");
                Ok(())
            }
            None => Ok(()),
        }
    } else {
        if let Some(Err(error)) = &outcome.last {
            eprintln!("webhook-guard: the last copy got no answer: {error}");
        }
        outcome
            .tally
            .iter()
            .try_for_each(|(kind, count)| writeln!(out, "{count:>6} × {kind}"))
    };
    drop(printed);
    if outcome.all_2xx {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_answer(out: &mut impl Write, answer: &Answer) -> std::io::Result<()> {
    writeln!(out, "HTTP/1.1 {}", answer.status)?;
    for (name, value) in &answer.headers {
        writeln!(out, "{name}: {}", String::from_utf8_lossy(value.as_bytes()))?;
    }
    writeln!(out)?;
    out.write_all(&answer.body)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_timestamp_is_refused_by_every_provider_that_signs_one() {
        use webhook_guard::Verifier;
        use webhook_guard::verify::RequestHead;
        let url = "https://hooks.example.com/webhooks/x";
        let uri: Uri = url.parse().unwrap();
        let at = UNIX_EPOCH + Duration::from_secs(1_796_000_000);
        let mut checked = 0;
        for provider in webhook_guard::providers::all() {
            let scheme = provider.scheme();
            if !scheme.signs_timestamp() || provider.name() == "paypal" {
                continue;
            }
            let pair = KeyPair::from_seed(
                scheme.secret_format(),
                scheme.signature_algorithms()[0],
                &[3; 32],
            )
            .unwrap();
            let signer = Signer::from_secrets(scheme.clone(), [pair.signing_key()]).unwrap();
            let verifier = Verifier::from_secrets(scheme.clone(), [pair.verifying_key()])
                .unwrap()
                .with_public_url(url)
                .unwrap();
            let body = br#"{"id":"evt_1","signature":{}}"#;
            let sign = |time| {
                if scheme.signs_in_the_body() {
                    (
                        HeaderMap::new(),
                        signer.sign_into_body("tok_1", time, body).unwrap(),
                    )
                } else {
                    (
                        signer
                            .sign_request(&Method::POST, url, "msg_1", time, body)
                            .unwrap(),
                        body.to_vec(),
                    )
                }
            };
            let (headers, signed) = sign(at);
            let (later_headers, later_body) = sign(at + Duration::from_secs(1));
            let (moved_headers, moved_body) = move_timestamp(
                headers,
                signed,
                (&later_headers, &later_body),
                scheme.signature_header(),
                at,
            )
            .unwrap_or_else(|error| panic!("{}: {}", provider.name(), error.0));
            let result = verifier.verify_request_at(
                RequestHead::new(&Method::POST, &uri, &moved_headers),
                &moved_body,
                at,
            );
            assert_eq!(
                result.map(|_| ()).map_err(|error| error.reason()),
                Err("signature_mismatch"),
                "{}",
                provider.name()
            );
            checked += 1;
        }
        assert!(checked >= 15, "only {checked}");
    }

    #[test]
    fn send_times_are_now_unix_or_relative() {
        let now = SystemTime::now();
        let ago = send_time(Some("-10m")).unwrap();
        let age = now.duration_since(ago).unwrap().as_secs();
        assert!((599..=601).contains(&age), "{age}");
        assert_eq!(
            send_time(Some("1700000000")).unwrap(),
            UNIX_EPOCH + Duration::from_secs(1_700_000_000)
        );
        assert!(send_time(Some("+1h")).unwrap() > now);
        for bad in [
            "yesterday",
            "-10",
            "-m",
            "10m",
            "-10w",
            "-99999999999999999999d",
        ] {
            assert!(send_time(Some(bad)).is_err(), "{bad}");
        }
    }
}
