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
    let body = match &request.post_data {
        Some(post) => match &post.text {
            Some(text) => decode(text, post.encoding.as_deref())?,
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
                    Some(text) => decode(text, r.content.encoding.as_deref())?,
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

fn decode(text: &str, encoding: Option<&str>) -> Result<Vec<u8>, String> {
    match encoding {
        Some(encoding) if encoding.eq_ignore_ascii_case("base64") => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| format!("a body marked base64 is not base64: {e}")),
        _ => Ok(text.as_bytes().to_vec()),
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
