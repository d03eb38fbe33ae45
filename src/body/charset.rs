//! Turning bytes into text in the right charset, and telling text from binary.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

/// Text decoded from a body, with the charset used and whether bytes had to be replaced.
pub(crate) struct DecodedText<'a> {
    pub text: Cow<'a, str>,
    pub charset: &'static str,
    pub had_invalid_bytes: bool,
}

/// How many leading bytes the text/binary guess looks at.
const SNIFF_LEN: usize = 8192;

/// Decodes `bytes` using, in order: a byte-order mark, the declared `charset`, else UTF-8.
/// Invalid sequences become U+FFFD and are flagged; this never fails.
pub(crate) fn decode_text<'a>(bytes: &'a [u8], declared: Option<&str>) -> DecodedText<'a> {
    let encoding = Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| declared.and_then(|label| Encoding::for_label(label.trim().as_bytes())))
        .unwrap_or(UTF_8);
    // `decode` removes a BOM that matches and otherwise uses `encoding`, as a browser would.
    let (text, used, had_invalid_bytes) = encoding.decode(bytes);
    DecodedText {
        text,
        charset: used.name(),
        had_invalid_bytes,
    }
}

/// True when the text decoding can be trusted without a look at the bytes: a byte-order mark, or
/// a declared charset other than UTF-8 (UTF-16 without a BOM is full of NUL bytes, say).
pub(crate) fn charset_is_explicit(bytes: &[u8], declared: Option<&str>) -> bool {
    if Encoding::for_bom(bytes).is_some() {
        return true;
    }
    declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .is_some_and(|encoding| encoding != UTF_8)
}

/// Guesses from the first bytes whether this is binary data rather than (possibly damaged) text:
/// any NUL byte, or more than a few percent control bytes or invalid UTF-8.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN)];
    if sample.is_empty() {
        return false;
    }
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    let invalid: usize = sample.utf8_chunks().map(|chunk| chunk.invalid().len()).sum();
    // A sample cut inside a multi-byte character ends in an "invalid" chunk that is not damage.
    let invalid = if sample.len() < bytes.len() {
        invalid.saturating_sub(3)
    } else {
        invalid
    };
    controls * 20 > sample.len() || invalid * 10 > sample.len()
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary,
/// and whether anything was cut.
pub(crate) fn truncate_text(text: &str, max: usize) -> (&str, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_latin1_is_honoured() {
        let decoded = decode_text(b"caf\xe9", Some("ISO-8859-1"));
        assert_eq!(decoded.text, "café");
        assert!(!decoded.had_invalid_bytes);
    }

    #[test]
    fn a_bom_overrides_the_declared_charset() {
        let decoded = decode_text(b"\xff\xfeh\0i\0", Some("utf-8"));
        assert_eq!(decoded.text, "hi");
        assert_eq!(decoded.charset, "UTF-16LE");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        let decoded = decode_text(b"ok \xc3\x28 ok", None);
        assert_eq!(decoded.text, "ok \u{fffd}( ok");
        assert!(decoded.had_invalid_bytes);
    }

    #[test]
    fn binary_guess_separates_text_from_data() {
        assert!(!looks_binary("plain text with ünïcödé\r\n\ttabs".as_bytes()));
        assert!(!looks_binary(b"one bad byte \xe9 in a sentence of ordinary length"));
        assert!(looks_binary(b"\x01\x02\x03\x04 with a NUL \0"));
        assert!(looks_binary(&[0xff, 0xfe, 0x80, 0x81, 0x90, 0xa0, 0xb0, 0xc0]));
    }

    #[test]
    fn truncation_respects_character_boundaries() {
        assert_eq!(truncate_text("héllo", 2), ("h", true));
        assert_eq!(truncate_text("héllo", 3), ("hé", true));
        assert_eq!(truncate_text("héllo", 100), ("héllo", false));
    }
}
