//! Splitting `multipart/*` bodies into parts with `multer`, driven synchronously: the whole body
//! is already in memory, so every poll completes at once.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;

use super::media_type::MediaType;
use crate::model::HeaderField;

/// One part's metadata and bytes.
pub(crate) struct RawPart {
    pub headers: Vec<HeaderField>,
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// The parts that could be read (at most `max_parts`), whether more followed, and the error
/// that stopped parsing, if any.
pub(crate) struct Parsed {
    pub parts: Vec<RawPart>,
    pub more: bool,
    pub error: Option<String>,
}

/// The boundary of a multipart media type, or one found in the body itself when the first line
/// is `--boundary` and the body closes with `--boundary--` (a sender that forgot the header).
pub(crate) fn boundary(media: Option<&MediaType>, body: &[u8]) -> Option<String> {
    if let Some(media) = media.filter(|media| media.top_level() == "multipart") {
        return media.param("boundary").filter(|b| !b.is_empty()).map(str::to_owned);
    }
    let first_line = body.split(|&b| b == b'\n').next()?;
    let first_line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
    let candidate = std::str::from_utf8(first_line.strip_prefix(b"--")?).ok()?;
    let plausible = (1..=70).contains(&candidate.len()) && !candidate.contains(char::is_whitespace);
    let closing = format!("--{candidate}--");
    let closes = body
        .windows(closing.len())
        .rev()
        .take(256)
        .any(|w| w == closing.as_bytes());
    (plausible && closes).then(|| candidate.to_owned())
}

/// Parses up to `max_parts` parts of `body` split by `boundary`.
pub(crate) fn parse(body: &[u8], boundary: &str, max_parts: usize) -> Parsed {
    let chunk: Result<Bytes, std::convert::Infallible> = Ok(Bytes::copy_from_slice(body));
    let mut multipart = multer::Multipart::new(futures_util::stream::iter([chunk]), boundary);
    let mut parsed = Parsed {
        parts: Vec::new(),
        more: false,
        error: None,
    };
    loop {
        let field = match run_ready(multipart.next_field()) {
            Ok(Ok(Some(field))) => field,
            Ok(Ok(None)) => break,
            Ok(Err(err)) => {
                parsed.error = Some(err.to_string());
                break;
            }
            Err(stalled) => {
                parsed.error = Some(stalled.to_owned());
                break;
            }
        };
        if parsed.parts.len() == max_parts {
            parsed.more = true;
            break;
        }
        let headers = field
            .headers()
            .iter()
            .map(|(name, value)| HeaderField::from_bytes(name.as_str(), value.as_bytes()))
            .collect();
        let name = field.name().map(str::to_owned);
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        match run_ready(field.bytes()) {
            Ok(Ok(data)) => parsed.parts.push(RawPart {
                headers,
                name,
                filename,
                content_type,
                data,
            }),
            Ok(Err(err)) => {
                parsed.error = Some(err.to_string());
                break;
            }
            Err(stalled) => {
                parsed.error = Some(stalled.to_owned());
                break;
            }
        }
    }
    parsed
}

/// Polls a future whose input is all in memory until it is ready. A parser that keeps saying
/// "pending" with nothing left to wait for is reported instead of spinning forever.
fn run_ready<F: Future>(future: F) -> Result<F::Output, &'static str> {
    const MAX_POLLS: usize = 10_000;
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..MAX_POLLS {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Ok(output);
        }
    }
    Err("the multipart parser stopped making progress")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\
        Content-Type: application/octet-stream\r\n\r\n\x00\x01\x02\r\n--XyZ--\r\n";

    #[test]
    fn parts_come_with_names_and_bytes() {
        let parsed = parse(BODY, "XyZ", 10);
        assert!(parsed.error.is_none(), "{:?}", parsed.error);
        assert_eq!(parsed.parts.len(), 2);
        assert_eq!(parsed.parts[0].name.as_deref(), Some("a"));
        assert_eq!(&parsed.parts[0].data[..], b"one");
        assert_eq!(parsed.parts[1].filename.as_deref(), Some("x.bin"));
        assert_eq!(&parsed.parts[1].data[..], b"\x00\x01\x02");
    }

    #[test]
    fn boundary_is_found_in_the_body_when_the_header_lacks_it() {
        assert_eq!(boundary(None, BODY).as_deref(), Some("XyZ"));
        assert_eq!(boundary(None, b"--not a boundary line\r\n"), None);
        let media = MediaType::parse("multipart/mixed; boundary=\"q q\"");
        assert_eq!(boundary(Some(&media), b"").as_deref(), Some("q q"));
    }

    #[test]
    fn a_cut_body_reports_an_error_after_the_complete_parts() {
        let parsed = parse(&BODY[..BODY.len() - 30], "XyZ", 10);
        assert_eq!(parsed.parts.len(), 1);
        assert!(parsed.error.is_some());
    }
}
