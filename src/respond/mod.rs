//! What the listener answers: per-endpoint response rules and provider handshakes.
//!
//! A handshake (Slack's `url_verification`, Meta's `hub.challenge`, ...) is answered by
//! Hookscope itself when the endpoint allows it; everything else gets the endpoint's rule,
//! rendered with [`template::render`].

pub mod handshake;
pub mod rules;
pub mod template;

use crate::model::{CapturedRequest, Endpoint, HeaderField, RecordedResponse, ResponseRule};

/// Decides the answer for a captured request (its `response` field is not yet set).
///
/// Without a matching endpoint, the default rule applies and handshakes are auto-detected.
pub fn respond_to(endpoint: Option<&Endpoint>, request: &CapturedRequest) -> RecordedResponse {
    handshake_answer(endpoint, request).unwrap_or_else(|| default_answer(endpoint, request))
}

/// Hookscope's own answer to a provider handshake, when `request` is one and the endpoint
/// allows it.
pub fn handshake_answer(endpoint: Option<&Endpoint>, request: &CapturedRequest) -> Option<RecordedResponse> {
    let handshakes_on = endpoint.is_none_or(|e| e.handshake_enabled);
    handshakes_on.then(|| handshake::answer(endpoint, request)).flatten()
}

/// The endpoint's default response (Hookscope's own without an endpoint).
pub fn default_answer(endpoint: Option<&Endpoint>, request: &CapturedRequest) -> RecordedResponse {
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
        None => default_body(&request.id),
    };
    let mut headers: Vec<HeaderField> = rule
        .headers
        .iter()
        .map(|h| HeaderField::new(h.name.clone(), template::render(&h.value, request)))
        .collect();
    if !headers.iter().any(|h| h.name.eq_ignore_ascii_case("content-type")) && !body.is_empty() {
        let content_type = if rule.body.is_none() || is_json(&body) {
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

/// `{"ok":true,"id":"<id>"}`, the answer of a rule without a body template.
fn default_body(id: &str) -> String {
    let id = serde_json::to_string(id).expect("a string always serializes");
    format!("{{\"ok\":true,\"id\":{id}}}")
}

/// Whether `text` is one JSON document (checked without building it).
fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::apply_rule;
    use crate::model::{CapturedRequest, ResponseRule};

    fn content_type(rule: &ResponseRule) -> (String, String) {
        let answer = apply_rule(rule, &CapturedRequest::posted("01J\"x", "/hook", b"{}".to_vec()));
        let content_type = answer.headers.iter().find(|h| h.name == "Content-Type").unwrap();
        (String::from_utf8(answer.body).unwrap(), content_type.value.clone())
    }

    #[test]
    fn the_default_answer_is_json_naming_the_id_with_its_quotes_escaped() {
        let (body, content_type) = content_type(&ResponseRule::default());
        assert_eq!(body, r#"{"ok":true,"id":"01J\"x"}"#);
        assert_eq!(content_type, "application/json");
    }

    #[test]
    fn a_template_is_typed_json_only_when_it_renders_one_json_document() {
        for (template, expected) in [
            (r#"{"ok": 1}"#, "application/json"),
            ("[1, 2]", "application/json"),
            ("{} trailing", "text/plain; charset=utf-8"),
            ("challenge accepted", "text/plain; charset=utf-8"),
        ] {
            let rule = ResponseRule {
                body: Some(template.to_owned()),
                ..ResponseRule::default()
            };
            assert_eq!(content_type(&rule).1, expected, "{template}");
        }
    }
}
