use std::io::Read;
use std::path::Path;

use crate::UsageError;

/// The largest body the tool reads (64 MiB): far above any real webhook.
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// The body, from `file` or else from standard input, byte for byte.
pub(crate) fn read_body(file: Option<&Path>) -> Result<Vec<u8>, UsageError> {
    let mut body = Vec::new();
    let read = match file {
        Some(path) => std::fs::File::open(path)
            .map_err(|e| UsageError(format!("cannot open {}: {e}", path.display())))?
            .take(MAX_BODY + 1)
            .read_to_end(&mut body),
        None => std::io::stdin()
            .lock()
            .take(MAX_BODY + 1)
            .read_to_end(&mut body),
    };
    read.map_err(|e| UsageError(format!("cannot read the body: {e}")))?;
    if body.len() as u64 > MAX_BODY {
        return Err(UsageError(format!(
            "the body is larger than {MAX_BODY} bytes"
        )));
    }
    Ok(body)
}
