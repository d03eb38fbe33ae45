//! Undoing Content-Encoding (gzip, deflate, br, stacked) with a hard cap on the output size.

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::BodyError;
use crate::model::HeaderField;

/// The Content-Encoding tokens of all Content-Encoding headers, in the order the sender applied
/// them, lower-cased, without `identity`.
pub(crate) fn content_encodings(headers: &[HeaderField]) -> Vec<String> {
    headers
        .iter()
        .filter(|field| field.name.eq_ignore_ascii_case("content-encoding"))
        .flat_map(|field| field.value.split(','))
        .map(|token| token.trim().to_ascii_lowercase())
        .filter(|token| !token.is_empty() && token != "identity")
        .collect()
}

/// Undoes `encodings` (last applied first) and returns the decoded bytes, at most `limit` of them.
pub(crate) fn decode(body: &[u8], encodings: &[String], limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut current: Option<Vec<u8>> = None;
    for encoding in encodings.iter().rev() {
        let input = current.as_deref().unwrap_or(body);
        current = Some(decode_one(input, encoding, limit)?);
    }
    Ok(current.unwrap_or_else(|| body.to_vec()))
}

fn decode_one(input: &[u8], encoding: &str, limit: usize) -> Result<Vec<u8>, BodyError> {
    match encoding {
        "gzip" | "x-gzip" => read_capped(MultiGzDecoder::new(input), encoding, limit),
        "deflate" if looks_like_zlib(input) => read_capped(ZlibDecoder::new(input), encoding, limit),
        // Some senders put a raw deflate stream under `deflate`, without the zlib wrapper.
        "deflate" => read_capped(DeflateDecoder::new(input), encoding, limit),
        "br" => read_capped(brotli::Decompressor::new(input, 8192), encoding, limit),
        other => Err(BodyError::UnsupportedEncoding(other.to_owned())),
    }
}

/// A zlib header: compression method 8 and a header checksum divisible by 31 (RFC 1950).
fn looks_like_zlib(input: &[u8]) -> bool {
    match input {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// Reads at most `limit + 1` bytes, so a bomb costs `limit` bytes of memory and stops there.
fn read_capped(reader: impl Read, encoding: &str, limit: usize) -> Result<Vec<u8>, BodyError> {
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut output = Vec::new();
    reader
        .take(cap)
        .read_to_end(&mut output)
        .map_err(|err| BodyError::Corrupt {
            encoding: encoding.to_owned(),
            reason: err.to_string(),
        })?;
    if output.len() > limit {
        return Err(BodyError::DecodedTooLarge { limit });
    }
    Ok(output)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn tokens_come_from_every_header_in_order() {
        let headers = [
            HeaderField::new("Content-Encoding", "gzip, identity"),
            HeaderField::new("content-encoding", " BR "),
        ];
        assert_eq!(content_encodings(&headers), ["gzip", "br"]);
    }

    #[test]
    fn deflate_accepts_zlib_and_raw_streams() {
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        zlib.write_all(b"zlib wrapped").unwrap();
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(b"raw deflate").unwrap();
        let deflate = ["deflate".to_owned()];
        assert_eq!(decode(&zlib.finish().unwrap(), &deflate, 100).unwrap(), b"zlib wrapped");
        assert_eq!(decode(&raw.finish().unwrap(), &deflate, 100).unwrap(), b"raw deflate");
    }

    #[test]
    fn output_over_the_limit_is_an_error_naming_the_limit() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[b'a'; 1000]).unwrap();
        let err = decode(&gz.finish().unwrap(), &["gzip".to_owned()], 999).unwrap_err();
        assert!(err.to_string().contains("exceeds 999 bytes"), "{err}");
    }

    #[test]
    fn unknown_encodings_are_reported_by_name() {
        let err = decode(b"x", &["zstd".to_owned()], 10).unwrap_err();
        assert!(err.to_string().contains("`zstd`"), "{err}");
    }
}
