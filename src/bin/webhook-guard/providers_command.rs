use std::process::ExitCode;

use webhook_guard::providers;

use crate::arguments::GENERIC;

/// Prints one line per built-in provider: its name, what its verifier is
/// given, what else the verifier needs, and the other names it answers to;
/// then a note on `generic`.
pub(crate) fn run() -> ExitCode {
    println!(
        "{:<10} {:<20} {:<22} {:<20} aliases",
        "name", "provider", "verifier key", "needs"
    );
    for provider in providers::all() {
        let scheme = provider.scheme();
        let mut needs = Vec::new();
        if scheme.signs_url() {
            needs.push("--url");
        }
        if scheme.signs_timestamp() {
            needs.push("fresh timestamp");
        }
        if provider.name() == "paypal" {
            // Its `--secret` is the webhook ID; the key is a file.
            needs.push("--cert-file");
        }
        println!(
            "{:<10} {:<20} {:<22} {:<20} {}",
            provider.name(),
            provider.title(),
            provider.key_kind().describe(),
            if needs.is_empty() {
                "-".to_owned()
            } else {
                needs.join(", ")
            },
            provider.aliases().join(", ")
        );
    }
    println!(
        "\n{GENERIC}: any other sender, not a registry provider: a scheme you describe with \
         --signature-header, --prefix, --encoding, --algorithm, --timestamp-header, \
         --timestamp-unit, --id-header or --id-field, and --message (see `webhook-guard sign --help`)"
    );
    ExitCode::SUCCESS
}
