//! A row's tail sketch: which three-letter runs its text holds, so that a search of the
//! not-yet-indexed tail ([`super::search_tail`]) rules most rows out by reading 128 bytes of
//! each instead of its whole body.
//!
//! The sketch is a Bloom filter with one hash: each run of three bytes of the request target,
//! each header name and value and the body, ASCII letters in any case, sets one of 1,024 bits. A
//! word of three or more letters can be in the row only if every run of three of its letters has
//! its bit set, so a sketch never rules out a row that holds the word; it may let through a row
//! that does not, which the exact test after it then looks at. The 2 KiB JSON body of the
//! benchmarks sets 28% of the bits, so a row is let through for a ten-letter word (eight runs)
//! it does not hold about once in 27,000 times, and for a four-letter word once in 13; bodies of
//! more varied text set more bits.
//!
//! It is computed when a request is captured (about 2 µs for that body,
//! `examples/bench_tail_sketch.rs`), on the listener's task rather than the single database
//! writer, and stored in `requests.tail_sketch`. Rows without one (`NULL`: stored
//! before the column existed, a compressed body or text outside ASCII, whose words are only
//! known once decoded or folded, or a body over [`SKETCHED_BODY_MAX`]) are always let through.

use crate::model::{CapturedRequest, HeaderField};

/// Bytes of a sketch: 1,024 bits.
pub const SKETCH_BYTES: usize = 128;
const SKETCH_BITS: u32 = (SKETCH_BYTES * 8) as u32;

/// Bodies larger than this get no sketch: it would have nearly every bit set.
pub const SKETCHED_BODY_MAX: usize = 64 * 1024;

/// The bit of a run of three bytes (its 24 bits, low byte first), hashed by multiplication.
fn bit_of(run: u32) -> u32 {
    (run & 0x00FF_FFFF).wrapping_mul(0x9E37_79B1) >> (32 - SKETCH_BITS.trailing_zeros())
}

/// Calls `each` with the bit of every run of three bytes of `text`, with the case bit (0x20) of
/// each byte set so that ASCII letters match in any case (it also pairs a few punctuation marks,
/// `[` with `{` for example, which can only let more rows through). Six runs come from each
/// 8-byte read.
fn for_each_run(text: &[u8], mut each: impl FnMut(u32)) {
    const CASE: u64 = 0x2020_2020_2020_2020;
    let mut at = 0;
    while let Some(eight) = text.get(at..at + 8) {
        let bytes = u64::from_le_bytes(eight.try_into().expect("eight bytes")) | CASE;
        for shift in 0..6 {
            each(bit_of((bytes >> (8 * shift)) as u32));
        }
        at += 6;
    }
    for run in text[at..].windows(3) {
        each(bit_of(u32::from_le_bytes([run[0], run[1], run[2], 0]) | CASE as u32));
    }
}

/// A sketch being built, in 64-bit words (stored as their little-endian bytes: bit `n` is bit
/// `n % 8` of byte `n / 8` either way).
struct Sketch([u64; SKETCH_BYTES / 8]);

impl Sketch {
    fn add(&mut self, text: &[u8]) {
        let words = &mut self.0;
        // `bit` is under 1,024; the `%` tells the compiler so, and saves a bounds check a run.
        for_each_run(text, |bit| {
            words[(bit / 64) as usize % (SKETCH_BYTES / 8)] |= 1 << (bit % 64)
        });
    }

    fn into_bytes(self) -> Vec<u8> {
        self.0.iter().flat_map(|word| word.to_le_bytes()).collect()
    }
}

/// The sketch of a captured request, or `None` when the row must always be looked at.
pub fn of(request: &CapturedRequest) -> Option<Vec<u8>> {
    sketch(&request.target, &request.headers, &request.body)
}

/// The sketch of a row's searchable parts (see the module's documentation for `None`).
pub fn sketch(target: &str, headers: &[HeaderField], body: &[u8]) -> Option<Vec<u8>> {
    if body.len() > SKETCHED_BODY_MAX || !body.is_ascii() || !target.is_ascii() {
        return None;
    }
    let mut sketch = Sketch([0; SKETCH_BYTES / 8]);
    for header in headers {
        if header.name.eq_ignore_ascii_case("content-encoding") || !header.name.is_ascii() || !header.value.is_ascii() {
            return None;
        }
        sketch.add(header.name.as_bytes());
        sketch.add(header.value.as_bytes());
    }
    sketch.add(target.as_bytes());
    sketch.add(body);
    Some(sketch.into_bytes())
}

/// False only when `sketch` shows that the row cannot hold `word` (ASCII, any case): some run of
/// three of its letters has its bit unset. Words shorter than three letters are never ruled out,
/// and neither is a malformed sketch.
pub fn may_hold(sketch: &[u8], word: &[u8]) -> bool {
    if sketch.len() != SKETCH_BYTES {
        return true;
    }
    let mut held = true;
    for_each_run(word, |bit| held &= sketch[(bit / 8) as usize] & (1 << (bit % 8)) != 0);
    held
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> Vec<HeaderField> {
        vec![
            HeaderField::new("Content-Type", "application/json"),
            HeaderField::new("Stripe-Signature", "t=1,v1=abc"),
        ]
    }

    const BODY: &[u8] = br#"{"id":"evt_1","type":"invoice.paid","data":{"customer":"cus_42","note":"Quarterly"}}"#;

    #[test]
    fn every_word_of_the_target_the_headers_and_the_body_is_held_in_any_case() {
        let sketch = sketch("/hooks/stripe?mode=live", &headers(), BODY).expect("a sketch");
        for word in [
            "hooks",
            "STRIPE",
            "live",
            "signature",
            "json",
            "invoice",
            "paid",
            "cus",
            "quarterly",
            "QuArTeRlY",
        ] {
            assert!(may_hold(&sketch, word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn words_that_are_nowhere_in_the_row_are_ruled_out() {
        let sketch = sketch("/hooks/stripe", &headers(), BODY).expect("a sketch");
        for word in ["nosuchwordanywhere", "zebra", "refunded", "github"] {
            assert!(!may_hold(&sketch, word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn short_words_and_malformed_sketches_are_never_ruled_out() {
        let sketch = sketch("/", &[], b"{}").expect("a sketch");
        assert!(may_hold(&sketch, b"zq"));
        assert!(may_hold(&sketch, b""));
        assert!(may_hold(&[0u8; 3], b"anything"));
    }

    #[test]
    fn rows_whose_words_are_only_known_once_decoded_or_folded_get_no_sketch() {
        let gzip = vec![HeaderField::new("Content-Encoding", "gzip")];
        assert_eq!(sketch("/", &gzip, b"\x1f\x8b"), None);
        assert_eq!(sketch("/", &[], "{\"note\":\"café\"}".as_bytes()), None);
        assert_eq!(sketch("/", &[HeaderField::new("X-Name", "Zoë")], b"{}"), None);
        assert_eq!(sketch("/", &[], &vec![b'a'; SKETCHED_BODY_MAX + 1]), None);
        assert!(sketch("/", &[], &vec![b'a'; SKETCHED_BODY_MAX]).is_some());
    }

    #[test]
    fn a_two_kib_json_body_sets_well_under_half_of_the_bits() {
        let mut body = String::from("{\"items\":[");
        for i in 0..40 {
            body.push_str(&format!(
                "{{\"n\":{i},\"sku\":\"sku_{i:04}\",\"desc\":\"line item number {i} of the order\"}},"
            ));
        }
        body.push_str("{}]}");
        let sketch = sketch("/bench", &headers(), body.as_bytes()).expect("a sketch");
        let set: u32 = sketch.iter().map(|b| b.count_ones()).sum();
        assert!(set < SKETCH_BITS / 2, "{set} of {SKETCH_BITS} bits set");
    }
}
