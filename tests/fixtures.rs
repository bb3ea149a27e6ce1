//! Every provider's sample events: there is one for each provider, each is
//! well-formed for any event ID, and each verifies with its provider's
//! verifier once signed the provider's way.
#![cfg(all(feature = "cli", feature = "test-util"))]

use std::collections::HashSet;
use std::time::SystemTime;

use http::Method;
use webhook_guard::fixtures::{self, Fixture};
use webhook_guard::paypal::{PayPalSigner, PayPalVerifier};
use webhook_guard::providers;
use webhook_guard::secret::KeyPair;
use webhook_guard::verify::RequestHead;
use webhook_guard::{Signer, Verified, Verifier};

const URL: &str = "https://hooks.example.com/webhooks/fixture?tenant=1";
const ODD_IDS: &[&str] = &[
    "evt_\"quoted\"",
    "back\\slash",
    "line\nbreak",
    "ünïcødé ☃",
    "a&b=c%d+e",
];

#[test]
fn every_provider_has_a_fixture_and_every_fixture_a_provider() {
    let names: HashSet<&str> = providers::all().iter().map(|p| p.name()).collect();
    for provider in providers::all() {
        assert!(
            fixtures::for_provider(provider.name()).count() >= 1,
            "no fixture for {}",
            provider.name()
        );
    }
    let mut seen = HashSet::new();
    for fixture in fixtures::all() {
        assert!(
            names.contains(fixture.provider()),
            "{} is no provider",
            fixture.provider()
        );
        assert!(
            seen.insert((fixture.provider(), fixture.name())),
            "{} {} twice",
            fixture.provider(),
            fixture.name()
        );
        assert!(!fixture.summary().is_empty());
    }
    // The ones the issue names.
    for (provider, name) in [
        ("stripe", "payment_intent.succeeded"),
        ("github", "push"),
        ("slack", "url_verification"),
    ] {
        assert!(
            fixtures::find(provider, name).is_some(),
            "{provider} {name}"
        );
    }
    // Aliases and case, as `providers::find` reads them.
    assert!(fixtures::for_provider("SVIX").count() >= 1);
    assert!(fixtures::find("stripe", "PAYMENT_INTENT.SUCCEEDED").is_some());
}

#[test]
fn every_fixture_is_well_formed_for_any_event_id() {
    for fixture in fixtures::all() {
        for id in ODD_IDS.iter().chain(&["evt_1"]) {
            let body = fixture.body(id, SystemTime::now());
            match fixture.content_type() {
                "application/json" => {
                    let value: serde_json::Value =
                        serde_json::from_slice(&body).unwrap_or_else(|e| {
                            panic!(
                                "{} {} with id {id:?}: {e}",
                                fixture.provider(),
                                fixture.name()
                            )
                        });
                    if fixture.carries_id() && fixture.provider() != "telegram" {
                        assert!(
                            value
                                .to_string()
                                .contains(&serde_json::Value::from(*id).to_string()),
                            "{} {}: the id is not in the body",
                            fixture.provider(),
                            fixture.name()
                        );
                    }
                }
                "application/x-www-form-urlencoded" => {
                    let text = std::str::from_utf8(&body).unwrap();
                    assert!(
                        text.split('&').all(|pair| pair.contains('=')),
                        "{} {}: {text}",
                        fixture.provider(),
                        fixture.name()
                    );
                    assert!(form_urlencoded::parse(&body).count() >= 1);
                }
                other => panic!("{}: content type {other}", fixture.provider()),
            }
        }
        if fixture.carries_id() {
            assert_ne!(
                fixture.body("evt_a", SystemTime::now()),
                fixture.body("evt_b", SystemTime::now()),
                "{} {}: two IDs, one body",
                fixture.provider(),
                fixture.name()
            );
        }
    }
}

/// The event ID a verifier must report for a fixture that carries `id`.
fn expected_id(fixture: &Fixture, id: &str) -> String {
    match fixture.provider() {
        "telegram" => {
            let body: serde_json::Value =
                serde_json::from_slice(&fixture.body(id, SystemTime::now())).unwrap();
            body["update_id"].to_string()
        }
        "adyen" => format!("{id}:AUTHORISATION:true"),
        _ => id.to_owned(),
    }
}

fn signed_and_verified(fixture: &Fixture, id: &str) -> Verified {
    let now = SystemTime::now();
    let body = fixture.body(id, now);
    let provider = providers::find(fixture.provider()).unwrap();
    if provider.name() == "paypal" {
        let signer = PayPalSigner::new(
            "WH-FIXTURE-1",
            include_str!("data/rsa/signer-2048.pem"),
            "https://api-m.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
        )
        .unwrap();
        let verifier = PayPalVerifier::pinned(
            "WH-FIXTURE-1",
            include_str!("data/rsa/certificate-2048.pem"),
        )
        .unwrap();
        let headers = signer.sign(id, now, &body).unwrap();
        return verifier.verify_at(&headers, &body, now).unwrap();
    }
    let scheme = provider.scheme();
    let pair = KeyPair::from_seed(
        scheme.secret_format(),
        scheme.signature_algorithms()[0],
        &[9; 32],
    )
    .unwrap();
    let signer = Signer::from_secrets(scheme.clone(), [pair.signing_key()]).unwrap();
    let mut verifier = Verifier::from_secrets(scheme.clone(), [pair.verifying_key()]).unwrap();
    if scheme.signs_url() {
        verifier = verifier.with_public_url(URL).unwrap();
    }
    let (headers, body) = if scheme.signs_in_the_body() {
        let signed = signer.sign_into_body(id, now, &body).unwrap();
        (http::HeaderMap::new(), signed)
    } else {
        let headers = signer
            .sign_request(&Method::POST, URL, id, now, &body)
            .unwrap();
        (headers, body)
    };
    let uri: http::Uri = URL.parse().unwrap();
    verifier
        .verify_request_at(RequestHead::new(&Method::POST, &uri, &headers), &body, now)
        .unwrap_or_else(|error| panic!("{} {}: {error}", fixture.provider(), fixture.name()))
}

#[test]
fn every_fixture_verifies_with_its_providers_verifier() {
    for fixture in fixtures::all() {
        let id = format!("evt_fixture_{}", fixture.name().len());
        let verified = signed_and_verified(fixture, &id);
        assert_eq!(verified.provider().name(), fixture.provider());
        if fixture.carries_id() {
            assert_eq!(
                verified.event_id(),
                Some(expected_id(fixture, &id).as_str()),
                "{} {}",
                fixture.provider(),
                fixture.name()
            );
        }
    }
}
