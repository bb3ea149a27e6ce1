use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue};
use webhook_guard::verify::RequestHead;
use webhook_guard::{Verified, Verifier};

use crate::UsageError;
use crate::arguments::VerifyArguments;
use crate::body_input::read_body;

pub(crate) fn run(arguments: VerifyArguments) -> Result<ExitCode, UsageError> {
    if arguments.keys.provider.is_paypal() {
        return crate::paypal_command::verify(arguments);
    }
    if arguments.cert_file.is_some() {
        return Err(UsageError(
            "--cert-file is for --provider paypal".to_owned(),
        ));
    }
    let scheme = crate::arguments::scheme(arguments.keys.provider, &arguments.generic)?;
    let verifier = Verifier::from_secrets(scheme, arguments.keys.secrets()?)?
        .with_tolerance(Duration::from_secs(arguments.tolerance));
    let headers = parse_headers(&arguments.headers)?;
    let body = read_body(arguments.keys.body_file.as_deref())?;
    let now = now(arguments.now)?;
    let verified = match &arguments.keys.url {
        Some(url) => {
            let method = crate::sign_command::request_method(&arguments.keys.method)?;
            let uri: http::Uri = url
                .parse()
                .ok()
                .filter(|uri: &http::Uri| uri.scheme().is_some() && uri.authority().is_some())
                .ok_or_else(|| UsageError(format!("--url {url} is not an absolute URL")))?;
            verifier.verify_request_at(RequestHead::new(&method, &uri, &headers), &body, now)
        }
        None if verifier.scheme().signs_request() => {
            return Err(UsageError(format!(
                "--url: {} signs the URL the request went to",
                verifier.scheme().provider()
            )));
        }
        None => verifier.verify_at(&headers, &body, now),
    };
    Ok(report(verified, body.len()))
}

/// `--now`, or now.
pub(crate) fn now(seconds: Option<u64>) -> Result<SystemTime, UsageError> {
    match seconds {
        Some(seconds) => UNIX_EPOCH
            .checked_add(Duration::from_secs(seconds))
            .ok_or_else(|| UsageError(format!("--now {seconds} is beyond this system's clock"))),
        None => Ok(SystemTime::now()),
    }
}

/// Prints the facts (exit 0) or why not (exit 1), on one line; a signature
/// that does not match comes with the body's length and the usual causes.
pub(crate) fn report(
    verified: Result<Verified, webhook_guard::VerifyError>,
    body_len: usize,
) -> ExitCode {
    match verified {
        Ok(verified) => {
            println!("{}", facts(&verified));
            ExitCode::SUCCESS
        }
        Err(error @ webhook_guard::VerifyError::SignatureMismatch) => {
            eprintln!(
                "not verified ({}): {error}; the body was {body_len} bytes. Usual causes: a line break \
                 the body never had (`echo` adds one: use `printf '%s'` or --body-file), a body \
                 parsed and written again (verify the bytes as received), or the wrong key (the \
                 webhook's signing secret, not an API key; a rotated-out one)",
                error.reason()
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("not verified ({}): {error}", error.reason());
            ExitCode::FAILURE
        }
    }
}

/// `Name: value` lines into a header map; a repeated name is kept repeated.
pub(crate) fn parse_headers(lines: &[String]) -> Result<HeaderMap, UsageError> {
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| UsageError(format!("`{line}` is not `Name: value`")))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| UsageError(format!("`{}` is not a header name", name.trim())))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| UsageError(format!("the value of `{name}` is not a header value")))?;
        headers.append(name, value);
    }
    Ok(headers)
}

/// The verified facts as one JSON object.
fn facts(verified: &Verified) -> serde_json::Value {
    serde_json::json!({
        "provider": verified.provider().name(),
        "event_id": verified.event_id(),
        "event_id_signed": verified.event_id_is_signed(),
        "timestamp": verified.timestamp_unix(),
        "key_index": verified.key_index(),
    })
}
