#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| webhook_guard::fuzzing::json_event_id(body));
