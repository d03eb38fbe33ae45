//! Raw HTTP request files (`.http`): request line, header lines, blank line, body bytes.
//!
//! Accepted: CRLF or LF line ends; a target in origin form (`/path?q`) or absolute form
//! (`https://host/path`, which also supplies `Host` when the file has none); no HTTP version
//! (HTTP/1.1 is assumed). With `Content-Length` the body is cut to that length; without it, the
//! body is every byte after the blank line. A UTF-8 file may hold several requests separated by
//! lines starting with `###` (the REST-client convention); binary files hold one.

use super::har_import::{no_response, now_ns, split_url};
use super::ImportError;
use crate::model::{Arrival, CaptureSource, CapturedRequest, Endpoint, HeaderField};

/// Every request in a raw HTTP file, as captured requests marked `Imported`.
pub fn parse_raw_requests(bytes: &[u8], endpoints: &[Endpoint]) -> Result<Vec<CapturedRequest>, ImportError> {
    let parts: Vec<&[u8]> = match std::str::from_utf8(bytes) {
        Ok(text) if text.lines().any(|line| line.starts_with("###")) => split_requests(text),
        _ => vec![bytes],
    };
    let mut ids = ulid::Generator::new();
    let received_at_ns = now_ns();
    let mut requests = Vec::new();
    for (index, part) in parts.into_iter().enumerate() {
        let id = ids.generate().unwrap_or_else(|_| ulid::Ulid::new()).to_string();
        let request = parse_one(part, id, received_at_ns, endpoints)
            .map_err(|e| ImportError::Raw(format!("request {}: {e}", index + 1)))?;
        requests.push(request);
    }
    if requests.is_empty() {
        return Err(ImportError::Raw("the file holds no request".into()));
    }
    Ok(requests)
}

fn split_requests(text: &str) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("###") {
            parts.push(&text.as_bytes()[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    parts.push(&text.as_bytes()[start..]);
    parts
        .into_iter()
        .map(|part| {
            let skip = part.iter().take_while(|b| b.is_ascii_whitespace()).count();
            &part[skip..]
        })
        .filter(|part| !part.is_empty())
        .collect()
}

fn parse_one(bytes: &[u8], id: String, received_at_ns: i64, endpoints: &[Endpoint]) -> Result<CapturedRequest, String> {
    let (head, body) = split_head(bytes);
    let head = std::str::from_utf8(head).map_err(|_| "the request head is not text".to_owned())?;
    let mut lines = head.lines().map(|line| line.trim_end_matches('\r'));
    let request_line = lines.next().filter(|l| !l.trim().is_empty()).ok_or("no request line")?;
    let mut words = request_line.split_whitespace();
    let method = words.next().ok_or("no method")?.to_owned();
    let raw_target = words.next().ok_or("no target after the method")?;
    let version = words.next().unwrap_or("HTTP/1.1").to_owned();
    let (authority, target) = split_url(raw_target)?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("'{line}' is not a header line"))?;
        headers.push(HeaderField::new(name.trim(), value.trim()));
    }
    if !authority.is_empty()
        && !headers
            .iter()
            .any(|h: &HeaderField| h.name.eq_ignore_ascii_case("host"))
    {
        headers.insert(0, HeaderField::new("Host", authority));
    }
    let declared = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| h.value.parse::<usize>().ok());
    let body = match declared {
        Some(length) if length <= body.len() => body[..length].to_vec(),
        Some(length) => {
            return Err(format!(
                "Content-Length is {length} but the body has {} bytes",
                body.len()
            ))
        }
        None => body.to_vec(),
    };
    let arrival = Arrival {
        id,
        received_at_ns,
        source: CaptureSource::Imported,
        remote_addr: None,
        method,
        target,
        http_version: version,
        headers,
        body_size: body.len() as u64,
        body,
        truncated: false,
    };
    let (mut captured, endpoint) = CapturedRequest::arrived(arrival, endpoints);
    captured.response = no_response();
    captured.signature = crate::signature::verdict_as_received(endpoint, &captured);
    crate::event_meta::read_into(&mut captured);
    Ok(captured)
}

/// Splits at the first blank line (CRLF CRLF or LF LF).
fn split_head(bytes: &[u8]) -> (&[u8], &[u8]) {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => {
            let (end, start) = if a.0 <= b.0 { a } else { b };
            (&bytes[..end], &bytes[start..])
        }
        (Some((end, start)), None) | (None, Some((end, start))) => (&bytes[..end], &bytes[start..]),
        (None, None) => (bytes, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_raw_requests;

    #[test]
    fn raw_files_with_lf_absolute_targets_and_separators_are_read() {
        let file = b"POST https://api.example.com/hooks?x=1\nContent-Type: application/json\n\n{\"a\":1}\n###\nGET /ping HTTP/1.0\r\nHost: h\r\n\r\n";
        let requests = parse_raw_requests(file, &[]).unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].target, "/hooks?x=1");
        assert_eq!(requests[0].header("host"), Some("api.example.com"));
        assert_eq!(requests[0].body, b"{\"a\":1}\n");
        assert_eq!(
            (requests[1].method.as_str(), requests[1].http_version.as_str()),
            ("GET", "HTTP/1.0")
        );
    }

    #[test]
    fn content_length_cuts_the_body_of_a_binary_request() {
        let mut file = b"PUT /bin HTTP/1.1\r\nContent-Length: 3\r\n\r\n".to_vec();
        file.extend_from_slice(&[0xff, 0x00, 0xfe, b'\n']);
        let requests = parse_raw_requests(&file, &[]).unwrap();
        assert_eq!(requests[0].body, [0xff, 0x00, 0xfe]);
    }
}
