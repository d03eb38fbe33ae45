//! The bytes of a body written as text in a HAR file. HAR keeps bodies as JSON strings, and each
//! tool turns bytes into text its own way: UTF-8 (browsers, HTTP Toolkit, Insomnia), one code
//! point per byte (mitmproxy for a body without a charset), Python's surrogate escapes (mitmproxy
//! for a JSON body that is not UTF-8), the declared charset (mitmproxy), or base64 when marked.
//! The byte count the file gives (`Content-Length`, else `bodySize`) tells which reading gives
//! the bytes that were sent; when none does, the body is kept as UTF-8 and a note says so.

use base64::Engine as _;

use super::document::ESCAPED_BYTE_BASE;
use super::Note;
use crate::export::ImportNoteKind;

/// What the file says about the body's size, as bytes.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DeclaredSize {
    /// The request's `Content-Length` header: the bytes on the wire.
    pub content_length: Option<usize>,
    /// HAR's `bodySize` when the tool counts bytes (greater than 0).
    pub body_size: Option<usize>,
    /// The request says it was sent compressed (`Content-Encoding`), so the text may be the
    /// decoded body and either size may count the compressed one.
    pub encoded: bool,
}

impl DeclaredSize {
    /// The counts a reading of the text must match: the wire length when the file gives one,
    /// else `bodySize`; for a compressed body, either.
    fn targets(&self) -> Vec<(usize, &'static str)> {
        let wire = self.content_length.map(|n| (n, "Content-Length"));
        let har = self.body_size.map(|n| (n, "bodySize"));
        match (self.encoded, wire, har) {
            (true, _, _) => wire.into_iter().chain(har).collect(),
            (false, Some(wire), _) => vec![wire],
            (false, None, Some(har)) => vec![har],
            (false, None, None) => Vec::new(),
        }
    }

    /// The count the stored body is checked against, with its name.
    pub fn authority(&self) -> Option<(usize, &'static str)> {
        self.targets().into_iter().next()
    }
}

/// The bytes of a base64 body; an error message when it is not base64.
pub(super) fn from_base64(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.trim_end_matches('=')))
        .map_err(|e| format!("its body is marked base64 but is not base64 ({e})"))
}

/// The bytes of a body given as text, chosen by the declared size, with a note when the file
/// does not carry enough to know them.
pub(super) fn from_text(text: &str, size: DeclaredSize, charset: Option<&str>, notes: &mut Vec<Note>) -> Vec<u8> {
    let readings = readings(text, charset);
    let targets = size.targets();
    let fitting = readings
        .iter()
        .find(|(bytes, _)| targets.iter().any(|(count, _)| *count == bytes.len()));
    if let Some((bytes, _)) = fitting {
        let verified_by_wire = size.content_length == Some(bytes.len());
        if text.contains('\u{FFFD}') && !verified_by_wire {
            notes.push((
                ImportNoteKind::NotExact,
                "the file does not carry the exact bytes: its text holds U+FFFD replacement characters, \
                 where the tool that wrote it dropped bytes it could not decode"
                    .into(),
            ));
        }
        return bytes.clone();
    }
    // No reading fits (or there is nothing to fit): the first reading is the tool's own text.
    let (bytes, _) = readings.into_iter().next().unwrap_or_default();
    match targets.first() {
        // A compressed body's note comes from `reconcile_encoding`, which knows more.
        Some(_) if size.encoded => {}
        Some((count, source)) => notes.push((
            ImportNoteKind::NotExact,
            format!(
                "the file does not carry the exact bytes: its text is {} bytes as UTF-8 and fits no reading of \
                 {count} bytes ({source}); stored as UTF-8",
                bytes.len()
            ),
        )),
        None if !text.is_ascii() && !has_escaped_bytes(text) => notes.push((
            ImportNoteKind::Unchecked,
            "the file gives no byte count (bodySize, Content-Length) to check the text against; stored as UTF-8".into(),
        )),
        None => {}
    }
    bytes
}

/// The ways of reading the text as bytes, the likeliest first.
fn readings(text: &str, charset: Option<&str>) -> Vec<(Vec<u8>, &'static str)> {
    let mut readings = Vec::with_capacity(4);
    if has_escaped_bytes(text) {
        readings.push((unescape_bytes(text), "surrogate-escaped UTF-8"));
    }
    readings.push((text.as_bytes().to_vec(), "UTF-8"));
    if !text.is_ascii() && text.chars().all(|c| u32::from(c) <= 0xFF) {
        readings.push((
            text.chars().map(|c| u32::from(c) as u8).collect(),
            "one byte per character",
        ));
    }
    let declared = charset
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        .filter(|encoding| *encoding != encoding_rs::UTF_8 && encoding.output_encoding() == *encoding);
    if let Some(encoding) = declared {
        let (bytes, _, unmappable) = encoding.encode(text);
        if !unmappable {
            readings.push((bytes.into_owned(), encoding.name()));
        }
    }
    readings
}

fn is_escaped_byte(c: char) -> bool {
    (ESCAPED_BYTE_BASE + 0x80..=ESCAPED_BYTE_BASE + 0xFF).contains(&u32::from(c))
}

fn has_escaped_bytes(text: &str) -> bool {
    text.chars().any(is_escaped_byte)
}

/// Surrogate-escaped UTF-8 back to bytes: stand-ins are the bytes, everything else is UTF-8.
fn unescape_bytes(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        if is_escaped_byte(c) {
            bytes.push((u32::from(c) - ESCAPED_BYTE_BASE) as u8);
        } else {
            let mut buffer = [0; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::{from_text, DeclaredSize, ESCAPED_BYTE_BASE};
    use crate::export::ImportNoteKind;

    fn body_size(n: usize) -> DeclaredSize {
        DeclaredSize {
            body_size: Some(n),
            ..DeclaredSize::default()
        }
    }

    #[test]
    fn a_binary_body_written_one_code_point_per_byte_is_read_back_byte_for_byte() {
        // mitmproxy's HAR dump of a 12-byte binary PUT: `bodySize` 12, text of 12 code points.
        let bytes: Vec<u8> = vec![0x00, 0x01, 0x7f, 0x80, 0x9f, 0xa0, 0xc3, 0xa9, 0xff, 0xfe, b'A', b'\n'];
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        assert_eq!(text.len(), 19, "as UTF-8 it would be 19 bytes");
        let mut notes = Vec::new();
        assert_eq!(from_text(&text, body_size(12), None, &mut notes), bytes);
        assert!(notes.is_empty());
    }

    #[test]
    fn utf8_text_stays_utf8_when_its_size_matches_and_is_noted_when_nothing_can_check_it() {
        let text = "Zoë → ok";
        let mut notes = Vec::new();
        assert_eq!(
            from_text(text, body_size(text.len()), None, &mut notes),
            text.as_bytes()
        );
        assert!(notes.is_empty());
        assert_eq!(
            from_text(text, DeclaredSize::default(), None, &mut notes),
            text.as_bytes()
        );
        assert_eq!(notes[0].0, ImportNoteKind::Unchecked);
    }

    #[test]
    fn a_size_that_fits_no_reading_keeps_utf8_and_says_the_bytes_are_not_in_the_file() {
        let mut notes = Vec::new();
        assert_eq!(from_text("Zoë", body_size(7), None, &mut notes), "Zoë".as_bytes());
        assert_eq!(notes[0].0, ImportNoteKind::NotExact);
        assert!(notes[0].1.contains("does not carry the exact bytes"), "{}", notes[0].1);
    }

    #[test]
    fn content_length_outranks_a_body_size_computed_from_the_text() {
        // Chrome's bodySize is the UTF-8 length of its (lossy) text; Content-Length is the wire's.
        let text = "a\u{FFFD}b";
        let size = DeclaredSize {
            content_length: Some(3),
            body_size: Some(text.len()),
            encoded: false,
        };
        let mut notes = Vec::new();
        assert_eq!(from_text(text, size, None, &mut notes), text.as_bytes());
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].0, ImportNoteKind::NotExact);
    }

    #[test]
    fn replacement_characters_are_said_even_when_the_size_was_computed_from_the_text() {
        // Chrome, no Content-Length: bodySize is the UTF-8 length of its lossy text.
        let text = "PK\u{FFFD}\u{FFFD}";
        let mut notes = Vec::new();
        assert_eq!(
            from_text(text, body_size(text.len()), None, &mut notes),
            text.as_bytes()
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].0, ImportNoteKind::NotExact);
        assert!(notes[0].1.contains("U+FFFD"), "{}", notes[0].1);
    }

    #[test]
    fn surrogate_escaped_bytes_and_declared_charsets_are_read_back() {
        let escaped: String = ['c', 'a', 'f', char::from_u32(ESCAPED_BYTE_BASE + 0xE9).unwrap()]
            .into_iter()
            .collect();
        let mut notes = Vec::new();
        assert_eq!(from_text(&escaped, body_size(4), None, &mut notes), b"caf\xe9");
        let sjis = encoding_rs::SHIFT_JIS.encode("こんにちは").0.into_owned();
        assert_eq!(
            from_text("こんにちは", body_size(sjis.len()), Some("shift_jis"), &mut notes),
            sjis
        );
        assert!(notes.is_empty(), "{notes:?}");
    }
}
