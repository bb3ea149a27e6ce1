use std::io::Read;
use std::path::PathBuf;

use crate::UsageError;

/// The largest key file read (64 KiB): a PEM key is a few KiB.
const MAX_KEY_FILE: u64 = 64 * 1024;

/// The keys of `--secret`, then of each `--secret-env` variable, then of
/// each `--secret-file`, in the order given; a variable may hold several
/// keys separated by `,`. A variable that is unset or
/// empty, or a file that cannot be read, is an error naming it (never a key
/// silently left out).
pub(crate) fn gather(
    given: &[String],
    variables: &[String],
    files: &[PathBuf],
) -> Result<Vec<String>, UsageError> {
    let mut secrets = given.to_vec();
    for name in variables {
        match std::env::var(name) {
            // Several keys for a rotation: `,` between them (the current
            // first), as the example receivers read them.
            Ok(value) if !value.is_empty() => {
                for key in value.split(',') {
                    let key = key.trim();
                    if key.is_empty() {
                        return Err(UsageError(format!(
                            "--secret-env {name}: an empty key; separate keys with one `,`"
                        )));
                    }
                    secrets.push(key.to_owned());
                }
            }
            Ok(_) => {
                return Err(UsageError(format!(
                    "--secret-env {name}: the variable is empty"
                )));
            }
            Err(std::env::VarError::NotPresent) => {
                return Err(UsageError(format!(
                    "--secret-env {name}: the variable is not set"
                )));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(UsageError(format!(
                    "--secret-env {name}: the value is not UTF-8"
                )));
            }
        }
    }
    for path in files {
        secrets.push(read_key_file(path)?);
    }
    if secrets.is_empty() {
        return Err(UsageError(
            "no key: give --secret-env NAME, --secret-file PATH or --secret".to_owned(),
        ));
    }
    Ok(secrets)
}

/// A key file's contents, one final line break (`\n` or `\r\n`) left out.
fn read_key_file(path: &PathBuf) -> Result<String, UsageError> {
    let cannot = |what: String| UsageError(format!("--secret-file {}: {what}", path.display()));
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(|error| cannot(error.to_string()))?
        .take(MAX_KEY_FILE + 1)
        .read_to_string(&mut text)
        .map_err(|error| cannot(error.to_string()))?;
    if text.len() as u64 > MAX_KEY_FILE {
        return Err(cannot(format!(
            "larger than {MAX_KEY_FILE} bytes: not a key"
        )));
    }
    let key = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    if key.is_empty() {
        return Err(cannot("empty".to_owned()));
    }
    Ok(key.to_owned())
}
