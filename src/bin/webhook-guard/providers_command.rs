use std::process::ExitCode;

use webhook_guard::providers;

use crate::arguments::GENERIC;

/// Prints one line per built-in provider: its name, what its verifier is
/// given, what else the verifier needs, and the other names it answers to;
/// then a note on `generic`. Columns are as wide as their longest entry.
pub(crate) fn run() -> ExitCode {
    let rows: Vec<[String; 5]> = providers::all()
        .iter()
        .map(|provider| {
            let scheme = provider.scheme();
            let mut needs = Vec::new();
            if scheme.signs_url() {
                needs.push("--url");
            }
            if scheme.signs_timestamp() || scheme.body_timestamp_field().is_some() {
                needs.push("fresh timestamp");
            }
            if scheme.signs_in_the_body() {
                needs.push("signature in the body");
            }
            if provider.name() == "paypal" {
                // Its `--secret` is the webhook ID; the key is a file.
                needs.push("--cert-file");
            }
            [
                provider.name().to_owned(),
                provider.title().to_owned(),
                provider.key_kind().describe().to_owned(),
                if needs.is_empty() {
                    "-".to_owned()
                } else {
                    needs.join(", ")
                },
                provider.aliases().join(", "),
            ]
        })
        .collect();
    let header = ["name", "provider", "verifier key", "needs", "aliases"].map(str::to_owned);
    let widths: Vec<usize> = (0..4)
        .map(|column| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (column, width) in widths.iter().enumerate() {
            line.push_str(&format!("{:<width$} ", row[column]));
        }
        line.push_str(&row[4]);
        println!("{}", line.trim_end());
    }
    println!(
        "\n{GENERIC}: any other sender, not a registry provider: a scheme you describe with \
         --signature-header, --prefix, --encoding, --algorithm, --timestamp-header, \
         --timestamp-unit, --id-header or --id-field, and --message (see `webhook-guard sign --help`)"
    );
    ExitCode::SUCCESS
}
