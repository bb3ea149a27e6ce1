use std::process::ExitCode;

use webhook_guard::scheme::Algorithm;
use webhook_guard::secret::KeyPair;

use crate::UsageError;
use crate::arguments::{GenerateArguments, ProviderName, refuse_generic_flags};

/// Prints a fresh key of the provider's format as one JSON line.
pub(crate) fn run(arguments: GenerateArguments) -> Result<ExitCode, UsageError> {
    let provider = match arguments.provider {
        ProviderName::BuiltIn(provider) => provider,
        ProviderName::Generic if arguments.kind.is_some() => {
            return Err(UsageError(
                "--kind is for built-in providers; for --provider generic, say --algorithm"
                    .to_owned(),
            ));
        }
        ProviderName::Generic => {
            let key = &arguments.generic;
            let pair = KeyPair::generate(key.secret_format()?, key.algorithm())
                .map_err(|error| UsageError(format!("cannot generate a key: {error}")))?;
            print_pair(&pair);
            return Ok(ExitCode::SUCCESS);
        }
    };
    refuse_generic_flags(provider, &arguments.generic.given())?;
    let scheme = provider.scheme();
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
            KeyPair::generate(scheme.secret_format(), algorithm)
        }
    }
    .map_err(|error| UsageError(format!("cannot generate a key: {error}")))?;
    print_pair(&pair);
    Ok(ExitCode::SUCCESS)
}

/// The key as one JSON line: the sender's half and the receiver's.
fn print_pair(pair: &KeyPair) {
    println!(
        "{}",
        serde_json::json!({
            "signing_key": pair.signing_key(),
            "verifying_key": pair.verifying_key(),
        })
    );
}
