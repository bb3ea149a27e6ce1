//! `sign` and `verify` for PayPal: `--secret` is the webhook ID (PayPal's
//! configuration, not a key), the key a file: `--cert-file` (the pinned
//! certificate; nothing is fetched) or `--key-file` (a private key of your
//! own, for tests).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use webhook_guard::paypal::{PayPalSigner, PayPalVerifier};

use crate::UsageError;
use crate::arguments::{SignArguments, VerifyArguments};
use crate::body_input::read_body;

/// What `--cert-url` defaults to: a certificate path on PayPal's sandbox
/// host (a pinned verifier does not read it).
const PLACEHOLDER_CERT_URL: &str =
    "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-webhook-guard-local";

pub(crate) fn verify(arguments: VerifyArguments) -> Result<ExitCode, UsageError> {
    let secrets = arguments.keys.secrets()?;
    let webhook_id = webhook_id(&secrets)?;
    let certificate = arguments.cert_file.as_deref().ok_or_else(|| {
        UsageError(
            "paypal: --cert-file PEM (the certificate; --secret is the webhook ID)".to_owned(),
        )
    })?;
    let verifier = PayPalVerifier::pinned(webhook_id, &read_text(certificate, "--cert-file")?)?
        .with_tolerance(Duration::from_secs(arguments.tolerance));
    let headers = crate::verify_command::parse_headers(&arguments.headers)?;
    let body = read_body(arguments.keys.body_file.as_deref())?;
    let now = crate::verify_command::now(arguments.now)?;
    Ok(crate::verify_command::report(
        verifier.verify_at(&headers, &body, now),
        body.len(),
    ))
}

pub(crate) fn sign(arguments: SignArguments) -> Result<ExitCode, UsageError> {
    let secrets = arguments.keys.secrets()?;
    let webhook_id = webhook_id(&secrets)?;
    let key = arguments.key_file.as_deref().ok_or_else(|| {
        UsageError(
            "paypal: --key-file PEM (the private key; --secret is the webhook ID)".to_owned(),
        )
    })?;
    let cert_url = arguments
        .cert_url
        .as_deref()
        .unwrap_or(PLACEHOLDER_CERT_URL);
    let signer = PayPalSigner::new(webhook_id, &read_text(key, "--key-file")?, cert_url)?;
    let body = read_body(arguments.keys.body_file.as_deref())?;
    let time = crate::sign_command::timestamp(arguments.timestamp)?;
    let id = arguments.id.unwrap_or_else(crate::sign_command::fresh_id);
    crate::sign_command::print_headers(&signer.sign(&id, time, &body)?);
    Ok(ExitCode::SUCCESS)
}

/// The one `--secret`: PayPal's webhook ID.
fn webhook_id(secrets: &[String]) -> Result<&str, UsageError> {
    match secrets {
        [webhook_id] => Ok(webhook_id),
        _ => Err(UsageError(
            "paypal: one --secret, the webhook ID (the key is --cert-file or --key-file)"
                .to_owned(),
        )),
    }
}

/// A key file's text, at most 64 KiB.
fn read_text(path: &Path, flag: &str) -> Result<String, UsageError> {
    let refuse = |why: String| UsageError(format!("{flag} {}: {why}", path.display()));
    let metadata = std::fs::metadata(path).map_err(|e| refuse(e.to_string()))?;
    if metadata.len() > 64 * 1024 {
        return Err(refuse("larger than 64 KiB".to_owned()));
    }
    std::fs::read_to_string(path).map_err(|e| refuse(e.to_string()))
}
