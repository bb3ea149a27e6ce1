#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &[u8]| webhook_guard::fuzzing::rfc3339_timestamp(raw));
