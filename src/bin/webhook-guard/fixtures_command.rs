use std::io::Write as _;
use std::process::ExitCode;

use webhook_guard::fixtures;

use crate::UsageError;
use crate::arguments::FixturesArguments;

/// Lists the sample events, of every provider or of one: provider, name,
/// content type and what it is.
pub(crate) fn run(arguments: FixturesArguments) -> Result<ExitCode, UsageError> {
    let listed: Vec<&fixtures::Fixture> = match &arguments.provider {
        Some(provider) => fixtures::for_provider(provider).collect(),
        None => fixtures::all().iter().collect(),
    };
    if listed.is_empty() {
        return Err(UsageError(format!(
            "no fixtures for `{}` (webhook-guard providers lists the providers)",
            arguments.provider.as_deref().unwrap_or_default()
        )));
    }
    let width = listed.iter().map(|f| f.provider().len()).max().unwrap_or(0);
    let name_width = listed.iter().map(|f| f.name().len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    // A closed standard output (`| head`) ends the list, not with a panic.
    let _ = listed.iter().try_for_each(|fixture| {
        writeln!(
            out,
            "{:<width$}  {:<name_width$}  {}",
            fixture.provider(),
            fixture.name(),
            fixture.summary()
        )
    });
    Ok(ExitCode::SUCCESS)
}
