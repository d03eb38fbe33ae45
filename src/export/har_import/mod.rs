//! Importing HAR files as captured requests: Hookscope's own, browsers' devtools (Chrome,
//! Firefox), proxies (mitmproxy, Charles, HTTP Toolkit) and API clients (Insomnia, Postman
//! converters). Each tool writes HAR its own way; the bodies are recovered byte for byte wherever
//! the file carries enough to know the bytes, and an [`ImportNote`] says so wherever it does not.
//!
//! One job per file: `document` reads the JSON leniently, `target` the request line and
//! headers, `body` a body given as text, `form` a body given as form fields, and
//! `content_encoding` a body the file holds decoded.

mod body;
mod content_encoding;
mod document;
mod form;
mod target;

pub(crate) use target::split_url;

use super::{ImportError, ImportNote, ImportNoteKind};
use crate::model::{Arrival, CaptureSource, CapturedRequest, DeliveryAttempt, Endpoint, HeaderField, RecordedResponse};
use body::DeclaredSize;
use document::{count_of, Entry, Request};

/// A note about one entry, before the entry's position and request id are attached.
type Note = (ImportNoteKind, String);

/// The requests read from a HAR file, with their deliveries, and the notes about its entries.
#[derive(Debug, Default)]
pub struct HarImport {
    /// Each imported request (marked `Imported`, with a new id) and its deliveries, in file order.
    pub requests: Vec<(CapturedRequest, Vec<DeliveryAttempt>)>,
    /// What could not be imported exactly, per entry, in file order.
    pub notes: Vec<ImportNote>,
}

/// Every entry of a HAR document as a captured request marked `Imported`, with a new id, the
/// endpoint its path matches now, and the deliveries a Hookscope HAR carries (new ids, linked to
/// the new request). Entries without a usable request are skipped with a note; a file that is
/// not JSON or holds no `log.entries` is an error.
pub fn from_har(bytes: &[u8], endpoints: &[Endpoint]) -> Result<HarImport, ImportError> {
    let document = document::read(bytes)?;
    let tool = Tool::of(&document.creator);
    let mut ids = ulid::Generator::new();
    let mut next_id = move || ids.generate().unwrap_or_else(|_| ulid::Ulid::new()).to_string();
    let mut import = HarImport::default();
    for (index, value) in document.entries.into_iter().enumerate() {
        let position = index + 1;
        let mut notes = Vec::new();
        let outcome = serde_json::from_value::<Entry>(value)
            .map_err(|e| format!("it could not be read as a HAR entry ({e})"))
            .and_then(|entry| {
                let id = next_id();
                let request = request_of(&entry, id, endpoints, tool, &mut notes)?;
                let deliveries = deliveries_of(&entry, &request.id, &mut next_id, &mut notes);
                Ok((request, deliveries))
            });
        match outcome {
            Ok((request, deliveries)) => {
                import.notes.extend(notes.into_iter().map(|(kind, message)| ImportNote {
                    entry: position,
                    request_id: Some(request.id.clone()),
                    kind,
                    message,
                }));
                import.requests.push((request, deliveries));
            }
            Err(reason) => import.notes.push(ImportNote {
                entry: position,
                request_id: None,
                kind: ImportNoteKind::Skipped,
                message: reason,
            }),
        }
    }
    Ok(import)
}

/// What is known of how the tool that wrote the file spells bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    /// Firefox counts `bodySize` in characters of its text, not bytes.
    Firefox,
    /// Insomnia writes a file body as base64 without marking it.
    Insomnia,
    Other,
}

impl Tool {
    fn of(creator: &str) -> Self {
        let creator = creator.to_ascii_lowercase();
        if creator.contains("firefox") {
            Tool::Firefox
        } else if creator.contains("insomnia") {
            Tool::Insomnia
        } else {
            Tool::Other
        }
    }
}

fn request_of(
    entry: &Entry,
    id: String,
    endpoints: &[Endpoint],
    tool: Tool,
    notes: &mut Vec<Note>,
) -> Result<CapturedRequest, String> {
    let Some(request) = &entry.request else {
        return Err(match entry.response {
            Some(_) => "it holds a response only, no request".into(),
            None => "it holds no request".into(),
        });
    };
    if request.method.trim().is_empty() {
        return Err("its request has no method".into());
    }
    if request.url.trim().is_empty() {
        return Err("its request has no URL".into());
    }
    let own = entry.hookscope.clone().unwrap_or_default();
    let (authority, target) = split_url(&request.url)?;
    let target = target::with_query_string(target, &request.query_string, notes);
    let mut headers = target::header_lines(&request.headers, &authority);
    let body = body_of(request, &mut headers, tool, notes)?;
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
        method: request.method.trim().to_owned(),
        target,
        http_version: target::http_version(&request.http_version),
        headers,
        body,
        body_size,
        truncated: own.truncated,
    };
    let (mut captured, endpoint) = CapturedRequest::arrived(arrival, endpoints);
    captured.response = response_of(entry, own.response_note.clone());
    captured.signature = crate::signature::verdict_as_received(endpoint, &captured);
    crate::event_meta::read_into(&mut captured);
    Ok(captured)
}

/// The request body's bytes, from whichever place the tool put them, with notes.
fn body_of(
    request: &Request,
    headers: &mut Vec<HeaderField>,
    tool: Tool,
    notes: &mut Vec<Note>,
) -> Result<Vec<u8>, String> {
    let header = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.clone())
    };
    let encoded = !crate::body::content_encodings(headers).is_empty();
    let size = DeclaredSize {
        content_length: header("content-length").and_then(|v| v.trim().parse().ok()),
        body_size: count_of(&request.body_size)
            .filter(|n| *n > 0 && tool != Tool::Firefox)
            .and_then(|n| usize::try_from(n).ok()),
        encoded,
    };
    let content_type = header("content-type")
        .or_else(|| {
            request
                .post_data
                .as_ref()
                .map(|p| p.mime_type.clone())
                .filter(|m| !m.is_empty())
        })
        .unwrap_or_default();
    let charset = charset_of(&content_type);
    let post = request.post_data.as_ref();
    let text = post.and_then(|p| p.text.as_deref()).filter(|t| !t.is_empty());
    let params = post.map(|p| p.params.as_slice()).unwrap_or_default();
    let is_base64 = |encoding: Option<&str>| encoding.is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"));

    let body = if let Some(content) = request.vendor_content.as_ref().filter(|c| c.text.is_some()) {
        // HTTP Toolkit: a body that is not UTF-8 goes in `_content`, base64.
        let text = content.text.as_deref().unwrap_or_default();
        match is_base64(content.encoding.as_deref()) {
            true => body::from_base64(text)?,
            false => body::from_text(text, size, charset.as_deref(), notes),
        }
    } else if let Some(text) = text {
        if is_base64(post.and_then(|p| p.encoding.as_deref())) {
            body::from_base64(text)?
        } else if tool == Tool::Insomnia && looks_like_unmarked_base64(text, &content_type) {
            notes.push((
                ImportNoteKind::Unchecked,
                "Insomnia writes a file body as base64 without marking it: this body was decoded from base64".into(),
            ));
            body::from_base64(text)?
        } else {
            body::from_text(text, size, charset.as_deref(), notes)
        }
    } else if !params.is_empty() {
        let rebuilt = form::rebuild(params, &content_type, size.authority(), notes);
        if let Some(content_type) = rebuilt.content_type {
            match headers.iter_mut().find(|h| h.name.eq_ignore_ascii_case("content-type")) {
                Some(existing) => existing.value = content_type,
                None => headers.push(HeaderField::new("Content-Type", content_type)),
            }
        }
        rebuilt.body
    } else {
        Vec::new()
    };
    let body = content_encoding::reconcile(body, headers, notes);
    if body.is_empty() {
        note_missing_body(request, size, notes);
    }
    Ok(body)
}

/// A body the file left out, though it says there was one.
fn note_missing_body(request: &Request, size: DeclaredSize, notes: &mut Vec<Note>) {
    let left_out = match request.vendor_body_status.as_deref() {
        Some(status) if status.starts_with("discarded") => Some(format!("the tool left it out ({status})")),
        _ => request
            .post_data
            .as_ref()
            .and_then(|p| p.comment.clone())
            .filter(|c| !c.is_empty())
            .map(|comment| format!("the tool left it out (\"{comment}\")")),
    };
    let said = size.content_length.or(size.body_size).filter(|n| *n > 0);
    let message = match (left_out, said) {
        (Some(why), Some(n)) => format!("the file does not carry the body of {n} bytes: {why}; stored empty"),
        (Some(why), None) => format!("the file does not carry the body: {why}; stored empty"),
        (None, Some(n)) => format!("the file does not carry the body of {n} bytes it declares; stored empty"),
        (None, None) => return,
    };
    notes.push((ImportNoteKind::NotExact, message));
}

/// The `charset` parameter of a Content-Type.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// Base64 text under a media type that is not text: how Insomnia writes a file body.
fn looks_like_unmarked_base64(text: &str, content_type: &str) -> bool {
    let media = content_type.to_ascii_lowercase();
    let textual = media.is_empty()
        || media.starts_with("text/")
        || ["json", "xml", "form", "javascript", "graphql", "yaml"]
            .iter()
            .any(|t| media.contains(t));
    !textual && text.len() % 4 == 0 && body::from_base64(text).is_ok()
}

/// The response as the file gives it (status 0 or none: imported without a response).
fn response_of(entry: &Entry, note: Option<String>) -> RecordedResponse {
    let Some(response) = &entry.response else {
        return no_response();
    };
    let status = count_of(&response.status)
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(0);
    if status == 0 {
        return no_response();
    }
    let body = response.content.as_ref().and_then(|content| {
        let text = content.text.as_deref()?;
        match content
            .encoding
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case("base64"))
        {
            true => body::from_base64(text).ok(),
            false => {
                let size = DeclaredSize {
                    body_size: count_of(&content.size)
                        .filter(|n| *n > 0)
                        .and_then(|n| usize::try_from(n).ok()),
                    ..DeclaredSize::default()
                };
                // Response bodies are what the server answered, not what Hookscope replays:
                // their readings are not worth a note.
                Some(body::from_text(text, size, None, &mut Vec::new()))
            }
        }
    });
    RecordedResponse {
        status,
        headers: response
            .headers
            .iter()
            .filter(|h| !h.name.starts_with(':'))
            .map(|h| HeaderField::new(h.name.clone(), h.value()))
            .collect(),
        body: body.unwrap_or_default(),
        note,
    }
}

/// The deliveries a Hookscope HAR carries, with new ids linked to the new request.
fn deliveries_of(
    entry: &Entry,
    request_id: &str,
    next_id: &mut impl FnMut() -> String,
    notes: &mut Vec<Note>,
) -> Vec<DeliveryAttempt> {
    let Some(value) = entry.deliveries.clone().filter(|v| !v.is_null()) else {
        return Vec::new();
    };
    match serde_json::from_value::<Vec<DeliveryAttempt>>(value) {
        Ok(deliveries) => deliveries
            .into_iter()
            .map(|mut delivery| {
                delivery.id = next_id();
                delivery.request_id = request_id.to_owned();
                delivery
            })
            .collect(),
        Err(e) => {
            notes.push((
                ImportNoteKind::NotExact,
                format!("its _deliveries could not be read and were left out ({e})"),
            ));
            Vec::new()
        }
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
