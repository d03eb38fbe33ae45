//! The event type (`invoice.paid`, `pull_request.opened`) and the provider's id of the event or
//! delivery, read from a request at capture time so that the list can show, filter and group
//! by them. Cheap by design: only for a known provider, headers first, and a JSON body is
//! walked down to the one field wanted (no `serde_json::Value` is built; see [`json_field`]).

pub mod filter;
mod json_field;
pub mod pointer;
pub mod rules;

use serde::{Deserialize, Serialize};

use crate::model::{CapturedRequest, HeaderField};
use rules::{Compose, Source};

/// Longest event type or delivery id kept, in bytes; longer values are cut at a char boundary.
pub const MAX_VALUE_LEN: usize = 200;

/// What a request says about the event it carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventMeta {
    /// The provider's name for the event: `invoice.paid`, `pull_request.opened`, `orders/create`.
    pub event_type: Option<String>,
    /// The provider's id of the event or delivery, the same when the event is sent again.
    pub delivery_id: Option<String>,
}

impl EventMeta {
    /// True when neither the type nor the id was found.
    pub fn is_empty(&self) -> bool {
        self.event_type.is_none() && self.delivery_id.is_none()
    }
}

/// Reads the event type and delivery id of a request for a built-in provider id (`github`,
/// `stripe`, ...; case-insensitive; options after `;` ignored). Unknown ids, generic providers and bodies that do not hold
/// the fields give an empty [`EventMeta`]; nothing here fails or panics on bad input.
pub fn extract(provider: &str, headers: &[HeaderField], body: &[u8]) -> EventMeta {
    // An endpoint's provider may carry options (`stripe;tolerance=600`).
    let provider = provider.split(';').next().unwrap_or_default().trim();
    let Some(rule) = rules::find(provider) else {
        return EventMeta::default();
    };
    let request = Parts { headers, body };
    EventMeta {
        event_type: first(rule.event_type, '.', &request),
        delivery_id: first(rule.delivery_id, ':', &request),
    }
}

/// The provider a captured request was checked against (configured on its endpoint or
/// detected), from its signature verdict: the provider [`extract`] should use at capture.
pub fn provider_of(request: &CapturedRequest) -> Option<&str> {
    request.signature.as_ref()?.provider.as_deref()
}

/// [`extract`] for a captured request with the provider of its verdict ([`provider_of`]);
/// empty when it has none.
pub fn extract_captured(request: &CapturedRequest) -> EventMeta {
    match provider_of(request) {
        Some(provider) => extract(provider, &request.headers, &request.body),
        None => EventMeta::default(),
    }
}

/// Stores on `request` the event type and delivery id of its provider ([`extract_captured`]);
/// its attempt number is counted when it is stored.
pub fn read_into(request: &mut CapturedRequest) {
    let meta = extract_captured(request);
    (request.event_type, request.delivery_id) = (meta.event_type, meta.delivery_id);
}

/// Whether a built-in provider id has a rule (every one of `signature::provider_ids()` does).
pub fn has_rule(provider: &str) -> bool {
    rules::find(provider).is_some()
}

struct Parts<'a> {
    headers: &'a [HeaderField],
    body: &'a [u8],
}

/// The first alternative that yields a value.
fn first(alternatives: &[Compose], separator: char, request: &Parts<'_>) -> Option<String> {
    alternatives
        .iter()
        .find_map(|compose| build(compose, separator, request))
}

/// The prefix, the first part (required) and every later part found, joined by `separator`.
fn build(compose: &Compose, separator: char, request: &Parts<'_>) -> Option<String> {
    let (head, tail) = compose.parts.split_first()?;
    let mut value = String::from(compose.prefix);
    value.push_str(&read(head, request)?);
    for part in tail {
        if let Some(more) = read(part, request) {
            value.push(separator);
            value.push_str(&more);
        }
    }
    Some(cap(value))
}

/// One source's value, trimmed; empty values count as missing.
fn read(source: &Source, request: &Parts<'_>) -> Option<String> {
    let value = match *source {
        Source::Header(name) => request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.trim().to_owned()),
        Source::Json(pointer) => json_field::scalar_at(request.body, pointer),
        Source::Form(field) => form_field(request.body, field),
        Source::FormJson(field, pointer) => {
            form_field(request.body, field).and_then(|json| json_field::scalar_at(json.as_bytes(), pointer))
        }
        Source::JsonKeySuffix(suffix) => json_field::first_key_ending_with(request.body, suffix),
    }?;
    let trimmed = value.trim();
    match trimmed.len() {
        0 => None,
        n if n == value.len() => Some(value),
        _ => Some(trimmed.to_owned()),
    }
}

/// A field of a form body. Form parsing is lazy: pairs are decoded only up to the one wanted.
fn form_field(body: &[u8], field: &str) -> Option<String> {
    // A JSON or binary body is not a form; skip the decoding work.
    if body.first().is_some_and(|b| matches!(b, b'{' | b'[')) {
        return None;
    }
    url::form_urlencoded::parse(body)
        .find(|(name, _)| name == field)
        .map(|(_, value)| value.into_owned())
}

fn cap(mut value: String) -> String {
    if value.len() > MAX_VALUE_LEN {
        let mut end = MAX_VALUE_LEN;
        while !value.is_char_boundary(end) {
            end -= 1;
        }
        value.truncate(end);
    }
    value
}
