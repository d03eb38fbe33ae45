//! `cargo +nightly fuzz run signature_headers -- -max_total_time=60`: every provider's header
//! parsing, verification and signing on arbitrary input must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hookscope::signature::fuzzing::exercise(data);
});
