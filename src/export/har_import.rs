//! Importing HAR files (Hookscope's own, browsers' devtools, other tools) as captured requests.

use base64::Engine as _;

use super::har::{Har, HarEntry};
use super::ImportError;
use crate::model::{Arrival, CaptureSource, CapturedRequest, DeliveryAttempt, Endpoint, HeaderField, RecordedResponse};

/// Every entry of a HAR document as a captured request marked `Imported`, with a new id and
/// the endpoint its path matches now, and the deliveries Hookscope exported with it (new ids,
/// linked to the new request). Bodies marked base64 (`encoding`/`_encoding`) are decoded.
pub fn from_har(
    bytes: &[u8],
    endpoints: &[Endpoint],
) -> Result<Vec<(CapturedRequest, Vec<DeliveryAttempt>)>, ImportError> {
    let har: Har = serde_json::from_slice(bytes).map_err(|e| ImportError::Har(e.to_string()))?;
    let mut ids = ulid::Generator::new();
    let mut next_id = move || ids.generate().unwrap_or_else(|_| ulid::Ulid::new()).to_string();
    har.log
        .entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let request = request_of(entry, next_id(), endpoints)
                .map_err(|e| ImportError::Har(format!("entry {}: {e}", index + 1)))?;
            let deliveries = entry
                .deliveries
                .iter()
                .cloned()
                .map(|mut delivery| {
                    delivery.id = next_id();
                    delivery.request_id = request.id.clone();
                    delivery
                })
                .collect();
            Ok((request, deliveries))
        })
        .collect()
}

fn request_of(entry: &HarEntry, id: String, endpoints: &[Endpoint]) -> Result<CapturedRequest, String> {
    let own = entry.hookscope.clone().unwrap_or_default();
    let request = &entry.request;
    let (authority, target) = split_url(&request.url)?;
    // HTTP/2 pseudo-headers (`:authority`, ...) are not header lines of an HTTP/1.1 request.
    let mut headers: Vec<HeaderField> = request
        .headers
        .iter()
        .filter(|h| !h.name.starts_with(':'))
        .map(|h| HeaderField::new(h.name.clone(), h.value.clone()))
        .collect();
    if !headers.iter().any(|h| h.name.eq_ignore_ascii_case("host")) && !authority.is_empty() {
        headers.insert(0, HeaderField::new("Host", authority));
    }
    // The size the file says the body has: HAR's `bodySize`, else the Content-Length header.
    let declared = usize::try_from(request.body_size)
        .ok()
        .filter(|size| *size > 0)
        .or_else(|| {
            headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| h.value.trim().parse().ok())
        });
    let body = match &request.post_data {
        Some(post) => match &post.text {
            Some(text) => decode(text, post.encoding.as_deref(), declared)?,
            None => form_body(&post.params),
        },
        None => Vec::new(),
    };
    let response = entry.response.as_ref().map_or_else(
        || Ok(no_response()),
        |r| -> Result<RecordedResponse, String> {
            Ok(RecordedResponse {
                status: u16::try_from(r.status).unwrap_or(0),
                headers: r
                    .headers
                    .iter()
                    .map(|h| HeaderField::new(h.name.clone(), h.value.clone()))
                    .collect(),
                body: match &r.content.text {
                    Some(text) => decode(
                        text,
                        r.content.encoding.as_deref(),
                        usize::try_from(r.content.size).ok().filter(|size| *size > 0),
                    )?,
                    None => Vec::new(),
                },
                note: own.response_note.clone(),
            })
        },
    )?;
    let received_at_ns = own
        .received_at_ns
        .or_else(|| parse_time(&entry.started_date_time))
        .unwrap_or_else(now_ns);
    let body_size = own.body_size.filter(|_| own.truncated).unwrap_or(body.len() as u64);
    let arrival = Arrival {
        id,
        received_at_ns,
        source: CaptureSource::Imported,
        remote_addr: own.remote_addr.clone(),
        method: request.method.clone(),
        target,
        http_version: http_version(&request.http_version),
        headers,
        body,
        body_size,
        truncated: own.truncated,
    };
    let (mut captured, endpoint) = CapturedRequest::arrived(arrival, endpoints);
    captured.response = response;
    captured.signature = crate::signature::verdict_as_received(endpoint, &captured);
    crate::event_meta::read_into(&mut captured);
    Ok(captured)
}

/// Splits an absolute URL into its authority and the raw `path?query` (fragment dropped).
pub(super) fn split_url(url: &str) -> Result<(String, String), String> {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let Some((_, rest)) = url.split_once("://") else {
        return match url.starts_with('/') {
            true => Ok((String::new(), url.to_owned())),
            false => Err(format!("'{url}' is not an absolute URL")),
        };
    };
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(split);
    let target = match target {
        "" => "/".to_owned(),
        t if t.starts_with('?') => format!("/{t}"),
        t => t.to_owned(),
    };
    Ok((
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host)
            .to_owned(),
        target,
    ))
}

/// The body bytes of a HAR `postData.text`. Marked base64, it is decoded. Otherwise the text
/// is UTF-8, except where the file's declared size says it is not: tools such as mitmproxy write
/// a binary body as one code point per byte (U+0000 to U+00FF), so a text whose UTF-8 length
/// differs from the declared size while its character count matches it is taken byte for byte.
fn decode(text: &str, encoding: Option<&str>, declared: Option<usize>) -> Result<Vec<u8>, String> {
    if encoding.is_some_and(|encoding| encoding.eq_ignore_ascii_case("base64")) {
        return base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| format!("a body marked base64 is not base64: {e}"));
    }
    let utf8 = text.as_bytes();
    match declared {
        Some(size) if size != utf8.len() => {
            let one_byte_each = text.chars().all(|c| u32::from(c) <= 0xFF) && text.chars().count() == size;
            if one_byte_each {
                return Ok(text.chars().map(|c| u32::from(c) as u8).collect());
            }
            tracing::warn!(
                declared = size,
                utf8 = utf8.len(),
                "a HAR body's text matches neither its declared size as UTF-8 nor as one byte per character; kept as UTF-8"
            );
            Ok(utf8.to_vec())
        }
        _ => Ok(utf8.to_vec()),
    }
}

fn form_body(params: &[super::har::HarNameValue]) -> Vec<u8> {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for param in params {
        form.append_pair(&param.name, &param.value);
    }
    form.finish().into_bytes()
}

fn http_version(har: &str) -> String {
    match har.to_ascii_uppercase().as_str() {
        "" => "HTTP/1.1".into(),
        "H2" | "HTTP/2" | "HTTP/2.0" => "HTTP/2.0".into(),
        "H3" | "HTTP/3" | "HTTP/3.0" => "HTTP/3.0".into(),
        upper => upper.to_owned(),
    }
}

pub(super) fn no_response() -> RecordedResponse {
    RecordedResponse {
        note: Some("imported without a response".into()),
        ..RecordedResponse::pending()
    }
}

fn parse_time(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|t| i64::try_from(t.unix_timestamp_nanos()).ok())
}

pub(super) fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn a_binary_body_written_one_code_point_per_byte_is_read_back_byte_for_byte() {
        // mitmproxy's HAR dump of a 12-byte binary PUT: `bodySize` 12, text of 12 code points.
        let bytes: Vec<u8> = vec![0x00, 0x01, 0x7f, 0x80, 0x9f, 0xa0, 0xc3, 0xa9, 0xff, 0xfe, b'A', b'\n'];
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        assert_eq!(text.len(), 19, "as UTF-8 it would be 19 bytes");
        assert_eq!(decode(&text, None, Some(12)).unwrap(), bytes);
    }

    #[test]
    fn utf8_text_stays_utf8_when_its_size_matches_or_none_is_declared() {
        let text = "Zoë → ok";
        assert_eq!(decode(text, None, Some(text.len())).unwrap(), text.as_bytes());
        assert_eq!(decode(text, None, None).unwrap(), text.as_bytes());
        // A size that fits neither reading keeps UTF-8 (and warns).
        assert_eq!(decode(text, None, Some(3)).unwrap(), text.as_bytes());
    }

    #[test]
    fn base64_bodies_are_decoded_whatever_the_declared_size() {
        assert_eq!(decode("AAH/", Some("base64"), Some(99)).unwrap(), [0, 1, 255]);
    }
}
