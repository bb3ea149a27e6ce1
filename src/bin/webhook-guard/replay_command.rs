//! `replay`: send recorded deliveries (`listen --record`) again, as they
//! were, or signed afresh (`--resign`) once their timestamps have gone
//! stale.

use std::io::{BufRead as _, Read as _};
use std::process::ExitCode;
use std::time::SystemTime;

use bytes::Bytes;
use http::Method;
use webhook_guard::Signer;

use crate::UsageError;
use crate::arguments::ReplayArguments;
use crate::http_client::Client;
use crate::recording::Recording;

/// The longest line read from a recording (64 MiB, the CLI's body limit,
/// and room for its JSON escaping).
const MAX_LINE: u64 = 192 * 1024 * 1024;

pub(crate) fn run(arguments: ReplayArguments) -> Result<ExitCode, UsageError> {
    let url = crate::http_client::target_url("--url", &arguments.url)?;
    let signer = match (&arguments.provider, arguments.resign) {
        (Some(crate::arguments::ProviderName::Generic), true) => {
            return Err(UsageError(
                "--resign: a built-in --provider (a generic scheme's flags are not taken here)"
                    .to_owned(),
            ));
        }
        (Some(crate::arguments::ProviderName::BuiltIn(provider)), true) => {
            let scheme = provider.scheme();
            let secrets = crate::secret_input::gather(
                &arguments.secrets,
                &arguments.secret_env,
                &arguments.secret_file,
            )?;
            Some(Signer::from_secrets(scheme, secrets)?)
        }
        (None, true) => {
            return Err(UsageError(
                "--resign: give --provider and the sender's key (--secret-env, --secret-file or --secret)"
                    .to_owned(),
            ));
        }
        (_, false) => None,
    };
    let file = std::fs::File::open(&arguments.file)
        .map_err(|error| UsageError(format!("{}: {error}", arguments.file.display())))?;
    let mut reader = std::io::BufReader::new(file);
    let mut recordings = Vec::new();
    let mut line = String::new();
    let mut number = 0;
    loop {
        line.clear();
        number += 1;
        let read = (&mut reader)
            .take(MAX_LINE)
            .read_line(&mut line)
            .map_err(|error| UsageError(format!("{}: {error}", arguments.file.display())))?;
        if read == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let recording = Recording::from_line(&line).map_err(|error| {
            UsageError(format!(
                "{} line {number}: {error}",
                arguments.file.display()
            ))
        })?;
        if arguments
            .id
            .as_deref()
            .is_none_or(|id| recording.event_id.as_deref() == Some(id))
        {
            recordings.push(recording);
        }
    }
    if recordings.is_empty() {
        return Err(UsageError(match &arguments.id {
            Some(id) => format!("{}: no delivery of event {id}", arguments.file.display()),
            None => format!("{}: no recorded delivery", arguments.file.display()),
        }));
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| UsageError(format!("cannot start the HTTP client: {error}")))?;
    let client = Client::new();
    let mut all_2xx = true;
    for recording in &recordings {
        let method = Method::from_bytes(recording.method.as_bytes())
            .map_err(|_| UsageError(format!("`{}` is not a method", recording.method)))?;
        let mut headers = recording.header_map().map_err(UsageError)?;
        let mut body = recording.body_bytes().map_err(UsageError)?;
        if let Some(signer) = &signer {
            let id = recording
                .event_id
                .clone()
                .unwrap_or_else(crate::sign_command::fresh_id);
            if signer.scheme().signs_in_the_body() {
                body = signer.sign_into_body(&id, SystemTime::now(), &body)?;
            } else {
                let signed =
                    signer.sign_request(&method, &arguments.url, &id, SystemTime::now(), &body)?;
                for (name, value) in &signed {
                    headers.insert(name.clone(), value.clone());
                }
            }
        }
        let answer = runtime.block_on(client.send(&method, &url, &headers, Bytes::from(body)));
        let event = recording.event_id.as_deref().unwrap_or("-");
        match answer {
            Ok(answer) => {
                all_2xx &= answer.status.is_success();
                let duplicate = if answer.headers.contains_key("webhook-duplicate") {
                    " (duplicate)"
                } else {
                    ""
                };
                println!("{} {event}: {}{duplicate}", recording.method, answer.status);
            }
            Err(error) => {
                all_2xx = false;
                println!("{} {event}: no answer: {error}", recording.method);
            }
        }
    }
    Ok(if all_2xx {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
