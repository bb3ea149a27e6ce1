#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|value: &[u8]| webhook_guard::fuzzing::timestamp(value));
