use std::process::ExitCode;

use webhook_guard::scheme::Algorithm;

use crate::UsageError;
use crate::arguments::GenerateArguments;

/// Prints a fresh key of the provider's format as one JSON line.
pub(crate) fn run(arguments: GenerateArguments) -> Result<ExitCode, UsageError> {
    let scheme = arguments.provider.scheme();
    let pair = match arguments.kind.as_deref() {
        None => scheme.generate_key_pair(),
        Some(kind) => {
            let algorithm = match kind {
                "hmac" => scheme
                    .signature_algorithms()
                    .into_iter()
                    .find(|algorithm| algorithm.is_hmac()),
                "ed25519" => Some(Algorithm::Ed25519),
                "p256" | "ecdsa" => Some(Algorithm::EcdsaP256Sha256),
                _ => None,
            }
            .filter(|algorithm| scheme.signature_algorithms().contains(algorithm))
            .ok_or_else(|| {
                UsageError(format!(
                    "--kind {kind}: this provider signs with {:?}",
                    scheme.signature_algorithms()
                ))
            })?;
            webhook_guard::secret::KeyPair::generate(scheme.secret_format(), algorithm)
        }
    }
    .map_err(|error| UsageError(format!("cannot generate a key: {error}")))?;
    println!(
        "{}",
        serde_json::json!({
            "signing_key": pair.signing_key(),
            "verifying_key": pair.verifying_key(),
        })
    );
    Ok(ExitCode::SUCCESS)
}
