//! `webhook-guard`: sign and verify webhook requests from a terminal.
//!
//! ```text
//! webhook-guard sign   --provider stripe --secret whsec_… [--id ID] [--timestamp UNIX] [--body-file F]
//! webhook-guard verify --provider stripe --secret whsec_… --header 'Stripe-Signature: t=…' [--now UNIX] [--tolerance SECS] [--body-file F]
//! webhook-guard verify --provider twilio --secret TOKEN --url https://example.com/hook --header 'X-Twilio-Signature: …'
//! webhook-guard verify --provider paypal --secret WEBHOOK_ID --cert-file cert.pem --header 'PAYPAL-TRANSMISSION-SIG: …' [--now UNIX]
//! webhook-guard sign   --provider paypal --secret WEBHOOK_ID --key-file private.pem [--id TRANSMISSION_ID]
//! webhook-guard send   --provider stripe --secret-env STRIPE_SECRET --url http://127.0.0.1:3000/webhooks/stripe [--repeat 100 --concurrency 16] [--tamper body]
//! webhook-guard listen --provider stripe --secret-env STRIPE_SECRET [--port 4000] [--forward-to http://127.0.0.1:3000/webhooks/stripe] [--record deliveries.jsonl] [--format json]
//! webhook-guard replay deliveries.jsonl --url http://127.0.0.1:3000/webhooks/stripe [--id EVENT] [--resign --provider stripe --secret-env STRIPE_SECRET]
//! webhook-guard fixtures [PROVIDER]
//! webhook-guard send   --provider github --secret-env GITHUB_SECRET --url http://127.0.0.1:3000/webhooks/github --fixture push
//! webhook-guard providers
//! webhook-guard keys generate --provider discord
//! webhook-guard sign   --provider generic --signature-header x-signature --prefix sha256= \
//!     --timestamp-header x-timestamp --message '{timestamp}.{body}' --secret S
//! ```
//!
//! Keys: `--secret-env NAME` (an environment variable) or `--secret-file PATH`
//! keep a key out of the command line, where every user of the machine sees it
//! (`ps`); `--secret` and `WEBHOOK_GUARD_SECRET` work too.
//!
//! Exit status: 0 success (for `verify`: the request is authentic), 1 the
//! request is not authentic (one line on stderr says why), 2 a usage error.

mod arguments;
mod body_input;
mod fixtures_command;
mod generic_arguments;
mod http_client;
mod keys_command;
mod listen_command;
mod paypal_command;
mod providers_command;
mod recording;
mod replay_command;
mod secret_input;
mod send_command;
mod sign_command;
mod verify_command;

use std::process::ExitCode;

use clap::Parser as _;

use crate::arguments::{Arguments, Command, KeysCommand};

/// A failure that is the caller's mistake (exit status 2).
#[derive(Debug)]
struct UsageError(String);

impl From<webhook_guard::secret::SecretError> for UsageError {
    fn from(error: webhook_guard::secret::SecretError) -> Self {
        Self(format!("--secret: {error}"))
    }
}

impl From<webhook_guard::SignError> for UsageError {
    fn from(error: webhook_guard::SignError) -> Self {
        Self(format!("cannot sign: {error}"))
    }
}

impl From<webhook_guard::paypal::PayPalError> for UsageError {
    fn from(error: webhook_guard::paypal::PayPalError) -> Self {
        Self(format!("paypal: {error}"))
    }
}

fn main() -> ExitCode {
    let arguments = Arguments::parse();
    let outcome = match arguments.command {
        Command::Sign(sign) => sign_command::run(sign),
        Command::Verify(verify) => verify_command::run(verify),
        Command::Send(send) => send_command::run(send),
        Command::Listen(listen) => listen_command::run(listen),
        Command::Replay(replay) => replay_command::run(replay),
        Command::Providers => Ok(providers_command::run()),
        Command::Fixtures(fixtures) => fixtures_command::run(fixtures),
        Command::Keys(KeysCommand::Generate(generate)) => keys_command::run(generate),
    };
    match outcome {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("webhook-guard: {message}");
            ExitCode::from(2)
        }
    }
}
