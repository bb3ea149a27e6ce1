//! Twilio's reading of a form body against `form_urlencoded`: where ours
//! accepts, both give the same sorted, de-duplicated name+value bytes;
//! where ours refuses, there were too many parameters or one that a lenient
//! decoder had to patch with U+FFFD.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let mut reference: Vec<(String, String)> = form_urlencoded::parse(body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let count = reference.len();
    reference.sort();
    reference.dedup();
    match webhook_guard::fuzzing::sorted_form_parameters(body) {
        Ok(ours) => {
            let theirs: Vec<u8> = reference
                .iter()
                .flat_map(|(name, value)| [name.as_bytes(), value.as_bytes()].concat())
                .collect();
            assert_eq!(ours, theirs);
        }
        Err(()) => {
            let patched = reference
                .iter()
                .any(|(name, value)| name.contains('\u{fffd}') || value.contains('\u{fffd}'));
            assert!(patched || count > webhook_guard::limits::MAX_FORM_PARAMETERS);
        }
    }
});
