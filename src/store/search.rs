//! What goes into the full-text index, and turning a user's search text into an FTS5 query.

use std::io::Read;

use crate::model::{CapturedRequest, HeaderField};

/// At most this much decoded body text is indexed per request.
const INDEXED_BODY_LIMIT: u64 = 1024 * 1024;

/// Header lines as `Name: value`, one per line.
pub fn header_text(headers: &[HeaderField]) -> String {
    let mut text = String::new();
    for header in headers {
        text.push_str(&header.name);
        text.push_str(": ");
        text.push_str(&header.value);
        text.push('\n');
    }
    text
}

/// The body as text for the index: decompressed when gzip/deflate/br (capped), skipped when binary.
pub fn body_text(request: &CapturedRequest) -> Option<String> {
    let encoding = request
        .header("content-encoding")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let decoded: Vec<u8> = match encoding.as_str() {
        "gzip" | "x-gzip" => read_capped(flate2::read::MultiGzDecoder::new(request.body.as_slice()))?,
        "deflate" => read_capped(flate2::read::ZlibDecoder::new(request.body.as_slice()))
            .or_else(|| read_capped(flate2::read::DeflateDecoder::new(request.body.as_slice())))?,
        "br" => read_capped(brotli::Decompressor::new(request.body.as_slice(), 4096))?,
        _ => request.body[..request.body.len().min(INDEXED_BODY_LIMIT as usize)].to_vec(),
    };
    if looks_binary(&decoded) {
        return None;
    }
    Some(String::from_utf8_lossy(&decoded).into_owned())
}

fn read_capped(reader: impl Read) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(INDEXED_BODY_LIMIT).read_to_end(&mut out).ok()?;
    Some(out)
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// Turns free text into an FTS5 query that cannot be a syntax error: every whitespace-separated
/// word becomes a quoted phrase (so `customer.created` matches those two words in a row), and
/// all must match. A trailing `*` on a word keeps its prefix meaning. `None` when nothing is left.
pub fn fts_query(text: &str) -> Option<String> {
    let phrases: Vec<String> = text
        .split_whitespace()
        .filter_map(|word| {
            let (word, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (word, false),
            };
            let has_token = word.chars().any(char::is_alphanumeric);
            has_token.then(|| format!("\"{}\"{}", word.replace('"', "\"\""), if prefix { "*" } else { "" }))
        })
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_text_becomes_quoted_phrases() {
        assert_eq!(fts_query("evt_123 paid").as_deref(), Some("\"evt_123\" AND \"paid\""));
        assert_eq!(fts_query("say \"hi\"").as_deref(), Some("\"say\" AND \"\"\"hi\"\"\""));
        assert_eq!(fts_query("cust*").as_deref(), Some("\"cust\"*"));
        assert_eq!(fts_query("  -- ** ").as_deref(), None);
    }
}
