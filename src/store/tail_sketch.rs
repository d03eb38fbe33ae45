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
//! It is computed when a request is captured (about 0.65 µs for that body,
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

/// A sketch being built, one byte per bit: setting a bit is a single store that depends on no
/// earlier one, where setting it in a packed word is a load, an or and a store that wait for the
/// previous update of that word (2x the time on the benchmarks' body,
/// `examples/bench_tail_sketch.rs`). The bytes are packed into bits once, at the end.
struct Sketch([u8; SKETCH_BITS as usize]);

impl Sketch {
    fn new() -> Sketch {
        Sketch([0; SKETCH_BITS as usize])
    }

    fn add(&mut self, text: &[u8]) {
        let seen = &mut self.0;
        // `bit` is under 1,024; the `%` tells the compiler so, and saves a bounds check a run.
        for_each_run(text, |bit| seen[bit as usize % SKETCH_BITS as usize] = 1);
    }

    /// Bit `n` of the result is bit `n % 8` of byte `n / 8`.
    fn to_bytes(&self) -> Vec<u8> {
        self.0
            .chunks_exact(8)
            .map(|eight| {
                let flags = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
                // Each byte is 0 or 1; the multiplication gathers byte i's flag into bit 56 + i.
                (flags.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
            })
            .collect()
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
    let mut sketch = Sketch::new();
    for header in headers {
        if header.name.eq_ignore_ascii_case("content-encoding") || !header.name.is_ascii() || !header.value.is_ascii() {
            return None;
        }
        sketch.add(header.name.as_bytes());
        sketch.add(header.value.as_bytes());
    }
    sketch.add(target.as_bytes());
    sketch.add(body);
    Some(sketch.to_bytes())
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

    /// The layout stored in databases (bit `n` is bit `n % 8` of byte `n / 8`), set one bit at a
    /// time: what rows stored by any version hold, and what [`may_hold`] reads.
    fn sketch_bit_by_bit(parts: &[&[u8]]) -> Vec<u8> {
        let mut bytes = vec![0u8; SKETCH_BYTES];
        for part in parts {
            for_each_run(part, |bit| bytes[(bit / 8) as usize] |= 1 << (bit % 8));
        }
        bytes
    }

    #[test]
    fn the_sketch_is_the_stored_layout_bit_for_bit() {
        let every_ascii_byte: Vec<u8> = (0u8..128).cycle().take(1000).collect();
        let headers = headers();
        let mut parts: Vec<&[u8]> = Vec::new();
        for header in &headers {
            parts.extend([header.name.as_bytes(), header.value.as_bytes()]);
        }
        parts.extend([b"/hooks/stripe?mode=live".as_slice(), BODY]);
        assert_eq!(
            sketch("/hooks/stripe?mode=live", &headers, BODY),
            Some(sketch_bit_by_bit(&parts))
        );
        for len in [0, 1, 2, 3, 7, 8, 9, 13, 14, 15, 1000] {
            let body = &every_ascii_byte[..len];
            assert_eq!(
                sketch("/", &[], body),
                Some(sketch_bit_by_bit(&[b"/", body])),
                "a body of {len} bytes"
            );
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
