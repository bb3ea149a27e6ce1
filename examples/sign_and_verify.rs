//! The core job, without a web framework: sign a webhook the way each
//! provider does, verify it, watch tampered and stale requests get the status
//! a server would send, and see which key matched during a key rotation.
//!
//! ```sh
//! cargo run --example sign_and_verify
//! ```

use std::time::{Duration, SystemTime};

use webhook_guard::{Scheme, Signer, Verifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = SystemTime::now();
    let body = br#"{"id":"evt_1Nq2x","object":"event","type":"invoice.paid"}"#;

    let providers = [
        (
            Scheme::standard_webhooks(),
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ),
        (Scheme::stripe(), "whsec_development_stripe_secret"),
        (Scheme::github(), "development github secret"),
        (Scheme::slack(), "8f742231b10e8888abcd99yyyzzz85a5"),
        (Scheme::shopify(), "development shopify secret"),
    ];

    for (scheme, secret) in providers {
        let provider = scheme.provider().clone();
        let signer = Signer::from_secrets(scheme.clone(), [secret])?;
        let verifier = Verifier::from_secrets(scheme, [secret])?;

        let headers = signer.sign("msg_2vR7example", now, body)?;
        println!("== {provider}");
        for (name, value) in &headers {
            println!("   {name}: {}", value.to_str()?);
        }

        let verified = verifier.verify_at(&headers, body, now)?;
        println!(
            "   accepted: event_id={:?} key_index={}",
            verified.event_id(),
            verified.key_index()
        );

        let mut tampered = body.to_vec();
        tampered[10] ^= 1;
        let rejection = verifier.verify_at(&headers, &tampered, now).unwrap_err();
        println!(
            "   tampered body -> {} {}",
            rejection.status().as_u16(),
            rejection.reason()
        );

        if verifier.scheme().signs_timestamp() {
            let later = now + Duration::from_secs(600);
            let rejection = verifier.verify_at(&headers, body, later).unwrap_err();
            println!(
                "   ten minutes later -> {} {}",
                rejection.status().as_u16(),
                rejection.reason()
            );
        }
    }

    // Rotation: the receiver holds the new and the old Stripe secret; a
    // sender still on the old one is accepted, and `key_index` says so.
    let receiver = Verifier::from_secrets(Scheme::stripe(), ["whsec_new", "whsec_old"])?;
    let old_sender = Signer::stripe("whsec_old")?;
    let headers = old_sender.sign("", now, body)?;
    let verified = receiver.verify_at(&headers, body, now)?;
    println!(
        "== rotation: signed with the old secret -> accepted, key_index={}",
        verified.key_index()
    );
    Ok(())
}
