//! JSON detection and a re-indenter that works on the text itself, so that key order, duplicate
//! keys and the exact spelling of numbers (`1.0`, `1e3`, 20-digit ids) survive pretty-printing.

use serde::de::IgnoredAny;

/// True when `text` is one complete JSON value (nesting deeper than serde_json's limit is not).
pub(crate) fn is_json(text: &str) -> bool {
    serde_json::from_str::<IgnoredAny>(text).is_ok()
}

/// Re-indents JSON text with two spaces per level, producing at most `max` bytes; returns the
/// text and whether it was cut. Meant for valid JSON; other input gives odd output, never a panic.
pub(crate) fn pretty(text: &str, max: usize) -> (String, bool) {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len().saturating_mul(2).min(max).saturating_add(64));
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() && out.len() <= max {
        let byte = bytes[i];
        match byte {
            b'"' => {
                let end = string_end(bytes, i);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                let next = skip_whitespace(bytes, i + 1);
                if bytes.get(next) == Some(&close) {
                    out.extend_from_slice(&[byte, close]);
                    i = next + 1;
                    continue;
                }
                out.push(byte);
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(byte);
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            b' ' | b'\t' | b'\n' | b'\r' => {}
            other => out.push(other),
        }
        i += 1;
    }
    let truncated = i < bytes.len() || out.len() > max;
    out.truncate(max);
    (valid_prefix(out), truncated)
}

/// Index just past the string starting at `start` (a `"`), honouring backslash escapes.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_whitespace(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.resize(out.len() + depth * 2, b' ');
}

/// The bytes as a string, dropping a character cut in half at the end.
fn valid_prefix(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reindents_keeping_order_numbers_and_duplicates() {
        let text = r#"{"z":1.0,"a":[1e3, 12345678901234567890123,{}],"z":"x\"y, {","e":[]}"#;
        assert!(is_json(text));
        let (pretty, truncated) = pretty(text, usize::MAX);
        assert!(!truncated);
        let expected = "{\n  \"z\": 1.0,\n  \"a\": [\n    1e3,\n    12345678901234567890123,\n    {}\n  ],\n  \
                        \"z\": \"x\\\"y, {\",\n  \"e\": []\n}";
        assert_eq!(pretty, expected);
    }

    #[test]
    fn output_is_capped_on_a_character_boundary() {
        let text = r#"["ééééééééé"]"#;
        let (pretty, truncated) = pretty(text, 10);
        assert!(truncated);
        assert!(pretty.len() <= 10);
        assert!(pretty.starts_with("[\n  \"é"));
    }

    #[test]
    fn scalars_and_garbage_do_not_panic() {
        assert_eq!(pretty("42", 100).0, "42");
        assert!(!is_json("{\"a\":"));
        let _ = pretty("\"\\", 100);
        let _ = pretty("]]]}}{{[\"\\é", 100);
    }
}
