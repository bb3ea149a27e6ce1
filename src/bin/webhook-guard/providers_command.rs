use std::process::ExitCode;

use webhook_guard::providers;

/// Prints one line per built-in provider: its name, what its verifier is
/// given, what else the verifier needs, and the other names it answers to.
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
    ExitCode::SUCCESS
}
