use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use webhook_guard::Scheme;

/// Sign and verify webhook requests (Standard Webhooks, Stripe, GitHub, Slack, Shopify).
#[derive(Debug, Parser)]
#[command(name = "webhook-guard", version)]
pub(crate) struct Arguments {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the headers that authenticate a body, one `Name: value` per line.
    Sign(SignArguments),
    /// Check a request; print its verified facts as one JSON line (exit 0),
    /// or why it is not authentic (exit 1).
    Verify(VerifyArguments),
}

/// What both commands need.
#[derive(Debug, Args)]
pub(crate) struct KeyArguments {
    /// The provider whose scheme to use.
    #[arg(long, value_enum)]
    pub(crate) provider: ProviderName,
    /// The signing secret, as the provider shows it. Repeat it for several
    /// keys (rotation): `sign` signs with all of them where the scheme
    /// carries several signatures, `verify` accepts any.
    #[arg(
        long = "secret",
        env = "WEBHOOK_GUARD_SECRET",
        required = true,
        hide_env_values = true
    )]
    pub(crate) secrets: Vec<String>,
    /// Read the body from this file instead of standard input.
    #[arg(long)]
    pub(crate) body_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SignArguments {
    #[command(flatten)]
    pub(crate) keys: KeyArguments,
    /// The event ID (default: a fresh `msg_…` ID). Stripe and Slack carry
    /// the ID in the body, so it is not used for them.
    #[arg(long)]
    pub(crate) id: Option<String>,
    /// The timestamp to sign, in UNIX seconds (default: now).
    #[arg(long)]
    pub(crate) timestamp: Option<u64>,
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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ProviderName {
    /// Standard Webhooks (and Svix).
    #[value(alias = "standard-webhooks", alias = "svix")]
    Standard,
    /// Stripe.
    Stripe,
    /// GitHub (X-Hub-Signature-256).
    Github,
    /// Slack.
    Slack,
    /// Shopify.
    Shopify,
}

impl ProviderName {
    pub(crate) fn scheme(self) -> Scheme {
        match self {
            Self::Standard => Scheme::standard_webhooks(),
            Self::Stripe => Scheme::stripe(),
            Self::Github => Scheme::github(),
            Self::Slack => Scheme::slack(),
            Self::Shopify => Scheme::shopify(),
        }
    }
}
