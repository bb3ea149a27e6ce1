#![no_main]

//! Every key-pair format's verifying and signing key from arbitrary text,
//! and arbitrary bytes as RSA DER (a public key, a certificate, a private
//! key): bounded, never a panic, and a parsed public key reads back as
//! itself.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| webhook_guard::fuzzing::key_text(data));
