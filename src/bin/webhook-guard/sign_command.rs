use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use webhook_guard::Signer;

use crate::UsageError;
use crate::arguments::SignArguments;
use crate::body_input::read_body;

pub(crate) fn run(arguments: SignArguments) -> Result<ExitCode, UsageError> {
    if arguments.keys.provider.is_paypal() {
        return crate::paypal_command::sign(arguments);
    }
    if arguments.key_file.is_some() || arguments.cert_url.is_some() {
        return Err(UsageError(
            "--key-file and --cert-url are for --provider paypal".to_owned(),
        ));
    }
    let scheme = crate::arguments::scheme(arguments.keys.provider, &arguments.generic)?;
    let signer = Signer::from_secrets(scheme, arguments.keys.secrets()?)?;
    let body = read_body(arguments.keys.body_file.as_deref())?;
    let timestamp = timestamp(arguments.timestamp)?;
    let id = arguments.id.unwrap_or_else(fresh_id);
    if signer.scheme().signs_in_the_body() {
        // Mailgun: the signature goes into the body, which is what to send.
        let signed = signer.sign_into_body(&id, timestamp, &body)?;
        println!("{}", String::from_utf8_lossy(&signed));
        return Ok(ExitCode::SUCCESS);
    }
    let headers = match &arguments.keys.url {
        Some(url) => {
            let method = request_method(&arguments.keys.method)?;
            signer.sign_request(&method, url, &id, timestamp, &body)?
        }
        None if signer.scheme().signs_request() => {
            return Err(UsageError(format!(
                "--url: {} signs the URL the request goes to",
                signer.scheme().provider()
            )));
        }
        None => signer.sign(&id, timestamp, &body)?,
    };
    print_headers(&headers);
    Ok(ExitCode::SUCCESS)
}

/// `--timestamp`, or now.
pub(crate) fn timestamp(seconds: Option<u64>) -> Result<SystemTime, UsageError> {
    match seconds {
        Some(seconds) => UNIX_EPOCH
            .checked_add(Duration::from_secs(seconds))
            .ok_or_else(|| {
                UsageError(format!(
                    "--timestamp {seconds} is beyond this system's clock"
                ))
            }),
        None => Ok(SystemTime::now()),
    }
}

/// One `Name: value` line per header.
pub(crate) fn print_headers(headers: &http::HeaderMap) {
    for (name, value) in headers {
        // Every value the signer writes is ASCII.
        println!("{}: {}", name, value.to_str().unwrap_or_default());
    }
}

/// `--method`, as an HTTP method.
pub(crate) fn request_method(method: &str) -> Result<http::Method, UsageError> {
    http::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| UsageError(format!("--method {method} is not an HTTP method")))
}

/// A message ID unique to this moment: `msg_` and the nanoseconds since the
/// epoch, in hex.
pub(crate) fn fresh_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_nanos())
        .unwrap_or_default();
    format!("msg_{nanos:x}")
}
