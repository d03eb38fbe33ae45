//! What the listener answers: per-endpoint response rules and provider handshakes.
//!
//! A handshake (Slack's `url_verification`, Meta's `hub.challenge`, ...) is answered by
//! Hookscope itself when the endpoint allows it; everything else gets the endpoint's rule,
//! rendered with [`template::render`].

pub mod handshake;
pub mod template;

use crate::model::{CapturedRequest, Endpoint, HeaderField, RecordedResponse, ResponseRule};

/// Decides the answer for a captured request (its `response` field is not yet set).
///
/// Without a matching endpoint, the default rule applies and handshakes are auto-detected.
pub fn respond_to(endpoint: Option<&Endpoint>, request: &CapturedRequest) -> RecordedResponse {
    let handshakes_on = endpoint.is_none_or(|e| e.handshake_enabled);
    if handshakes_on {
        if let Some(answer) = handshake::answer(endpoint, request) {
            return answer;
        }
    }
    match endpoint {
        Some(endpoint) => apply_rule(&endpoint.response, request),
        None => apply_rule(&ResponseRule::default(), request),
    }
}

/// The answer a response rule gives: its status, its headers and body rendered from the request.
///
/// Without a body template the answer is `{"ok":true,"id":"<captured id>"}`. Without a
/// `Content-Type` header the type is JSON when the rendered body parses as JSON, else plain text.
pub fn apply_rule(rule: &ResponseRule, request: &CapturedRequest) -> RecordedResponse {
    let body = match &rule.body {
        Some(template) => template::render(template, request),
        None => serde_json::json!({ "ok": true, "id": request.id }).to_string(),
    };
    let mut headers: Vec<HeaderField> = rule
        .headers
        .iter()
        .map(|h| HeaderField::new(h.name.clone(), template::render(&h.value, request)))
        .collect();
    if !headers.iter().any(|h| h.name.eq_ignore_ascii_case("content-type")) && !body.is_empty() {
        let content_type = if serde_json::from_str::<serde_json::Value>(&body).is_ok() {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        headers.push(HeaderField::new("Content-Type", content_type));
    }
    RecordedResponse {
        status: rule.status,
        headers,
        body: body.into_bytes(),
        note: None,
    }
}
