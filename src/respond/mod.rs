//! What the listener answers: per-endpoint response rules and provider handshakes.

use crate::model::{CapturedRequest, Endpoint, HeaderField, RecordedResponse};

/// Decides the answer for a captured request (its `response` field is not yet set).
pub fn respond_to(endpoint: Option<&Endpoint>, request: &CapturedRequest) -> RecordedResponse {
    let rule = endpoint.map(|e| e.response.clone()).unwrap_or_default();
    let body = match &rule.body {
        Some(body) => body.clone().into_bytes(),
        None => serde_json::json!({ "ok": true, "id": request.id })
            .to_string()
            .into_bytes(),
    };
    let mut headers = rule.headers.clone();
    if !headers.iter().any(|h| h.name.eq_ignore_ascii_case("content-type")) {
        let content_type = if rule.body.is_none() {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        headers.push(HeaderField::new("Content-Type", content_type));
    }
    RecordedResponse {
        status: rule.status,
        headers,
        body,
        note: None,
    }
}
