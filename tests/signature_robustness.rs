//! Robustness: the parsers never panic, and the provider guide names every provider.

mod signature_common;

use signature_common::*;

#[test]
fn header_parsers_never_panic_on_random_input() {
    // The same entry point as the cargo-fuzz target (fuzz/), fed deterministic pseudo-random
    // inputs built from the fragments the parsers look for, so it runs on stable in CI.
    use rand::{Rng, SeedableRng};
    let fragments: &[&[u8]] = &[
        b"t=",
        b"v1=",
        b"v1,",
        b",",
        b";",
        b" ",
        b"=",
        b"sha256=",
        b"v0=",
        b"ts=",
        b"h1=",
        b"whsec_",
        b"1700000000",
        b"-1",
        b"99999999999999999999",
        b"-9223372036854775808",
        b"2023-11-14T22:13:20Z",
        b"\xFF",
        b"{",
        b"}",
        br#"{"a":[1,2,{"b":"\u00e9"}],"signature":{"timestamp":"1","token":"t","signature":"00"}}"#,
        b"\xC3\xA9",
        b"\xF0\x9F\x98\x80",
        b"AAAA",
        b"==",
        b"deadbeef",
        b"{body}",
        b"{header:X}",
        b"{json:/a}",
        b"header=X-Sig;",
        b"content={timestamp}{body};",
        b"timestamp_header=X-Ts;",
        b"tolerance=-9223372036854775808;",
        b"key=whsec;",
        b"timestamp_format=rfc3339;",
        b"https://h:99999/p?q",
        b"\r\n",
        b"\0",
    ];
    // HOOKSCOPE_FUZZ_ITERATIONS / HOOKSCOPE_FUZZ_SEED run it longer or elsewhere (e.g. a nightly job).
    let iterations: usize = std::env::var("HOOKSCOPE_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let seed: u64 = std::env::var("HOOKSCOPE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for _ in 0..iterations {
        let mut data = Vec::new();
        for _ in 0..rng.gen_range(0..14) {
            if rng.gen_bool(0.85) {
                data.extend_from_slice(fragments[rng.gen_range(0..fragments.len())]);
            } else {
                data.push(rng.gen());
            }
        }
        signature::fuzzing::exercise(&data);
    }
}

#[test]
fn the_provider_guide_names_every_built_in_provider() {
    let guide = include_str!("../docs/signatures.md");
    for provider in PROVIDERS {
        assert!(
            guide.contains(&format!("`{}`", provider.id)),
            "docs/signatures.md does not mention {}",
            provider.id
        );
    }
}
