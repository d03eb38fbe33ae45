//! Bodies whose headers say `Content-Encoding: gzip` (deflate, br) while the HAR file holds them
//! decoded, as mitmproxy and HTTP Toolkit write them. Stored as they are, the request would
//! contradict its own headers (a replay would send plain bytes marked gzip), so the body is
//! compressed again: a valid body with the same content, but not the bytes that were sent.

use std::io::Write;

use super::Note;
use crate::body::RenderOptions;
use crate::export::ImportNoteKind;
use crate::model::HeaderField;

/// The body as it goes into the store: as given when it already decodes with the request's
/// Content-Encoding, else compressed again (with a note) or kept decoded (with a note).
pub(super) fn reconcile(body: Vec<u8>, headers: &[HeaderField], notes: &mut Vec<Note>) -> Vec<u8> {
    let encodings = crate::body::content_encodings(headers);
    if encodings.is_empty() || body.is_empty() {
        return body;
    }
    if crate::body::decode_content(headers, &body, &RenderOptions::default()).is_ok() {
        return body;
    }
    let named = encodings.join(", ");
    match encodings.as_slice() {
        [one] => match compress(&body, one) {
            Some(compressed) => {
                notes.push((
                    ImportNoteKind::NotExact,
                    format!(
                        "the file holds this body decoded (Content-Encoding: {named}): its {} bytes of content \
                         are stored compressed again with {one}, so the body's bytes differ from those sent",
                        body.len()
                    ),
                ));
                compressed
            }
            None => kept_decoded(body, &named, notes),
        },
        _ => kept_decoded(body, &named, notes),
    }
}

fn kept_decoded(body: Vec<u8>, named: &str, notes: &mut Vec<Note>) -> Vec<u8> {
    notes.push((
        ImportNoteKind::NotExact,
        format!(
            "the file holds this body decoded, but its headers say Content-Encoding: {named}, which Hookscope \
             cannot apply again; stored decoded"
        ),
    ));
    body
}

fn compress(body: &[u8], encoding: &str) -> Option<Vec<u8>> {
    match encoding {
        "gzip" | "x-gzip" => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(body).ok()?;
            encoder.finish().ok()
        }
        "deflate" => {
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(body).ok()?;
            encoder.finish().ok()
        }
        "br" => {
            let mut output = Vec::new();
            {
                let mut encoder = brotli::CompressorWriter::new(&mut output, 4096, 5, 22);
                encoder.write_all(body).ok()?;
            }
            Some(output)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::reconcile;
    use crate::body::RenderOptions;
    use crate::export::ImportNoteKind;
    use crate::model::HeaderField;

    #[test]
    fn a_decoded_body_under_a_gzip_header_is_compressed_again_and_noted() {
        for encoding in ["gzip", "deflate", "br"] {
            let headers = vec![HeaderField::new("Content-Encoding", encoding)];
            let mut notes = Vec::new();
            let stored = reconcile(b"{\"a\":1}".to_vec(), &headers, &mut notes);
            let decoded = crate::body::decode_content(&headers, &stored, &RenderOptions::default()).unwrap();
            assert_eq!(decoded, b"{\"a\":1}", "{encoding}");
            assert_eq!(notes[0].0, ImportNoteKind::NotExact);
            // Already compressed: kept as it is, without a note.
            let mut again = Vec::new();
            assert_eq!(reconcile(stored.clone(), &headers, &mut again), stored);
            assert!(again.is_empty());
        }
    }
}
