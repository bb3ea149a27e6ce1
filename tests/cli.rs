//! The `webhook-guard` binary: what `sign` prints, `verify` accepts, with the
//! documented exit statuses (0 authentic, 1 not authentic, 2 usage error).
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_with_env(args, &[], stdin)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// `--header` arguments from `sign`'s output lines.
fn header_args(printed: &str) -> Vec<String> {
    printed
        .lines()
        .flat_map(|line| ["--header".to_owned(), line.to_owned()])
        .collect()
}

const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const STANDARD_BODY: &[u8] = br#"{"test": 2432232314}"#;

#[test]
fn sign_reproduces_the_official_standard_webhooks_vector() {
    let output = run(
        &[
            "sign",
            "--provider",
            "standard",
            "--secret",
            STANDARD_SECRET,
            "--id",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "--timestamp",
            "1614265330",
        ],
        STANDARD_BODY,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert!(
        printed.contains("webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n"),
        "{printed}"
    );
    assert!(printed.contains("webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek\n"));
    assert!(printed.contains("webhook-timestamp: 1614265330\n"));
}

/// A fresh key of the provider's format from `keys generate`: the sender's
/// half and the receiver's.
fn generated_keys(provider: &str, kind: Option<&str>) -> (String, String) {
    let mut flags = vec!["--provider", provider];
    if let Some(kind) = kind {
        flags.extend(["--kind", kind]);
    }
    generated_keys_with(&flags)
}

/// The same, for `keys generate` with these flags.
fn generated_keys_with(flags: &[&str]) -> (String, String) {
    let mut args = vec!["keys", "generate"];
    args.extend(flags);
    let output = run(&args, b"");
    assert!(
        output.status.success(),
        "{flags:?}: {}",
        text(&output.stderr)
    );
    let keys: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        keys["signing_key"].as_str().unwrap().to_owned(),
        keys["verifying_key"].as_str().unwrap().to_owned(),
    )
}

const URL: &str = "https://example.com/hooks/cli?tenant=1";

#[test]
fn what_sign_prints_verify_accepts_for_every_provider() {
    // Linear's freshness is the body's `webhookTimestamp` (milliseconds).
    let sent = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let body = format!(r#"{{"id":"evt_cli","event_id":"Ev_cli","webhookTimestamp":{sent}}}"#);
    let body = body.as_bytes();
    // Mailgun's signature goes into the body: its own test is below.
    // PayPal's `--secret` is its webhook ID and its keys are files:
    // `paypal_verifies_a_pinned_certificate_offline_and_signs_with_a_key_file`.
    let mut cases: Vec<(String, Option<&str>)> = webhook_guard::providers::all()
        .iter()
        .filter(|provider| !provider.scheme().signs_in_the_body() && provider.name() != "paypal")
        .map(|provider| (provider.name().to_owned(), None))
        .collect();
    cases.push(("standard".to_owned(), Some("ed25519")));
    for (provider, kind) in &cases {
        let provider = provider.as_str();
        let (signing, verifying) = generated_keys(provider, *kind);
        let signed = run(
            &[
                "sign",
                "--provider",
                provider,
                "--secret",
                &signing,
                "--id",
                "msg_cli",
                "--url",
                URL,
            ],
            body,
        );
        assert!(
            signed.status.success(),
            "{provider}: {}",
            text(&signed.stderr)
        );
        let printed = text(&signed.stdout);
        let headers = header_args(&printed);

        let mut args = vec![
            "verify",
            "--provider",
            provider,
            "--secret",
            &verifying,
            "--url",
            URL,
        ];
        args.extend(headers.iter().map(String::as_str));
        let verified = run(&args, body);
        assert_eq!(
            verified.status.code(),
            Some(0),
            "{provider}: {}",
            text(&verified.stderr)
        );
        let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
        assert_eq!(facts["provider"], provider);
        assert_eq!(facts["key_index"], 0);
        assert_eq!(text(&verified.stdout).lines().count(), 1, "one JSON line");
        // The ID travels in a header the signer wrote, or in the body.
        let id_header = printed.lines().any(|line| line.contains("msg_cli"));
        match facts["event_id"].as_str() {
            Some("msg_cli") => assert!(id_header, "{provider}"),
            Some(id) => assert!(["evt_cli", "Ev_cli"].contains(&id), "{provider}: {id}"),
            None => assert!(!id_header, "{provider}: the ID header was not reported"),
        }

        // A token signs nothing: another body passes (the README says so),
        // another token does not.
        let token = webhook_guard::providers::find(provider)
            .unwrap()
            .scheme()
            .signature_algorithms()
            .contains(&webhook_guard::scheme::Algorithm::SharedToken);
        let rejected = if token {
            let forged_body = run(&args, b"{\"id\":\"evt_forged\"}");
            assert_eq!(forged_body.status.code(), Some(0), "{provider}");
            let other_key = format!("{verifying}0");
            let mut wrong_key = args.clone();
            wrong_key[4] = &other_key;
            run(&wrong_key, body)
        } else {
            run(&args, b"{\"id\":\"evt_forged\"}")
        };
        assert_eq!(rejected.status.code(), Some(1), "{provider}");
        assert!(rejected.stdout.is_empty());
        let reason = text(&rejected.stderr);
        assert_eq!(reason.lines().count(), 1, "{reason}");
        assert!(
            reason.contains("signature_mismatch"),
            "{provider}: {reason}"
        );
        assert!(
            !reason.contains(&signing),
            "the reason never echoes the key"
        );
    }
}

#[test]
fn a_url_signing_provider_needs_the_url_and_a_key_pair_needs_the_right_half() {
    let (signing, verifying) = generated_keys("discord", None);
    let given_the_private_half = run(
        &[
            "verify",
            "--provider",
            "discord",
            "--secret",
            &format!("{signing}{signing}"),
            "--header",
            "x: y",
        ],
        b"{}",
    );
    assert_eq!(given_the_private_half.status.code(), Some(2));
    assert!(text(&given_the_private_half.stderr).contains("public key"));
    let _ = verifying;

    let (standard_signing, standard_verifying) = generated_keys("standard", Some("ed25519"));
    let swapped = run(
        &[
            "verify",
            "--provider",
            "standard",
            "--secret",
            &standard_signing,
            "--header",
            "x: y",
        ],
        b"{}",
    );
    assert_eq!(swapped.status.code(), Some(2));
    assert!(
        text(&swapped.stderr).contains("whpk_"),
        "{}",
        text(&swapped.stderr)
    );
    let swapped = run(
        &[
            "sign",
            "--provider",
            "standard",
            "--secret",
            &standard_verifying,
        ],
        b"{}",
    );
    assert_eq!(swapped.status.code(), Some(2));
    assert!(text(&swapped.stderr).contains("whsk_"));

    let without_url = run(
        &["sign", "--provider", "twilio", "--secret", "token"],
        b"a=1",
    );
    assert_eq!(without_url.status.code(), Some(2));
    assert!(
        text(&without_url.stderr).contains("--url"),
        "{}",
        text(&without_url.stderr)
    );
}

#[test]
fn providers_lists_the_registry_with_what_each_verifier_needs() {
    let output = run(&["providers"], b"");
    assert!(output.status.success());
    let listed = text(&output.stdout);
    for provider in webhook_guard::providers::all() {
        let line = listed
            .lines()
            .find(|line| line.starts_with(&format!("{} ", provider.name())))
            .unwrap_or_else(|| panic!("{} is not listed:\n{listed}", provider.name()));
        assert!(line.contains(provider.key_kind().describe()), "{line}");
        assert_eq!(
            line.contains("--url"),
            provider.scheme().signs_url(),
            "{line}"
        );
    }
}

#[test]
fn verify_honours_now_and_tolerance() {
    let header = "Stripe-Signature: t=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7";
    let body = include_bytes!("data/stripe_event.json");
    let base = [
        "verify",
        "--provider",
        "stripe",
        "--secret",
        "webhook_secret",
        "--header",
        header,
    ];

    let at = |now: &str, tolerance: &str| {
        let mut args = base.to_vec();
        args.extend(["--now", now, "--tolerance", tolerance]);
        run(&args, body).status.code()
    };
    assert_eq!(at("1533204720", "300"), Some(0));
    assert_eq!(at("1533204921", "300"), Some(1));
    assert_eq!(at("1533204921", "400"), Some(0));
    // Without --now, the 2018 timestamp is long stale.
    let stale = run(&base, body);
    assert_eq!(stale.status.code(), Some(1));
    assert!(text(&stale.stderr).contains("timestamp_out_of_tolerance"));
}

#[test]
fn rotation_accepts_either_secret_and_reports_which() {
    let body = br#"{"id":"evt_rot"}"#;
    let signed = run(
        &["sign", "--provider", "stripe", "--secret", "whsec_old"],
        body,
    );
    let headers = header_args(&text(&signed.stdout));
    let mut args = vec![
        "verify",
        "--provider",
        "stripe",
        "--secret",
        "whsec_new",
        "--secret",
        "whsec_old",
    ];
    args.extend(headers.iter().map(String::as_str));
    let verified = run(&args, body);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(facts["key_index"], 1);
}

#[test]
fn usage_errors_exit_2() {
    let cases: [&[&str]; 7] = [
        &["verify", "--provider", "nobody", "--secret", "x"],
        &["verify", "--provider", "stripe"],
        &["verify", "--provider", "stripe", "--secret", "sk_live_123"],
        &[
            "verify",
            "--provider",
            "stripe",
            "--secret",
            "whsec_x",
            "--header",
            "no colon",
        ],
        &["sign", "--provider", "standard", "--secret", "whsec_%%%"],
        &[
            "verify",
            "--provider",
            "stripe",
            "--secret",
            "whsec_x",
            "--now",
            "18446744073709551615",
        ],
        &[
            "sign",
            "--provider",
            "slack",
            "--secret",
            "x",
            "--timestamp",
            "18446744073709551615",
        ],
    ];
    for args in cases {
        let output = run(args, b"");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(!output.stderr.is_empty());
    }
    let hint = run(
        &["verify", "--provider", "stripe", "--secret", "sk_live_123"],
        b"",
    );
    assert!(
        text(&hint.stderr).contains("whsec_"),
        "the mix-up hint names the right secret"
    );
    assert!(!text(&hint.stderr).contains("sk_live_123"));
}

/// The flags of a generic scheme: HMAC-SHA-256 over `{timestamp}.{body}`,
/// hex behind `sha256=` in `X-Acme-Signature`, the timestamp in
/// `X-Acme-Timestamp`, the event ID in the body's `event_id`.
const GENERIC: [&str; 12] = [
    "--provider",
    "generic",
    "--signature-header",
    "X-Acme-Signature",
    "--prefix",
    "sha256=",
    "--timestamp-header",
    "X-Acme-Timestamp",
    "--message",
    "{timestamp}.{body}",
    "--id-field",
    "event_id",
];

const GENERIC_BODY: &[u8] = br#"{"event_id":"ev_generic","amount":12}"#;

/// `verify` with the generic flags, a key and headers, at a fixed clock.
fn verify_generic(extra: &[&str], secret: &str, headers: &[String], body: &[u8]) -> Output {
    let mut args = vec!["verify"];
    args.extend(GENERIC);
    args.extend(extra);
    args.extend(["--secret", secret, "--now", "1700000000"]);
    args.extend(headers.iter().map(String::as_str));
    run(&args, body)
}

#[test]
fn generic_what_sign_prints_verify_accepts_and_one_changed_byte_fails() {
    // The scheme's extra flags, and those of `keys generate` for its key
    // (none: a typed secret).
    // (A shared token signs no byte of the body: it has its own tests.)
    let cases: [(&[&str], Option<&[&str]>); 6] = [
        (&[], None),
        (&["--algorithm", "sha512", "--encoding", "base64"], None),
        (&["--algorithm", "sha256-secret-prefixed"], None),
        (
            &["--secret-format", "hex"],
            Some(&["--secret-format", "hex"]),
        ),
        (
            &["--algorithm", "ed25519", "--encoding", "base64"],
            Some(&["--algorithm", "ed25519"]),
        ),
        (
            &["--algorithm", "rsa-sha256", "--encoding", "base64"],
            Some(&["--algorithm", "rsa-sha256"]),
        ),
    ];
    for (extra, generated) in cases {
        let (signing, verifying) = match generated {
            None => ("acme secret".to_owned(), "acme secret".to_owned()),
            Some(key_flags) => {
                let mut flags = vec!["--provider", "generic"];
                flags.extend(key_flags);
                generated_keys_with(&flags)
            }
        };
        let mut args = vec!["sign"];
        args.extend(GENERIC);
        args.extend(extra);
        args.extend(["--secret", &signing, "--timestamp", "1700000000"]);
        let signed = run(&args, GENERIC_BODY);
        assert!(
            signed.status.success(),
            "{extra:?}: {}",
            text(&signed.stderr)
        );
        let printed = text(&signed.stdout);
        assert!(
            printed.contains("x-acme-timestamp: 1700000000\n"),
            "{printed}"
        );
        let headers = header_args(&printed);

        let verified = verify_generic(extra, &verifying, &headers, GENERIC_BODY);
        assert_eq!(
            verified.status.code(),
            Some(0),
            "{extra:?}: {}",
            text(&verified.stderr)
        );
        let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
        assert_eq!(facts["provider"], "generic");
        assert_eq!(facts["event_id"], "ev_generic");
        assert_eq!(facts["event_id_signed"], true);
        assert_eq!(facts["timestamp"], 1_700_000_000);

        let mut changed = GENERIC_BODY.to_vec();
        let last_digit = changed.len() - 2;
        changed[last_digit] = b'3'; // "amount":13
        let rejected = verify_generic(extra, &verifying, &headers, &changed);
        assert_eq!(rejected.status.code(), Some(1), "{extra:?}");
        assert!(text(&rejected.stderr).contains("signature_mismatch"));
    }
}

#[test]
fn generic_flags_mean_what_they_say_against_an_independent_hmac() {
    use hmac::{Hmac, KeyInit, Mac};

    /// `X-Acme-Signature: sha256=<hex HMAC-SHA-256 of "1700000000." + body>`.
    fn signed_by(key: &[u8]) -> String {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        mac.update(b"1700000000.");
        mac.update(GENERIC_BODY);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }
    let headers_for = |signature: &str| {
        [
            "--header".to_owned(),
            format!("X-Acme-Signature: {signature}"),
            "--header".to_owned(),
            "X-Acme-Timestamp: 1700000000".to_owned(),
        ]
    };
    let signature = signed_by(b"acme secret");
    let headers = headers_for(&signature);
    let verified = verify_generic(&[], "acme secret", &headers, GENERIC_BODY);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(facts["event_id"], "ev_generic");

    // And `sign` writes exactly that signature.
    let mut args = vec!["sign"];
    args.extend(GENERIC);
    args.extend(["--secret", "acme secret", "--timestamp", "1700000000"]);
    let signed = run(&args, GENERIC_BODY);
    assert!(
        text(&signed.stdout).contains(&format!("x-acme-signature: {signature}\n")),
        "{}",
        text(&signed.stdout)
    );

    // A hex secret is its decoded bytes; the same text raw is other bytes.
    let hex_headers = headers_for(&signed_by(&[0xab, 0xcd]));
    let as_hex = verify_generic(
        &["--secret-format", "hex"],
        "abcd",
        &hex_headers,
        GENERIC_BODY,
    );
    assert_eq!(as_hex.status.code(), Some(0), "{}", text(&as_hex.stderr));
    let as_raw = verify_generic(&[], "abcd", &hex_headers, GENERIC_BODY);
    assert_eq!(as_raw.status.code(), Some(1));

    // Another layout, or another algorithm, is another scheme.
    for extra in [
        &["--message", "{timestamp}:{body}"][..],
        &["--algorithm", "sha512"],
        &["--prefix", "v1="],
    ] {
        let mut args: Vec<&str> = GENERIC.to_vec();
        let at = args.iter().position(|arg| *arg == extra[0]);
        if let Some(at) = at {
            args.drain(at..at + 2);
        }
        let mut full = vec!["verify"];
        full.extend(args);
        full.extend(extra);
        full.extend(["--secret", "acme secret", "--now", "1700000000"]);
        full.extend(headers.iter().map(String::as_str));
        let output = run(&full, GENERIC_BODY);
        assert_eq!(output.status.code(), Some(1), "{extra:?}");
    }
}

#[test]
fn generic_misuse_is_a_usage_error_that_says_what_is_wrong() {
    let sign = |args: &[&str]| {
        let mut full = vec!["sign", "--secret", "x"];
        full.extend(args);
        let output = run(&full, b"{}");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        text(&output.stderr)
    };
    let generic = ["--provider", "generic", "--signature-header", "x-sig"];
    let with = |extra: &[&str]| -> Vec<String> {
        generic
            .iter()
            .chain(extra)
            .map(|arg| (*arg).to_owned())
            .collect()
    };
    let sign_generic = |extra: &[&str]| {
        let args = with(extra);
        sign(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let unknown = sign_generic(&["--message", "{timestamp}.{payload}"]);
    assert!(unknown.contains("{payload}"), "{unknown}");
    assert!(
        unknown.contains("{timestamp}"),
        "names the known ones: {unknown}"
    );
    let unclosed = sign_generic(&["--message", "{body"]);
    assert!(unclosed.contains("not closed"), "{unclosed}");
    let request_part = sign_generic(&["--message", "{url}.{body}"]);
    assert!(request_part.contains("URL"), "{request_part}");
    let unsigned = sign_generic(&["--timestamp-header", "x-ts"]);
    assert!(unsigned.contains("{timestamp}"), "{unsigned}");
    let ambiguous = sign_generic(&[
        "--timestamp-header",
        "x-ts",
        "--message",
        "{timestamp}{body}",
    ]);
    assert!(ambiguous.contains("separator"), "{ambiguous}");
    let field_in_message = sign_generic(&["--id-field", "id", "--message", "{id}.{body}"]);
    assert!(
        field_in_message.contains("body field"),
        "{field_in_message}"
    );

    let algorithm = sign_generic(&["--algorithm", "sha3"]);
    for name in [
        "sha3",
        "sha256",
        "sha512",
        "sha1",
        "ed25519",
        "ecdsa-p256-sha256",
    ] {
        assert!(algorithm.contains(name), "{algorithm}");
    }
    let both_ids = sign_generic(&["--id-header", "x-id", "--id-field", "id"]);
    assert!(both_ids.contains("--id-field"), "{both_ids}");
    let no_header = sign(&["--provider", "generic"]);
    assert!(no_header.contains("--signature-header"), "{no_header}");

    for flag in [
        &["--signature-header", "x-sig"][..],
        &["--message", "{body}"],
        &["--id-field", "id"],
        &["--algorithm", "sha512"],
    ] {
        let mut args = vec!["--provider", "stripe"];
        args.extend(flag);
        let refused = sign(&args);
        assert!(
            refused.contains(flag[0]) && refused.contains("--provider generic"),
            "{refused}"
        );
    }
    let kind = run(
        &[
            "keys",
            "generate",
            "--provider",
            "generic",
            "--kind",
            "hmac",
        ],
        b"",
    );
    assert_eq!(kind.status.code(), Some(2));
    assert!(text(&kind.stderr).contains("--algorithm"));
    let format = run(
        &[
            "keys",
            "generate",
            "--provider",
            "generic",
            "--algorithm",
            "ed25519",
            "--secret-format",
            "hex",
        ],
        b"",
    );
    assert_eq!(format.status.code(), Some(2));
    assert!(text(&format.stderr).contains("--secret-format"));
}

#[test]
fn providers_notes_generic_which_is_no_registry_provider() {
    let output = run(&["providers"], b"");
    let listed = text(&output.stdout);
    let note = listed
        .lines()
        .find(|line| line.starts_with("generic"))
        .unwrap_or_else(|| panic!("no note on generic:\n{listed}"));
    assert!(note.contains("--signature-header"), "{note}");
    assert!(webhook_guard::providers::find("generic").is_none());
}

#[test]
fn generic_signed_id_header_and_millisecond_timestamps_round_trip() {
    let flags = [
        "--provider",
        "generic",
        "--signature-header",
        "X-Sig",
        "--id-header",
        "X-Event-Id",
        "--timestamp-header",
        "X-Sent-At",
        "--timestamp-unit",
        "milliseconds",
        "--message",
        "{id}|{timestamp}|{body}",
        "--secret",
        "s",
    ];
    let mut sign = vec!["sign", "--id", "evt_9", "--timestamp", "1700000000"];
    sign.extend(flags);
    let signed = run(&sign, b"{}");
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    let printed = text(&signed.stdout);
    assert!(printed.contains("x-sent-at: 1700000000000\n"), "{printed}");
    assert!(printed.contains("x-event-id: evt_9\n"), "{printed}");

    let headers = header_args(&printed);
    let mut verify = vec!["verify", "--now", "1700000000"];
    verify.extend(flags);
    verify.extend(headers.iter().map(String::as_str));
    let verified = run(&verify, b"{}");
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(facts["event_id"], "evt_9");
    assert_eq!(facts["event_id_signed"], true);

    // The ID is signed: another ID under the same signature fails.
    let forged: Vec<String> = headers
        .iter()
        .map(|arg| arg.replace("evt_9", "evt_8"))
        .collect();
    let mut verify = vec!["verify", "--now", "1700000000"];
    verify.extend(flags);
    verify.extend(forged.iter().map(String::as_str));
    assert_eq!(run(&verify, b"{}").status.code(), Some(1));

    // A unit needs its header.
    let unit_alone = run(
        &[
            "sign",
            "--provider",
            "generic",
            "--signature-header",
            "X-Sig",
            "--timestamp-unit",
            "seconds",
            "--secret",
            "s",
        ],
        b"{}",
    );
    assert_eq!(unit_alone.status.code(), Some(2));
    assert!(text(&unit_alone.stderr).contains("--timestamp-header"));
}

#[test]
fn a_body_signing_provider_signs_into_the_body_it_prints() {
    let event = br#"{"event-data":{"event":"delivered","id":"Ase7i2zsRYeDXztHGENqRA"}}"#;
    let signed = run(
        &[
            "sign",
            "--provider",
            "mailgun",
            "--secret",
            "mailgun key",
            "--id",
            "token-cli-1",
        ],
        event,
    );
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    let body = signed.stdout.strip_suffix(b"\n").unwrap().to_vec();
    let printed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(printed["signature"]["token"], "token-cli-1");
    assert_eq!(printed["event-data"]["event"], "delivered");

    let verify =
        |body: &[u8], key: &str| run(&["verify", "--provider", "mailgun", "--secret", key], body);
    let verified = verify(&body, "mailgun key");
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(facts["event_id"], "token-cli-1");
    assert_eq!(facts["event_id_signed"], true);
    assert_eq!(verify(&body, "another key").status.code(), Some(1));
    // The token is signed; the event data is not (the README says so).
    let token = String::from_utf8(body.clone())
        .unwrap()
        .replace("token-cli-1", "token-cli-2");
    assert_eq!(
        verify(token.as_bytes(), "mailgun key").status.code(),
        Some(1)
    );
    let data = String::from_utf8(body)
        .unwrap()
        .replace("delivered", "opened");
    assert_eq!(
        verify(data.as_bytes(), "mailgun key").status.code(),
        Some(0)
    );
}

fn data_file(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn paypal_verifies_a_pinned_certificate_offline_and_signs_with_a_key_file() {
    // PayPal's own test delivery (tests/data/paypal.json), at its time.
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data_file("paypal.json")).unwrap()).unwrap();
    let official = &vectors["vectors"][0];
    assert_eq!(official["expect"], "ok");
    let body = official["body"].as_str().unwrap().as_bytes();
    let headers: Vec<String> = official["headers"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(name, value)| {
            [
                "--header".to_owned(),
                format!("{name}: {}", value.as_str().unwrap()),
            ]
        })
        .collect();
    let certificate = data_file("paypal/sandbox-2017.pem");
    let verify = |webhook_id: &str, now: &str| {
        let mut args = vec![
            "verify",
            "--provider",
            "paypal",
            "--secret",
            webhook_id,
            "--cert-file",
            &certificate,
            "--now",
            now,
        ];
        args.extend(headers.iter().map(String::as_str));
        run(&args, body)
    };
    let verified = verify("96605875FF6516633", "1490904245");
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(facts["provider"], "paypal");
    assert_eq!(facts["event_id"], "071f7d20-1584-11e7-abf0-6b62a8a99ac4");
    assert_eq!(facts["event_id_signed"], true);
    let other_webhook = verify("NotToBeFound", "1490904245");
    assert_eq!(other_webhook.status.code(), Some(1));
    assert!(text(&other_webhook.stderr).contains("signature_mismatch"));
    // Without --now the 2017 delivery is stale (and its certificate expired).
    let today = run(
        &[
            &[
                "verify",
                "--provider",
                "paypal",
                "--secret",
                "96605875FF6516633",
                "--cert-file",
                &certificate,
            ][..],
            &headers.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ]
        .concat(),
        body,
    );
    assert_eq!(today.status.code(), Some(1));
    // The certificate is required; the webhook ID is one --secret.
    let without = run(
        &[
            "verify",
            "--provider",
            "paypal",
            "--secret",
            "96605875FF6516633",
        ],
        body,
    );
    assert_eq!(without.status.code(), Some(2));
    assert!(
        text(&without.stderr).contains("--cert-file"),
        "{}",
        text(&without.stderr)
    );

    // Signed with a key file, verified with its certificate.
    let key = data_file("rsa/signer-2048.pem");
    let test_certificate = data_file("rsa/certificate-2048.pem");
    let body = br#"{"id":"WH-CLI","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#;
    let signed = run(
        &[
            "sign",
            "--provider",
            "paypal",
            "--secret",
            "WH-CLI-1",
            "--key-file",
            &key,
            "--id",
            "tx-cli-1",
        ],
        body,
    );
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    let printed = text(&signed.stdout);
    assert!(
        printed.contains("paypal-auth-algo: SHA256withRSA"),
        "{printed}"
    );
    let mut args = vec![
        "verify",
        "--provider",
        "paypal",
        "--secret",
        "WH-CLI-1",
        "--cert-file",
        &test_certificate,
    ];
    let signed_headers = header_args(&printed);
    args.extend(signed_headers.iter().map(String::as_str));
    let verified = run(&args, body);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    assert_eq!(run(&args, b"{\"id\":\"WH-forged\"}").status.code(), Some(1));
    let refused = run(
        &[
            "sign",
            "--provider",
            "stripe",
            "--secret",
            "whsec_x",
            "--key-file",
            &key,
        ],
        body,
    );
    assert_eq!(refused.status.code(), Some(2), "the key file is PayPal's");
}

/// `run` with extra environment variables for the child.
fn run_with_env(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webhook-guard"))
        .args(args)
        .env_remove("WEBHOOK_GUARD_SECRET")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A usage error exits before reading the body: a closed pipe is fine.
    match child.stdin.take().unwrap().write_all(stdin) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.unwrap(),
    }
    child.wait_with_output().unwrap()
}

#[test]
fn keys_come_from_a_variable_or_a_file_and_no_secret_flag_is_needed() {
    let directory = std::env::temp_dir().join(format!("webhook-guard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let file = directory.join("stripe-secret");
    // As `echo whsec_… > file` writes it: the final line break is not the key's.
    std::fs::write(&file, "whsec_from_a_file\n").unwrap();
    let file_arg = file.to_str().unwrap();

    let signed = run_with_env(
        &[
            "sign",
            "--provider",
            "stripe",
            "--secret-env",
            "CLI_TEST_STRIPE_KEY",
        ],
        &[("CLI_TEST_STRIPE_KEY", "whsec_from_a_file")],
        b"{}",
    );
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    let mut verify = vec!["verify", "--provider", "stripe", "--secret-file", file_arg];
    let headers = header_args(&text(&signed.stdout));
    verify.extend(headers.iter().map(String::as_str));
    let verified = run(&verify, b"{}");
    assert!(verified.status.success(), "{}", text(&verified.stderr));

    // Two keys in one variable, `,` between them: the second matches.
    let mut rotated = vec!["verify", "--provider", "stripe", "--secret-env", "KEYS"];
    rotated.extend(headers.iter().map(String::as_str));
    let verified = run_with_env(
        &rotated,
        &[("KEYS", "whsec_next, whsec_from_a_file")],
        b"{}",
    );
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(facts["key_index"], 1);

    // A rotated-out key from the variable first, the current one from the file.
    let mut both = vec![
        "verify",
        "--provider",
        "stripe",
        "--secret-env",
        "OLD",
        "--secret-file",
        file_arg,
    ];
    both.extend(headers.iter().map(String::as_str));
    let verified = run_with_env(&both, &[("OLD", "whsec_old")], b"{}");
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    let facts: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(facts["key_index"], 1);

    // A variable that is unset, or a file that is missing, is named.
    let unset = run(
        &[
            "sign",
            "--provider",
            "stripe",
            "--secret-env",
            "CLI_TEST_UNSET",
        ],
        b"{}",
    );
    assert_eq!(unset.status.code(), Some(2));
    assert!(
        text(&unset.stderr).contains("CLI_TEST_UNSET"),
        "{}",
        text(&unset.stderr)
    );
    let missing = directory.join("missing");
    let missing = run(
        &[
            "sign",
            "--provider",
            "stripe",
            "--secret-file",
            missing.to_str().unwrap(),
        ],
        b"{}",
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("--secret-file"),
        "{}",
        text(&missing.stderr)
    );
    // No key at all is a usage error.
    assert_eq!(
        run(&["sign", "--provider", "stripe"], b"{}").status.code(),
        Some(2)
    );
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn a_signature_mismatch_says_the_body_length_and_the_usual_causes_on_one_line() {
    let signed = run(&["sign", "--provider", "github", "--secret", "s"], b"{}");
    let mut verify = vec!["verify", "--provider", "github", "--secret", "s"];
    let headers = header_args(&text(&signed.stdout));
    verify.extend(headers.iter().map(String::as_str));
    // What `echo '{}' |` sends: the body with a line break it never had.
    let rejected = run(&verify, b"{}\n");
    assert_eq!(rejected.status.code(), Some(1));
    let stderr = text(&rejected.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("the body was 3 bytes"), "{stderr}");
    assert!(stderr.contains("`echo` adds one"), "{stderr}");
}
