use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use webhook_guard::Scheme;
use webhook_guard::providers::{self, BuiltInProvider};

use crate::UsageError;
use crate::generic_arguments::{GenericKeyArguments, GenericSchemeArguments};

/// Sign and verify webhook requests of every built-in provider (`webhook-guard providers`),
/// or of any other sender described with flags (`--provider generic`).
#[derive(Debug, Parser)]
#[command(name = "webhook-guard", version)]
pub(crate) struct Arguments {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the headers that authenticate a body, one `Name: value` per line
    /// (for a provider that signs in the body, Mailgun, the signed body).
    Sign(SignArguments),
    /// Check a request; print its verified facts as one JSON line (exit 0),
    /// or why it is not authentic (exit 1).
    Verify(VerifyArguments),
    /// Sign a delivery the provider's way and send it to `--url`; print the
    /// answer (exit 0 on a 2xx). For testing a receiver without the
    /// provider: stale (`--timestamp -10m`), tampered (`--tamper`) and
    /// repeated (`--repeat`, `--concurrency`) deliveries too.
    Send(SendArguments),
    /// Run a local receiver guarded by the crate itself, and print each
    /// delivery as it arrives: verified (event ID, type, the body), or the
    /// precise reason it was refused. `--forward-to` passes verified
    /// deliveries on to your app, headers and bytes unchanged.
    Listen(ListenArguments),
    /// Send recorded deliveries (`listen --record`) again, as they were or
    /// signed afresh (`--resign`).
    Replay(ReplayArguments),
    /// List the sample events `send --fixture` sends: provider, name, and
    /// what each is.
    Fixtures(FixturesArguments),
    /// List the built-in providers: name, what the verifier is given, and
    /// what else it needs (and a note on `generic`).
    Providers,
    /// Make keys.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Print a fresh key as one JSON line: `signing_key` (for the sender)
    /// and `verifying_key` (for the receiver); the same secret for HMAC
    /// providers, the two halves of a key pair for public-key ones.
    Generate(GenerateArguments),
}

#[derive(Debug, Args)]
pub(crate) struct GenerateArguments {
    /// The provider whose key format to use, or `generic` (its
    /// `--algorithm` and `--secret-format`).
    #[arg(long, value_parser = provider_name)]
    pub(crate) provider: ProviderName,
    /// For a provider with keys of several kinds (Standard Webhooks: `v1`
    /// secrets, `v1a` Ed25519 pairs), which one: `hmac` or `ed25519`.
    #[arg(long)]
    pub(crate) kind: Option<String>,
    // Last: its help heading holds for the flags after it.
    #[command(flatten)]
    pub(crate) generic: GenericKeyArguments,
}

/// What both commands need.
#[derive(Debug, Args)]
pub(crate) struct KeyArguments {
    /// The provider whose scheme to use (`webhook-guard providers` lists
    /// them), or `generic` for a scheme described with the flags below.
    #[arg(long, value_parser = provider_name)]
    pub(crate) provider: ProviderName,
    /// The key, as the provider shows it: for `verify` the one the receiver
    /// holds (a signing secret, or a public key for Discord, SendGrid and
    /// Standard Webhooks `whpk_`), for `sign` the sender's (the secret, or
    /// the private key). Repeat it for several keys (rotation): `sign`
    /// signs with all of them where the scheme carries several signatures,
    /// `verify` accepts any. **Every user of the machine sees its value**
    /// (`ps`, `/proc`): prefer `--secret-env` or `--secret-file`.
    #[arg(
        long = "secret",
        env = "WEBHOOK_GUARD_SECRET",
        required_unless_present_any = ["secret_env", "secret_file"],
        hide_env_values = true,
        allow_hyphen_values = true
    )]
    pub(crate) secrets: Vec<String>,
    /// Read the key from this environment variable, whose value no other
    /// user sees; several keys (a rotation) are separated by `,`, the current
    /// one first. Keys of `--secret` come first, then these, then those of
    /// `--secret-file`, each in the order given.
    #[arg(long, value_name = "NAME")]
    pub(crate) secret_env: Vec<String>,
    /// Read a key from this file (its whole contents, one final line break
    /// left out: a PEM key or a secret on one line). Repeat it for several
    /// keys.
    #[arg(long, value_name = "PATH")]
    pub(crate) secret_file: Vec<PathBuf>,
    /// Read the body from this file instead of standard input.
    #[arg(long)]
    pub(crate) body_file: Option<PathBuf>,
    /// The whole URL the request goes to, query included, for providers
    /// that sign it (Twilio, Square); `webhook-guard providers` says which.
    /// For Twilio with a body that is not a form, include its `bodySHA256`.
    #[arg(long)]
    pub(crate) url: Option<String>,
    /// The request method, for providers that sign it.
    #[arg(long, default_value = "POST")]
    pub(crate) method: String,
}

impl KeyArguments {
    /// Every key given, from `--secret`, `--secret-env` and `--secret-file`
    /// in that order.
    pub(crate) fn secrets(&self) -> Result<Vec<String>, UsageError> {
        crate::secret_input::gather(&self.secrets, &self.secret_env, &self.secret_file)
    }
}

/// The scheme of `--provider`: for `generic`, the one its flags describe;
/// those flags are refused with a built-in provider.
pub(crate) fn scheme(
    provider: ProviderName,
    generic: &GenericSchemeArguments,
) -> Result<Scheme, UsageError> {
    match provider {
        ProviderName::BuiltIn(provider) => {
            refuse_generic_flags(provider, &generic.given())?;
            Ok(provider.scheme())
        }
        ProviderName::Generic => generic.scheme(),
    }
}

/// A usage error naming the first generic-only flag given with a built-in
/// provider.
pub(crate) fn refuse_generic_flags(
    provider: &BuiltInProvider,
    given: &[&str],
) -> Result<(), UsageError> {
    match given.first() {
        Some(flag) => Err(UsageError(format!(
            "{flag} is only for --provider generic; {} has its own scheme",
            provider.name()
        ))),
        None => Ok(()),
    }
}

#[derive(Debug, Args)]
pub(crate) struct SignArguments {
    #[command(flatten)]
    pub(crate) keys: KeyArguments,
    /// The event ID (default: a fresh `msg_…` ID). Stripe and Slack carry
    /// the ID in the body, so it is not used for them (nor with
    /// `--id-field`).
    #[arg(long)]
    pub(crate) id: Option<String>,
    /// The timestamp to sign, in UNIX seconds (default: now).
    #[arg(long)]
    pub(crate) timestamp: Option<u64>,
    /// PayPal: the RSA private key (PEM) to sign with; `--secret` is then
    /// the webhook ID.
    #[arg(long)]
    pub(crate) key_file: Option<PathBuf>,
    /// PayPal: the `PAYPAL-CERT-URL` to send (default: a placeholder on
    /// PayPal's sandbox host; a pinned verifier does not read it).
    #[arg(long)]
    pub(crate) cert_url: Option<String>,
    // Last: its help heading holds for the flags after it.
    #[command(flatten)]
    pub(crate) generic: GenericSchemeArguments,
}

#[derive(Debug, Args)]
pub(crate) struct SendArguments {
    #[command(flatten)]
    pub(crate) keys: KeyArguments,
    /// The event ID (default: a fresh `msg_…` ID per send, so that each
    /// send is a new event; give one to send the same event again). A
    /// fixture carries it in its body where the provider does.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) id: Option<String>,
    /// Send this sample event of the provider (`webhook-guard fixtures P`
    /// lists them) instead of a body from standard input or `--body-file`.
    #[arg(long, value_name = "NAME", conflicts_with = "body_file")]
    pub(crate) fixture: Option<String>,
    /// When the delivery was sent: `now` (the default), a UNIX time, or
    /// relative to now (`-10m` for a stale delivery; `s`, `m`, `h`, `d`).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) timestamp: Option<String>,
    /// A header to send as well, `Name: value` (repeat it); it replaces a
    /// signed one of the same name.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub(crate) headers: Vec<String>,
    /// Send it changed after signing, to see the receiver refuse it:
    /// a byte added to the body, a signature made with another key, or the
    /// signed timestamp moved by a second.
    #[arg(long, value_enum)]
    pub(crate) tamper: Option<Tamper>,
    /// Send the same delivery this many times (a duplicate storm: every copy
    /// is the same event).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub(crate) repeat: u32,
    /// How many of the copies are in flight at once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub(crate) concurrency: u32,
    /// Send again after a 409, 429, 5xx or no answer, as a sender retries:
    /// after `Retry-After` where the answer gives one (60 s at most), else
    /// after 1, 2, 4, 8 and 16 s; five retries at most.
    #[arg(long)]
    pub(crate) retry: bool,
    /// PayPal: the RSA private key (PEM) to sign with; `--secret` is then
    /// the webhook ID.
    #[arg(long)]
    pub(crate) key_file: Option<PathBuf>,
    // Last: its help heading holds for the flags after it.
    #[command(flatten)]
    pub(crate) generic: GenericSchemeArguments,
}

#[derive(Debug, Args)]
pub(crate) struct ListenArguments {
    #[command(flatten)]
    pub(crate) keys: KeyArguments,
    /// The loopback port to listen on.
    #[arg(long, default_value_t = 4000)]
    pub(crate) port: u16,
    /// Only this path (default: every path).
    #[arg(long)]
    pub(crate) path: Option<String>,
    /// Pass each verified delivery on to this URL (your app), headers and
    /// bytes unchanged, and answer the sender with the app's answer.
    #[arg(long, value_name = "URL")]
    pub(crate) forward_to: Option<String>,
    /// Append each verified delivery (time, method, path, headers, body,
    /// event ID) to this file as a JSON line, for `replay`.
    #[arg(long, value_name = "FILE")]
    pub(crate) record: Option<PathBuf>,
    /// How to print deliveries: `text` (coloured on a terminal) or `json`
    /// (one object a line).
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: OutputFormat,
    // Last: its help heading holds for the flags after it.
    #[command(flatten)]
    pub(crate) generic: GenericSchemeArguments,
}

/// How `listen` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// Lines for a person, coloured on a terminal.
    Text,
    /// One JSON object a line.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct ReplayArguments {
    /// A recording made by `listen --record`: one delivery a line.
    pub(crate) file: PathBuf,
    /// Where to send them.
    #[arg(long)]
    pub(crate) url: String,
    /// Only the deliveries of this event.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) id: Option<String>,
    /// Sign each afresh, now (their timestamps have gone stale), under its
    /// recorded event ID: needs `--provider` and the sender's key.
    #[arg(long)]
    pub(crate) resign: bool,
    /// The provider, for `--resign`.
    #[arg(long, value_parser = provider_name)]
    pub(crate) provider: Option<ProviderName>,
    /// The sender's key, for `--resign` (every user sees it: prefer
    /// `--secret-env` or `--secret-file`).
    #[arg(long = "secret", allow_hyphen_values = true)]
    pub(crate) secrets: Vec<String>,
    /// The sender's key from this environment variable (several: `,`).
    #[arg(long, value_name = "NAME")]
    pub(crate) secret_env: Vec<String>,
    /// The sender's key from this file.
    #[arg(long, value_name = "PATH")]
    pub(crate) secret_file: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct FixturesArguments {
    /// Only this provider's.
    pub(crate) provider: Option<String>,
}

/// What `send --tamper` changes after signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Tamper {
    /// A space added at the end of the body.
    Body,
    /// The signature made with a fresh key of the same kind.
    Signature,
    /// The signed timestamp moved one second later.
    Timestamp,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArguments {
    #[command(flatten)]
    pub(crate) keys: KeyArguments,
    /// A request header, as `Name: value`; repeat for each header.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub(crate) headers: Vec<String>,
    /// Verify as if the clock read this UNIX time (default: now).
    #[arg(long)]
    pub(crate) now: Option<u64>,
    /// How far the signed timestamp may lie from the clock, in seconds.
    #[arg(long, default_value_t = 300)]
    pub(crate) tolerance: u64,
    /// PayPal: the certificate (PEM) to verify with, pinned (no network);
    /// `--secret` is then the webhook ID. It must be valid at `--now`.
    #[arg(long)]
    pub(crate) cert_file: Option<PathBuf>,
    // Last: its help heading holds for the flags after it.
    #[command(flatten)]
    pub(crate) generic: GenericSchemeArguments,
}

/// `--provider`: a built-in provider, by its registry name or an alias, or
/// `generic`, a scheme the flags describe (not a registry provider).
#[derive(Debug, Clone, Copy)]
pub(crate) enum ProviderName {
    BuiltIn(&'static BuiltInProvider),
    Generic,
}

impl ProviderName {
    /// Whether it is PayPal, whose webhook ID is configuration and whose
    /// key is a file (`--cert-file`, `--key-file`).
    pub(crate) fn is_paypal(self) -> bool {
        matches!(self, Self::BuiltIn(provider) if provider.name() == "paypal")
    }
}

/// The `--provider` name of the scheme the flags describe.
pub(crate) const GENERIC: &str = "generic";

/// Parses `--provider`: any name or alias of the registry, or `generic`.
fn provider_name(name: &str) -> Result<ProviderName, String> {
    if name.eq_ignore_ascii_case(GENERIC) {
        return Ok(ProviderName::Generic);
    }
    providers::find(name)
        .map(ProviderName::BuiltIn)
        .ok_or_else(|| {
            let names: Vec<&str> = providers::all().iter().map(|p| p.name()).collect();
            format!(
                "no provider `{name}`; known: {}, or {GENERIC} (described with flags)",
                names.join(", ")
            )
        })
}
